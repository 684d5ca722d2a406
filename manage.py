#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # With no SECRET_KEY in the environment this is a developer's checkout, not a deployment:
    # run management commands (makemigrations, shell, …) in development mode rather than refuse.
    # The web and worker processes (config/wsgi.py, asgi.py, celery.py) get no such default.
    if not os.environ.get("SECRET_KEY"):
        os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

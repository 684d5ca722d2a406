"""Settings for the test suite: the real settings, with test-friendly defaults."""

import os

os.environ.setdefault("HINDSIGHT_TESTING", "1")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests run tasks in-process unless they ask for a real worker (the `celery_worker` fixture).
CELERY_TASK_ALWAYS_EAGER = True

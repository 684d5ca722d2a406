"""Settings for the test suite: the real settings, with test-friendly defaults."""

import os

os.environ.setdefault("HINDSIGHT_TESTING", "1")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# Tests make hundreds of API calls a minute as one user; the throttle tests set their own rates.
for rate in ("USER", "ANONYMOUS", "INTAKE", "BAD_TOKENS"):
    os.environ.setdefault(f"HINDSIGHT_API_RATE_{rate}", "100000/minute")

from config.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests run tasks in-process unless they ask for a real worker (the `celery_worker` fixture).
CELERY_TASK_ALWAYS_EAGER = True

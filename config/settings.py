"""Hindsight settings, read from the environment.

Nothing here needs editing to deploy: every knob is an environment variable
(see README.md). Bad values fail loudly with ImproperlyConfigured.
"""

import logging
from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    broker_url,
    database_from_url,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_networks,
    env_rate,
    env_str,
    env_table_override,
    postgresql_options,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("HINDSIGHT_TESTING", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("SECRET_KEY is required unless DEBUG=1.")
    SECRET_KEY = "insecure-development-key-only-for-debug-and-tests"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG or TESTING else [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required unless DEBUG=1 (comma-separated host names).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "axes",
    "django_prometheus",
    "csp",
    # Hindsight, lowest layer first (imports flow one way; tests/test_layers.py holds the order).
    "core",
    "accounts",
    "services",
    "incidents",
    "postmortems",
    "actions",
    "playbooks",
    "failure_catalog",
    "insights",
]
# The demo data seeder (`manage.py seed_demo`): a developer's and a test run's tool, not production's.
HINDSIGHT_DEMO = env_bool("HINDSIGHT_DEMO", DEBUG or TESTING)
if HINDSIGHT_DEMO:
    INSTALLED_APPS.append("demo")

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.ServiceUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.BackgroundWorkMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into our 429 page.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
            "builtins": ["core.templatetags.hindsight"],
        },
    }
]

# --- Database -----------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", "").strip()
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
else:
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "hindsight.sqlite3",
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"},
        }
    }
# A request either happens entirely or not at all: nothing is half-written.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# A connection serves the requests of one worker thread for this many seconds, then is closed (0: one per
# request), so idle connections do not pile up; one that broke is noticed and replaced before it is used.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("DATABASE_CONN_HEALTH_CHECKS", True)
# A database that accepts connections and never answers must not hold a request (and with it a server
# worker) for minutes: connecting gives up after DATABASE_CONNECT_TIMEOUT seconds, a statement after
# DATABASE_STATEMENT_TIMEOUT (0: no limit; the Celery worker's own limit is DATABASE_WORKER_STATEMENT_TIMEOUT).
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 3, minimum=1)
DATABASE_STATEMENT_TIMEOUT = env_int("DATABASE_STATEMENT_TIMEOUT", 30, minimum=0)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("timeout", 20)
else:
    DATABASES["default"]["OPTIONS"] = postgresql_options(
        DATABASES["default"].get("OPTIONS", {}),
        connect_timeout=DATABASE_CONNECT_TIMEOUT,
        statement_timeout=DATABASE_STATEMENT_TIMEOUT,
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Celery -------------------------------------------------------------------
# With no broker configured, tasks run eagerly in-process so the demo needs
# nothing else running. See config/celery.py for the delivery guarantees.
CELERY_BROKER_URL = broker_url("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or CELERY_BROKER_URL
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300, minimum=1)
# Redis re-delivers an unacknowledged task after this many seconds; it must be
# longer than any task may run, or a slow task would run twice at once.
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=1)
if CELERY_VISIBILITY_TIMEOUT <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must be longer than CELERY_TASK_TIME_LIMIT.")
if CELERY_TASK_SOFT_TIME_LIMIT >= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_TASK_SOFT_TIME_LIMIT must be shorter than CELERY_TASK_TIME_LIMIT.")
CELERY_MAX_DELIVERIES = env_int("CELERY_MAX_DELIVERIES", 5, minimum=1)
# A Redis that accepts connections and never answers must not hang a request: connecting gives up after
# REDIS_CONNECT_TIMEOUT seconds and waiting for an answer after REDIS_SOCKET_TIMEOUT, for the broker, the
# result backend and the cache alike (a write then keeps its task in the outbox, see core/outbox.py).
REDIS_CONNECT_TIMEOUT = env_float("REDIS_CONNECT_TIMEOUT", 2.0, minimum=0.1)
REDIS_SOCKET_TIMEOUT = env_float("REDIS_SOCKET_TIMEOUT", 2.0, minimum=0.1)
_REDIS_TIMEOUTS = {"socket_connect_timeout": REDIS_CONNECT_TIMEOUT, "socket_timeout": REDIS_SOCKET_TIMEOUT}
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "socket_keepalive": True,
    **_REDIS_TIMEOUTS,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_SOCKET_TIMEOUT
# Statements of background work may run as long as a task may (see config/celery.py).
DATABASE_WORKER_STATEMENT_TIMEOUT = env_int("DATABASE_WORKER_STATEMENT_TIMEOUT", CELERY_TASK_TIME_LIMIT, minimum=0)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "hindsight")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Periodic jobs: name -> {"task": dotted name, "schedule": crontab}.

CELERY_BEAT_SCHEDULE = {
    "verify-action-effectiveness": {
        "task": "actions.tasks.verify_action_effectiveness",
        "schedule": crontab(hour=3, minute=15),
    },
    "requeue-pending-tasks": {
        "task": "core.tasks.requeue_pending_tasks",
        "schedule": crontab(minute="*"),
    },
    "refresh-slo-statuses": {
        "task": "insights.tasks.refresh_all_slo_statuses",
        "schedule": crontab(minute="*/5"),
    },
    "recompute-insights-rollups": {
        "task": "insights.tasks.recompute_all_rollups",
        "schedule": crontab(hour=2, minute=30),
    },
    "send-action-reminders": {
        "task": "actions.tasks.send_action_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
}

# --- Cache --------------------------------------------------------------------
# The cache counts task deliveries, so with a broker it must be shared by all
# workers: Redis. Without one, everything runs in one process anyway.
REDIS_CACHE_URL = env_str("REDIS_CACHE_URL") or CELERY_BROKER_URL
if REDIS_CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.FailFastRedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "KEY_PREFIX": "hindsight",
            "OPTIONS": dict(_REDIS_TIMEOUTS),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth ---------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes counts failed sign-ins (on /login/ and /admin/login/ alike, through authenticate()) and
# locks a username at an address out for a while after too many; the first backend refuses a locked one.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("HINDSIGHT_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("HINDSIGHT_LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Internationalisation -------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env_str("STATIC_ROOT") or VAR_DIR / "static"
if DEBUG or TESTING:
    # WhiteNoise serves from the finders here, but warns when the collect directory is missing.
    Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# --- Email --------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG or TESTING
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Hindsight <hindsight@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- REST API -----------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.BearerOrTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.KeysetPagination",
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    # 429 with Retry-After past these rates (see core/throttling.py); "N/second|minute|hour|day".
    "DEFAULT_THROTTLE_CLASSES": ["core.throttling.UserRateThrottle", "core.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env_rate("HINDSIGHT_API_RATE_USER", "1200/minute"),
        "anon": env_rate("HINDSIGHT_API_RATE_ANONYMOUS", "60/minute"),
        "intake": env_rate("HINDSIGHT_API_RATE_INTAKE", "600/minute"),
        "bad_token": env_rate("HINDSIGHT_API_RATE_BAD_TOKENS", "20/minute"),
    },
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hindsight API",
    # Say only what the API below offers (tests/test_api_schema_words.py holds it to that).
    "DESCRIPTION": "Incidents and their timelines, alert intake (Alertmanager and generic JSON), services, "
    "dependencies, deployments and SLOs; post-incident reviews with their causal-factor charts, and an import "
    "of past reviews; actions; playbooks; the failure catalog (fault types, requirements, experiments and their "
    "imports, failure-mode analyses, coverage, the deployment gate); insights; search. "
    "Authenticate with `Authorization: Token <key>` (or `Bearer <key>`).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several apps have a field named "status"; name each enum for its domain.
    "ENUM_NAME_OVERRIDES": {
        "IncidentStatusEnum": "incidents.choices.Status",
        "ReviewStatusEnum": "postmortems.choices.ReviewStatus",
        "ActionStatusEnum": "actions.choices.Status",
        "DeploymentStatusEnum": "services.choices.DeploymentStatus",
        "AlertStatusEnum": "incidents.choices.AlertStatus",
        "SeverityEnum": "incidents.choices.Severity",
        "ActionCategoryEnum": "actions.choices.Category",
        "IncidentKindEnum": "incidents.choices.IncidentKind",
        "TimelineKindEnum": "incidents.choices.TimelineKind",
        "FactorKindEnum": "postmortems.choices.FactorKind",
        "FactorCategoryEnum": "postmortems.choices.FactorCategory",
    },
}

# --- Security headers -----------------------------------------------------------
# Strict CSP from the first page: only our own scripts and styles, inline ones
# only with the per-request nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if not (DEBUG or TESTING):
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Health and metrics are probed over plain HTTP inside the cluster.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]

# --- Metrics ------------------------------------------------------------------
# /metrics answers only callers from METRICS_ALLOWED_NETS and, when METRICS_TOKEN is set, only with
# `Authorization: Bearer <token>`. With neither set, only this machine (loopback) may read it.
METRICS_TOKEN = env_str("METRICS_TOKEN", "").strip()
if METRICS_TOKEN and len(METRICS_TOKEN) < 24:
    raise ImproperlyConfigured("METRICS_TOKEN must be at least 24 characters (e.g. `openssl rand -hex 32`).")
METRICS_ALLOWED_NETS = env_networks(
    "METRICS_ALLOWED_NETS", ["0.0.0.0/0", "::/0"] if METRICS_TOKEN else ["127.0.0.0/8", "::1/128"]
)

# --- Logging ------------------------------------------------------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL; got {LOG_LEVEL!r}.")
LOGGING_CONFIG = None  # core.logging configures stdlib logging and structlog together.
LOG_FORMAT = env_str("LOG_FORMAT", "console" if DEBUG else "json")
if LOG_FORMAT not in {"json", "console"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or console; got {LOG_FORMAT!r}.")
from core.logging import configure_logging  # noqa: E402

configure_logging(level=LOG_LEVEL, fmt=LOG_FORMAT)
if CELERY_TASK_ALWAYS_EAGER:
    # In-process tasks would log a line per task into the web server's output.
    logging.getLogger("celery.app.trace").setLevel("WARNING")

# --- Hindsight ------------------------------------------------------------------
HINDSIGHT_SITE_URL = env_str("HINDSIGHT_SITE_URL", "http://127.0.0.1:8000")

# --- Actions ----------------------------------------------------------------------
# Default due date of a new action, in days from its creation, by category and by
# the severity of the incident: the worse the incident, the sooner the patch.
# Override as JSON, e.g. HINDSIGHT_ACTION_DUE_DAYS='{"immediate_fix": {"sev1": 1}}'
# (merged over these defaults; a category or severity left out keeps its default).
HINDSIGHT_ACTION_DUE_DAYS = env_table_override(
    "HINDSIGHT_ACTION_DUE_DAYS",
    {
        "immediate_fix": {"sev1": 2, "sev2": 3, "sev3": 7, "sev4": 14},
        "corrective": {"sev1": 14, "sev2": 30, "sev3": 45, "sev4": 60},
        "remedial": {"sev1": 30, "sev2": 45, "sev3": 60, "sev4": 90},
        "preventive": {"sev1": 90, "sev2": 90, "sev3": 90, "sev4": 90},
    },
)
# How long after a corrective or preventive action is done we watch for its failure
# class to recur before proposing it as effective.
HINDSIGHT_ACTION_WATCH_DAYS = env_int("HINDSIGHT_ACTION_WATCH_DAYS", 90, minimum=1)
# The weekday (0 = Monday) on which leads get the weekly digest of their teams' actions.
HINDSIGHT_ACTION_DIGEST_WEEKDAY = env_int("HINDSIGHT_ACTION_DIGEST_WEEKDAY", 0, minimum=0)

# --- Reviews ----------------------------------------------------------------------
# Days after resolution within which an incident's review must be published, by severity
# (a severity left out needs no review).
HINDSIGHT_REVIEW_DEADLINE_DAYS = {
    "sev1": env_int("HINDSIGHT_REVIEW_DEADLINE_SEV1", 5, minimum=1),
    "sev2": env_int("HINDSIGHT_REVIEW_DEADLINE_SEV2", 10, minimum=1),
    "sev3": env_int("HINDSIGHT_REVIEW_DEADLINE_SEV3", 20, minimum=1),
}

# --- Incidents --------------------------------------------------------------------
# Deploy correlation looks this many hours back from an incident's start for suspect deployments.
HINDSIGHT_CORRELATION_WINDOW_HOURS = env_int("HINDSIGHT_CORRELATION_WINDOW_HOURS", 24, minimum=1)

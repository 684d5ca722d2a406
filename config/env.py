"""Typed readers for settings that come from the environment.

Each reader raises ImproperlyConfigured with the variable's name when a value
cannot be understood, so a typo fails at start-up rather than at 3 a.m.
"""

import json
import os
import re

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}.")


def _env_number(name, default, *, convert, kind, minimum):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = convert(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be {kind}; got {raw!r}.") from None
    # `not >=` also refuses a float NaN, which no comparison holds for.
    if minimum is not None and not value >= minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {raw.strip()}.")
    return value


def env_int(name, default, *, minimum=None):
    return _env_number(name, default, convert=int, kind="a whole number", minimum=minimum)


def env_float(name, default, *, minimum=None):
    return _env_number(name, default, convert=float, kind="a number", minimum=minimum)


def env_rate(name, default):
    """A throttle rate such as `60/minute` (also second, hour, day)."""
    raw = (os.environ.get(name) or "").strip() or default
    number, _, period = raw.partition("/")
    if not (number.isdigit() and int(number) > 0 and period in ("second", "minute", "hour", "day")):
        raise ImproperlyConfigured(f"{name} must look like 60/minute (per second, minute, hour or day); got {raw!r}.")
    return raw


def env_list(name, default=()):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name, default):
    """A comma-separated list of IP networks (`10.0.0.0/8`, `::1`), as ipaddress network objects."""
    import ipaddress

    raw = os.environ.get(name)
    items = env_list(name) if raw is not None and raw.strip() else list(default)
    try:
        return [ipaddress.ip_network(item, strict=False) for item in items]
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be comma-separated networks like 10.0.0.0/8: {exc}") from None


def database_from_url(url):
    """Return a Django DATABASES entry for a postgres:// or sqlite:// URL."""
    import dj_database_url

    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in {"postgres", "postgresql", "pgsql", "sqlite"}:
        raise ImproperlyConfigured(f"DATABASE_URL must start with postgresql:// or sqlite://; got {url!r}.")
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL could not be parsed: {exc}") from None
    if not config.get("NAME"):
        raise ImproperlyConfigured(f"DATABASE_URL names no database: {url!r}.")
    return config


def postgresql_options(options, *, connect_timeout, statement_timeout):
    """PostgreSQL connection options with the connect and statement timeouts (seconds; 0: no statement limit).

    Options given in DATABASE_URL's query string win over these, and `-c statement_timeout` joins any
    `options` given there. TCP keepalives notice a database host that vanished mid-query.
    """
    options = {
        "connect_timeout": connect_timeout,
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 10,
        "keepalives_count": 3,
        **options,
    }
    return with_statement_timeout(options, statement_timeout)


_STATEMENT_TIMEOUT = re.compile(r"\s*-c\s*statement_timeout=\S*")


def with_statement_timeout(options, seconds):
    """PostgreSQL connection options whose statement timeout is `seconds` (0: none), replacing any other."""
    rest = _STATEMENT_TIMEOUT.sub("", options.get("options", "")).strip()
    extra = f"-c statement_timeout={seconds * 1000}" if seconds else ""
    combined = " ".join(part for part in (rest, extra) if part)
    options = {key: value for key, value in options.items() if key != "options"}
    if combined:
        options["options"] = combined
    return options


def broker_url(name):
    """Return the broker URL from the environment, or None to run tasks in-process."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    if not raw.startswith(("redis://", "rediss://")):
        raise ImproperlyConfigured(f"{name} must be a redis:// or rediss:// URL; got {raw!r}.")
    return raw


def env_table_override(name, defaults):
    """Return a {row: {column: days}} table of whole numbers, with entries overridden by JSON in name.

    Only known rows and columns may be overridden; what is left out keeps its default.
    """
    table = {row: dict(columns) for row, columns in defaults.items()}
    raw = os.environ.get(name, "").strip()
    if not raw:
        return table
    try:
        override = json.loads(raw)
        if not isinstance(override, dict):
            raise ValueError("not an object")
        for row, columns in override.items():
            if row not in table or not isinstance(columns, dict):
                raise ValueError(f"unknown entry {row!r}")
            for column, value in columns.items():
                if column not in table[row] or not isinstance(value, int) or isinstance(value, bool) or value < 0:
                    raise ValueError(f"bad entry {row}.{column} = {value!r}")
                table[row][column] = value
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be JSON like {{row: {{column: whole number}}}}: {exc}") from None
    return table

"""gunicorn on a loopback port: what benchmarks (and the API fuzzing test) send requests through, as
production serves them; and the process helpers the test suite shares (`free_port`, `stop`,
`start_solo_worker`).

`environment(url)` is the production settings for a server process on the database `url` names;
`database_url()` names the database the running benchmark (pytest-django's test database) uses, so
a server process can serve the rows a benchmark just built (on SQLite too: bench/conftest.py puts
its test database in a file).
"""

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
VAR = BASE_DIR / "var"
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def environment(url, **extra):
    """Production settings (DEBUG off, behind a TLS proxy) on the database `url` names, tasks not queued."""
    keep = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "HINDSIGHT_TESTING", "DEBUG"}}
    return {
        **keep,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_TLS_PROXY": "1",
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": str(VAR / "bench-static"),
        "CELERY_BROKER_URL": "",
        # Building a million rows takes statements longer than a request's limit.
        "DATABASE_STATEMENT_TIMEOUT": "0",
        **extra,
    }


def database_url():
    """DATABASE_URL for the database this process is connected to (in a benchmark: the test database)."""
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + name))


def free_port():
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop(process, *, timeout=10):
    """Terminate a process we started; kill it if it has not exited within `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def start_solo_worker(queue, *, env, log):
    """Start a one-process worker that consumes only `queue` and ignores other workers, writing to the open file
    `log`: how tests and benchmarks run a real worker of their own (its name, `<queue>@<host>`, is what a ping
    addresses). The caller stops it."""
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", queue]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"{queue}@%h"]
    return subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)


class Gunicorn:
    """gunicorn serving `app` on a free loopback port with sync workers; `get` requests through it.

    Use as a context manager; it waits (up to a minute) for /healthz before handing itself out.
    """

    def __init__(self, env, *, app="config.wsgi", workers=1, log="bench-gunicorn.log"):
        VAR.mkdir(exist_ok=True)
        self.port = free_port()
        self.log_path = VAR / log
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        command = [GUNICORN, app, "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers), "--timeout", "120"]
        self.process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        try:
            self._wait_until_up()
        except BaseException:
            self.stop()
            raise

    def _wait_until_up(self):
        deadline = time.monotonic() + 60
        while True:
            try:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start: see {self.log_path}")
            time.sleep(0.3)

    def get(self, path, headers=None):
        """GET path (as if through the TLS proxy): (status, body, response)."""
        self.connection.request("GET", path, headers={"X-Forwarded-Proto": "https", **(headers or {})})
        response = self.connection.getresponse()
        body = response.read()
        return response.status, body, response

    def stop(self):
        if getattr(self, "connection", None) is not None:
            self.connection.close()
        stop(self.process, timeout=20)
        self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

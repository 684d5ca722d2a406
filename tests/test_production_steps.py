"""The README's production steps, run as written from a clean clone of the repository.

`git clone` of what is committed into a temporary directory, then with `DEBUG=0` and a production
environment: `migrate`, `collectstatic --no-input`, gunicorn on a loopback port, and a page whose
stylesheets and scripts all answer 200 under their hashed names. (`make install` is the venv this
suite already runs in.) This is the test that catches a vendored file referencing one that is not
there: `collectstatic` stops, and without collected files every page fails.
"""

import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from bench.server import free_port
from core.tests.test_settings import SETTINGS_VARIABLES

BIN = Path(sys.executable).parent
# A stylesheet or script the page loads from our static files.
STATIC_REFERENCE = re.compile(r"""<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)\"""")
# A name the manifest storage gave a hash to, e.g. hindsight.3f2a9c1d4e5b.css.
HASHED_NAME = re.compile(r"\.[0-9a-f]{12}\.(css|js|svg)$")


def fetch(url):
    """GET url as a request that came through the TLS proxy; return (status, body)."""
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", errors="replace")


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    if not shutil.which("git") or not (settings.BASE_DIR / ".git").exists():
        pytest.skip("not a git checkout")
    directory = tmp_path_factory.mktemp("production") / "hindsight"
    subprocess.run(["git", "clone", "--quiet", str(settings.BASE_DIR), str(directory)], check=True, timeout=120)
    return directory


@pytest.fixture(scope="module")
def production(clone):
    """The production environment of the README, on loopback (SQLite in the clone: the database is not under test)."""
    clean = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return {
        **clean,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_TLS_PROXY": "1",
        "LOG_LEVEL": "WARNING",
    }


def step(clone, environment, *command):
    completed = subprocess.run(
        command, cwd=clone, env=environment, capture_output=True, text=True, timeout=300, check=False
    )
    assert completed.returncode == 0, f"{' '.join(command)} failed:\n{completed.stdout}\n{completed.stderr}"
    return completed


@pytest.fixture(scope="module")
def site(clone, production):
    """Run the README's steps and yield the base URL of gunicorn serving the clone."""
    step(clone, production, sys.executable, "manage.py", "migrate", "--no-input")
    step(clone, production, sys.executable, "manage.py", "collectstatic", "--no-input")
    port = free_port()
    log = open(clone / "gunicorn.log", "w")  # noqa: SIM115  (closed after the server stops)
    server = subprocess.Popen(
        [BIN / "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=clone,
        env=production,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if fetch(base + "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not start:\n{(clone / 'gunicorn.log').read_text()[-3000:]}")
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def test_it_serves_a_page_from_the_production_steps(site):
    status, _ = fetch(site + "/login/")
    assert status == 200


def test_it_serves_every_stylesheet_and_script_of_the_page_under_its_hashed_name(site):
    _, page = fetch(site + "/login/")
    references = STATIC_REFERENCE.findall(page)
    assert references, "the login page loads no static files"
    served = {url: (bool(HASHED_NAME.search(url)), fetch(site + url)[0]) for url in references}
    assert served == dict.fromkeys(references, (True, 200))

import json

import pytest

from conftest import run_in_fresh_process


def test_it_reports_alive(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_it_reports_ready_when_the_database_answers(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


READYZ_IN_A_FRESH_PROCESS = """
import django, json
django.setup()
from django.test import Client
response = Client(HTTP_HOST="localhost").get("/readyz")
print(json.dumps({"status": response.status_code, "body": response.json()}))
"""


@pytest.mark.parametrize(
    "database_url",
    ["sqlite:////nonexistent-dir/hindsight.sqlite3", "postgresql://postgres@127.0.0.1:1/hindsight"],
    ids=["sqlite-unopenable", "postgres-refused"],
)
def test_it_reports_a_down_database_with_503(database_url):
    result = run_in_fresh_process(READYZ_IN_A_FRESH_PROCESS, DATABASE_URL=database_url)
    assert result["status"] == 503
    assert result["body"]["checks"]["database"].startswith("unavailable")


def test_it_reports_a_down_broker_with_503(tmp_path):
    result = run_in_fresh_process(
        READYZ_IN_A_FRESH_PROCESS,
        DATABASE_URL=f"sqlite:///{tmp_path / 'hindsight.sqlite3'}",
        CELERY_BROKER_URL="redis://127.0.0.1:1/0",
    )
    assert result["status"] == 503
    assert result["body"]["checks"] == {"database": "ok", "broker": result["body"]["checks"]["broker"]}
    assert result["body"]["checks"]["broker"].startswith("unavailable")


# A request made while the database is down: anonymous, with a (stale) session cookie, and with an API token.
REQUEST_DURING_OUTAGE = """
import django, json, sys
django.setup()
from django.conf import settings
from django.test import Client
path, kind = sys.argv[1], sys.argv[2]
client = Client(HTTP_HOST="localhost", raise_request_exception=False)
headers = {}
if kind == "session":
    client.cookies[settings.SESSION_COOKIE_NAME] = "a" * 32
elif kind == "token":
    headers["HTTP_AUTHORIZATION"] = "Token " + "0" * 40
response = client.get(path, **headers)
print(json.dumps({
    "status": response.status_code,
    "type": response["Content-Type"],
    "body": response.content.decode(),
    "retry_after": response.get("Retry-After"),
}))
"""

DOWN_DATABASES = {
    "sqlite-unopenable": "sqlite:////nonexistent-dir/hindsight.sqlite3",
    "postgres-refused": "postgresql://postgres@127.0.0.1:1/hindsight",
}


def request_during_outage(database, path, kind):
    return run_in_fresh_process(REQUEST_DURING_OUTAGE, path, kind, DATABASE_URL=DOWN_DATABASES[database])


@pytest.mark.parametrize("database", DOWN_DATABASES)
@pytest.mark.parametrize("kind", ["anonymous", "session", "token"])
def test_it_answers_an_api_request_during_a_database_outage_with_json_503(database, kind):
    result = request_during_outage(database, "/api/services/", kind)
    assert (result["status"], result["type"], result["retry_after"]) == (503, "application/json", "30")
    assert json.loads(result["body"])["unavailable"] == "database"


@pytest.mark.parametrize("database", DOWN_DATABASES)
@pytest.mark.parametrize("kind", ["anonymous", "session"])
@pytest.mark.parametrize("path", ["/services/", "/login/"])
def test_it_answers_a_page_request_during_a_database_outage_with_the_503_page(database, kind, path):
    result = request_during_outage(database, path, kind)
    assert (result["status"], result["type"]) == (503, "text/html; charset=utf-8")
    assert "Temporarily unavailable" in result["body"]
    assert "Traceback" not in result["body"]

"""Sign-in lockout (django-axes) on /login/ and /admin/login/, and API throttles with 429 and Retry-After."""

import pytest
from django.conf import settings
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counters():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def rates(monkeypatch):
    """Set throttle rates for one test (DRF reads them once, at import)."""

    def set_rates(**rates):
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, **rates})

    return set_rates


@pytest.mark.parametrize("path", ["/login/", "/admin/login/"])
def test_it_locks_out_a_username_after_too_many_wrong_passwords(client, admin, path):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(path, {"username": admin.username, "password": "wrong"})
    response = client.post(path, {"username": admin.username, "password": "pw-" + admin.username})
    assert response.status_code == 429
    assert int(response["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_signs_in_after_fewer_wrong_passwords_than_the_limit(client, viewer):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/login/", {"username": viewer.username, "password": "wrong"})
    response = client.post("/login/", {"username": viewer.username, "password": "pw-" + viewer.username})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(viewer.pk)


def test_it_locks_only_that_username(client, viewer, responder):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": viewer.username, "password": "wrong"})
    response = client.post("/login/", {"username": responder.username, "password": "pw-" + responder.username})
    assert response.status_code == 302


def test_it_throttles_a_signed_in_api_caller_with_429_and_retry_after(api, viewer, rates):
    rates(user="5/minute")
    client = api(viewer)
    statuses = [client.get("/api/incidents/").status_code for _ in range(7)]
    assert statuses == [200] * 5 + [429] * 2
    response = client.get("/api/incidents/")
    assert 0 < int(response["Retry-After"]) <= 60
    assert "throttled" in response.json()["detail"].lower()


def test_it_throttles_anonymous_api_callers_by_address(rates):
    """Anonymous callers reach only the schema (elsewhere they get a 401 before any work is done)."""
    rates(anon="3/minute")
    client = APIClient()
    statuses = [client.get("/api/schema/").status_code for _ in range(5)]
    assert statuses == [200] * 3 + [429] * 2


def test_it_refuses_token_guessing_with_429_even_for_a_right_token_after(viewer, rates):
    rates(bad_token="3/minute")
    _, key = ApiToken.objects.create_with_token(user=viewer)
    client = APIClient()
    statuses = []
    for guess in ["a", "b", "c", "d"]:
        client.credentials(HTTP_AUTHORIZATION=f"Token {guess}")
        statuses.append(client.get("/api/incidents/").status_code)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    statuses.append(client.get("/api/incidents/").status_code)
    assert statuses == [401, 401, 401, 429, 429]


def test_it_refuses_intake_token_guessing_with_429(client, rates):
    rates(bad_token="2/minute")
    statuses = [
        client.post(
            "/api/intake/generic/", {}, content_type="application/json", HTTP_AUTHORIZATION="Bearer nope"
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [401, 401, 429]


def test_it_throttles_an_intake_source_by_source(client, team, rates):
    from incidents.models import IntakeSource

    rates(intake="2/minute")
    _, key = IntakeSource.objects.create_with_token(name="prod", team=team, kind="generic")
    body = {"title": "Disk full", "dedup_key": "disk", "status": "firing"}
    statuses = [
        client.post(
            "/api/intake/generic/", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
        ).status_code
        for _ in range(3)
    ]
    assert statuses[-1] == 429
    assert 429 not in statuses[:2]

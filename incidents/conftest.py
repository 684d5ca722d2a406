"""Fixtures for incident tests: services owned by the persona teams, and a way to make incidents."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from accounts.models import Membership, Role
from core import search
from incidents.choices import IntakeKind
from incidents.models import Incident, IntakeSource
from services.models import Service

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def make_incident(*, services=(), allowed_teams=(), **fields):
    """An incident that started at T0 and was detected five minutes later, unless told otherwise."""
    values = {"title": "Card payments failing", "started_at": T0, "detected_at": T0 + timedelta(minutes=5)}
    values.update(fields)
    incident = Incident.objects.create(**values)
    incident.services.set(services)
    incident.allowed_teams.set(allowed_teams)
    # Indexed for search as the commit would have done (tests never commit).
    search.reindex("incident", [incident.pk])
    return incident


@pytest.fixture
def service(team):
    return Service.objects.create(name="Payments API", slug="payments-api", team=team, tier=1)


@pytest.fixture
def other_service(other_team):
    return Service.objects.create(name="Search API", slug="search-api", team=other_team, tier=2)


@pytest.fixture
def other_responder(other_team):
    """A responder, but in another team: not allowed to see the payments team's restricted incidents."""
    user = get_user_model().objects.create_user(username="sol-search", password="pw-sol-search")
    Membership.objects.create(user=user, team=other_team, role=Role.RESPONDER)
    return user


@pytest.fixture
def incident(team, service):
    return make_incident(team=team, services=[service])


@pytest.fixture
def restricted(team, service):
    return make_incident(
        title="Leaked API key used from unknown IPs",
        team=team,
        services=[service],
        restricted=True,
        allowed_teams=[team],
    )


PAYLOADS = Path(__file__).parent / "intake" / "tests" / "payloads"


def payload(name):
    """A recorded notification from incidents/intake/tests/payloads/."""
    return json.loads((PAYLOADS / f"{name}.json").read_text())


@pytest.fixture
def catalog(team):
    """The services the recorded payloads name (legacy-billing deliberately missing)."""
    return {
        slug: Service.objects.create(name=name, slug=slug, team=team)
        for slug, name in [
            ("checkout-api", "Checkout API"),
            ("payments-api", "Payments API"),
            ("card-vault", "Card Vault"),
        ]
    }


@pytest.fixture
def alertmanager_source(team):
    source, key = IntakeSource.objects.create_with_token(
        name="alertmanager-prod", kind=IntakeKind.ALERTMANAGER, team=team
    )
    source.key = key
    return source


@pytest.fixture
def generic_source(team):
    source, key = IntakeSource.objects.create_with_token(name="synthetics", kind=IntakeKind.GENERIC, team=team)
    source.key = key
    return source


@pytest.fixture
def send():
    """Post a notification with an intake token; return the response."""

    def post(kind, body, *, key, scheme="Bearer"):
        client = APIClient()
        if key is not None:
            client.credentials(HTTP_AUTHORIZATION=f"{scheme} {key}")
        if isinstance(body, (dict, list)):
            return client.post(f"/api/intake/{kind}/", body, format="json")
        return client.post(f"/api/intake/{kind}/", body, content_type="application/json")

    return post

import json
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from incidents.choices import IntakeKind
from incidents.models import IntakeSource
from services.models import Service

PAYLOADS = Path(__file__).parent / "payloads"


def payload(name):
    """A recorded notification from incidents/tests/payloads/."""
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

"""API tokens are stored only as a hash, shown once, and work as `Token` or `Bearer`."""

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def test_it_stores_no_key_only_its_hash(viewer):
    token, key = ApiToken.objects.create_with_token(user=viewer)
    stored = ApiToken.objects.values().get(pk=token.pk)
    assert key not in str(stored)
    assert stored["token_prefix"] == key[:8]


@pytest.mark.parametrize("scheme", ["Token", "Bearer"])
def test_it_signs_in_with_the_key(viewer, scheme):
    _, key = ApiToken.objects.create_with_token(user=viewer)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{scheme} {key}")
    assert client.get("/api/incidents/").status_code == 200


def test_it_refuses_a_wrong_key_and_a_hash_used_as_a_key(viewer):
    token, _ = ApiToken.objects.create_with_token(user=viewer)
    for key in ["nope", token.token_hash]:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert client.get("/api/incidents/").status_code == 401


def test_it_refuses_the_key_of_an_inactive_user(viewer):
    _, key = ApiToken.objects.create_with_token(user=viewer)
    viewer.is_active = False
    viewer.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/incidents/").status_code == 401


def test_it_issues_a_token_from_the_command_line_and_prints_it_once(viewer, capsys):
    call_command("create_api_token", viewer.username, "--name", "ci")
    key = capsys.readouterr().out.strip()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/incidents/").status_code == 200
    assert ApiToken.objects.get().name == "ci"


def test_it_shows_staff_the_prefix_never_the_key(client, admin):
    token, key = ApiToken.objects.create_with_token(user=admin)
    client.force_login(admin)
    page = client.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    assert token.token_prefix in page
    assert key not in page

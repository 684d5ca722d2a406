"""Teams through the API: site admins create them, a team's admins change them, everyone signed in reads."""

import pytest

from accounts.models import Membership, Role, Team

WRITES = {
    "create": ("post", "/api/teams/", {"slug": "identity", "name": "Identity"}),
    "replace": ("put", "/api/teams/payments/", {"slug": "payments", "name": "Payments & Payouts"}),
    "edit": ("patch", "/api/teams/payments/", {"description": "Card processing."}),
    "delete": ("delete", "/api/teams/payments/", None),
}
CHANGES = [write for write in WRITES if write != "create"]


def attempt(client, write):
    method, path, body = WRITES[write]
    return getattr(client, method)(path, body, format="json")


def snapshot():
    return list(Team.objects.values_list("slug", "name", "description").order_by("slug"))


@pytest.fixture
def team_admin(team, django_user_model):
    user = django_user_model.objects.create_user(username="tia-team-admin", password="pw-tia-team-admin")
    Membership.objects.create(user=user, team=team, role=Role.ADMIN)
    return user


@pytest.mark.parametrize("write", WRITES)
def test_it_refuses_the_outsider_every_write(api, outsider, team, write):
    assert attempt(api(outsider), write).status_code == 403


@pytest.mark.parametrize("write", WRITES)
def test_it_refuses_a_viewer_every_write(api, viewer, write):
    assert attempt(api(viewer), write).status_code == 403


@pytest.mark.parametrize("write", WRITES)
def test_it_refuses_a_responder_every_write(api, responder, write):
    assert attempt(api(responder), write).status_code == 403


@pytest.mark.parametrize("write", WRITES)
def test_it_refuses_a_lead_every_write(api, lead, write):
    assert attempt(api(lead), write).status_code == 403


@pytest.mark.parametrize("write", WRITES)
def test_it_refuses_another_teams_admin_every_write(api, team, other_team, django_user_model, write):
    user = django_user_model.objects.create_user(username="sam-search-admin")
    Membership.objects.create(user=user, team=other_team, role=Role.ADMIN)
    assert attempt(api(user), write).status_code == 403


@pytest.mark.parametrize("write", WRITES)
def test_it_refuses_anonymous_writes(api, team, write):
    assert attempt(api(None), write).status_code in {401, 403}


@pytest.mark.parametrize("write", WRITES)
def test_it_changes_nothing_when_it_refuses_a_write(api, outsider, team, write):
    before = snapshot()
    attempt(api(outsider), write)
    assert snapshot() == before


@pytest.mark.parametrize("write", CHANGES)
def test_it_lets_the_teams_admin_change_it(api, team_admin, write):
    assert attempt(api(team_admin), write).status_code in {200, 204}


def test_it_lets_a_site_admin_create_a_team(api, admin):
    assert attempt(api(admin), "create").status_code == 201


def test_it_lets_anyone_signed_in_read_teams(api, outsider, team):
    assert [row["slug"] for row in api(outsider).get("/api/teams/").json()["results"]] == ["payments"]

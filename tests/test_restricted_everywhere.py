"""A restricted incident, and everything hanging off it, is invisible to people outside its allowed teams.

The walk below finds every URL pattern of the project by iterating the URL resolver, so a route
added later is covered without anyone remembering to add it here. Every object the restricted
incident owns has the same primary key (7777), so any route taking an id or a reference is pointed
at a restricted object; it must answer 404 (or 405 for a method it does not serve) and never print
restricted text. Routes taking a slug or a name get the slug of the restricted incident's team,
service and root-cause class ("vault"): those are not restricted, but must not print its text
either. Lists, counts, the CSV, the dashboard, the browsable API, the effectiveness check and the
reminder email are checked the same way.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from accounts.models import Membership, Role
from actions.models import ActionItem
from actions.reminders import send_reminders
from incidents.models import Incident
from postmortems.models import Review, RootCauseClass
from services.models import Service
from tests.url_walk import HIDDEN_ID, HIDDEN_REFERENCE, SECRET, SLUG, routes

pytestmark = [pytest.mark.django_db, pytest.mark.long]

API_METHODS = ["get", "post", "put", "patch", "delete"]
PAGE_METHODS = ["get", "post"]


@pytest.fixture
def open_world(vault, team):
    """An unrestricted incident of the same class on the same service, with a corrective action that
    the restricted incident is the recurrence of (the effectiveness check found it)."""
    service, root_class = Service.objects.get(slug=SLUG), RootCauseClass.objects.get(slug=SLUG)
    incident = Incident.objects.create(title="Public outage", team=team, started_at=vault.started_at - timedelta(1))
    incident.services.set([service])
    review = Review.objects.create(incident=incident, summary="Public review", primary_class=root_class)
    ActionItem.objects.create(
        review=review,
        team=team,
        category="corrective",
        title="Public fix",
        status="done",
        done_at=vault.started_at - timedelta(hours=1),
        verification="recurred",
        proposed_verification="ineffective",
        recurrence_incident=vault,
        due_date=timezone.localdate(),
    )
    return incident


@pytest.fixture(params=["outsider", "other_responder"])
def stranger(request, open_world):
    """Someone who may not see the restricted incident: no team at all, or a responder of another team
    (who may write, so the browsable API shows them its forms)."""
    return request.getfixturevalue(request.param)


def request_as(user, client, api, path, method, **params):
    if path.startswith("/api/"):
        return getattr(api(user), method)(path, params or None, format="json" if method != "get" else None)
    client.force_login(user)
    return getattr(client, method)(path, params)


def assert_no_secret(response, where):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert SECRET.encode() not in body, f"{where} leaks restricted text"
    assert response.status_code < 500, f"{where} answered {response.status_code}"


def test_it_walks_enough_routes_to_mean_something(vault):
    walked = routes()
    assert len(walked) > 60
    assert sum(1 for _, hidden in walked if hidden) > 30


def missing_twin(path):
    """The same route pointed at objects that do not exist."""
    return path.replace(HIDDEN_REFERENCE, "INC-9999").replace(str(HIDDEN_ID), "9999")


def test_it_answers_a_restricted_object_exactly_like_a_missing_one_on_every_route(client, api, stranger, vault):
    """GET is a 404, and every method answers as it would for an id that does not exist (a refusal to
    write, 403, comes before the lookup and is the same for both), never with restricted text."""
    for path, hidden in routes():
        if not hidden:
            continue
        for method in API_METHODS if path.startswith("/api/") else PAGE_METHODS:
            response = request_as(stranger, client, api, path, method)
            assert_no_secret(response, f"{method.upper()} {path}")
            twin = request_as(stranger, client, api, missing_twin(path), method)
            assert response.status_code == twin.status_code, f"{method.upper()} {path} tells hidden from missing"
            if path.startswith("/api/"):  # pages differ by their CSRF token and nonce anyway
                assert response.content.replace(str(HIDDEN_ID).encode(), b"9999") == twin.content, path
            if method == "get":
                assert response.status_code in (404, 405), f"GET {path} answered {response.status_code}"


def test_it_prints_no_restricted_text_on_any_other_route(client, api, stranger, vault):
    for path, hidden in routes():
        if hidden:
            continue
        assert_no_secret(request_as(stranger, client, api, path, "get"), f"GET {path}")
        if path.startswith("/api/"):
            assert_no_secret(request_as(stranger, client, api, path, "get", format="api"), f"GET {path}?format=api")
        else:
            assert_no_secret(request_as(stranger, client, api, path, "get", q="exfiltrated"), f"GET {path}?q=…")


def test_it_shows_the_insider_the_restricted_text(client, vault):
    """The walk can fail: the same pages show the secret to someone of the allowed team."""
    client.force_login(get_user_model().objects.get(username="ivy-insider"))
    for path in [f"/incidents/{HIDDEN_REFERENCE}/", f"/reviews/{HIDDEN_REFERENCE}/", f"/actions/{HIDDEN_ID}/"]:
        assert SECRET in client.get(path).content.decode()


@pytest.mark.parametrize(
    "path", ["/api/incidents/", "/api/reviews/", "/api/actions/", f"/api/services/{SLUG}/", "/api/deployments/"]
)
def test_it_counts_only_what_the_stranger_may_see_in_api_lists(api, stranger, path):
    data = api(stranger).get(path).json()
    if path in ("/api/incidents/", "/api/reviews/", "/api/actions/"):
        assert data["count"] == 1
    assert SECRET not in str(data)


def test_it_leaves_restricted_actions_out_of_the_csv_and_the_dashboard(client, stranger):
    client.force_login(stranger)
    rows = client.get("/actions/export.csv").content.decode().splitlines()
    assert len(rows) == 2  # the header and the public fix
    numbers = client.get("/actions/dashboard/").context["numbers"]
    assert numbers["open"] == 0


def test_it_does_not_name_a_restricted_recurrence_on_the_action_page_or_api(client, api, stranger):
    action = ActionItem.objects.get(title="Public fix")
    client.force_login(stranger)
    page = client.get(f"/actions/{action.pk}/").content.decode()
    assert HIDDEN_REFERENCE not in page
    assert "a restricted incident you cannot see" in page
    assert api(stranger).get(f"/api/actions/{action.pk}/").json()["recurrence_incident"] == "restricted"


def test_it_names_the_recurrence_to_someone_who_may_see_it(api, open_world):
    insider = get_user_model().objects.get(username="ivy-insider")
    action = ActionItem.objects.get(title="Public fix")
    assert api(insider).get(f"/api/actions/{action.pk}/").json()["recurrence_incident"] == HIDDEN_REFERENCE


def test_it_sends_no_reminder_about_a_restricted_action_to_an_owner_who_may_not_see_it(outsider, vault, settings):
    outsider.email = "otto@example.com"
    outsider.save()
    ActionItem.objects.filter(pk=HIDDEN_ID).update(owner=outsider)
    send_reminders(today=timezone.localdate())
    assert not [message for message in mail.outbox if SECRET in message.body or SECRET in message.subject]


def test_it_sends_the_reminder_once_the_owner_may_see_it(outsider, vault):
    outsider.email = "otto@example.com"
    outsider.save()
    Membership.objects.create(user=outsider, team=vault.team, role=Role.RESPONDER)
    ActionItem.objects.filter(pk=HIDDEN_ID).update(owner=outsider)
    send_reminders(today=timezone.localdate())
    assert SECRET in mail.outbox[0].body


def test_it_answers_a_hidden_factor_exactly_like_a_missing_one(api, other_responder, open_world):
    review = Review.objects.get(incident=open_world)
    client = api(other_responder)
    url = "/api/actions/"
    body = {"review": open_world.reference, "category": "corrective", "title": "x", "team": "search"}
    hidden = client.post(url, {**body, "factors": [HIDDEN_ID]}, format="json")
    missing = client.post(url, {**body, "factors": [HIDDEN_ID + 99]}, format="json")
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json()["factors"] == [
        m.replace(str(HIDDEN_ID + 99), str(HIDDEN_ID)) for m in missing.json()["factors"]
    ]
    assert review.pk  # the public review is there: only the factor is refused


def test_admin_hides_restricted_incidents_from_staff_who_may_not_see_them(client, vault, team):
    staff = get_user_model().objects.create_user("stan-staff", password="pw", is_staff=True)
    from django.contrib.auth.models import Permission

    staff.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    client.force_login(staff)
    for path in [
        "/admin/incidents/incident/",
        f"/admin/incidents/incident/?q={HIDDEN_REFERENCE}",
        "/admin/postmortems/review/",
        "/admin/actions/actionitem/",
        "/admin/incidents/suspectdeployment/",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert SECRET not in response.content.decode(), path
    for path in [
        f"/admin/incidents/incident/{HIDDEN_ID}/change/",
        f"/admin/postmortems/review/{HIDDEN_ID}/change/",
        f"/admin/actions/actionitem/{HIDDEN_ID}/change/",
    ]:
        response = client.get(path, follow=True)
        assert SECRET not in response.content.decode(), path


@pytest.fixture
def own_review(other_responder, other_team):
    """A review the other team's responder may write to, beside the restricted one they may not see."""
    from playbooks.models import Playbook
    from postmortems.models import CausalFactor

    incident = Incident.objects.create(title="Search outage", team=other_team, started_at=timezone.now())
    review = Review.objects.create(incident=incident, summary="Search review")
    CausalFactor.objects.create(review=review, description="Own factor")
    Playbook.objects.create(title="Search is slow", slug="search-slow", team=other_team)
    return review


MISSING_ID = HIDDEN_ID + 999
MISSING_REFERENCE = f"INC-{MISSING_ID}"


def related_writes(review):
    """(path, body naming the hidden object by `{}`): every write whose related field takes an id or reference."""
    own = review.incident.reference
    own_factor = review.factors.get().pk
    return [
        ("/api/reviews/", lambda x: {"incident": f"INC-{x}"}),
        (f"/api/reviews/{own}/factors/", lambda x: {"description": "d", "timeline_event": x}),
        (f"/api/reviews/{own}/links/", lambda x: {"cause": x, "effect": own_factor}),
        (f"/api/reviews/{own}/links/", lambda x: {"cause": own_factor, "effect": x}),
        ("/api/actions/", lambda x: {"review": f"INC-{x}", "category": "corrective", "title": "t", "team": "search"}),
        (
            "/api/actions/",
            lambda x: {"review": own, "category": "corrective", "title": "t", "team": "search", "factors": [x]},
        ),
        ("/api/playbooks/search-slow/uses/", lambda x: {"incident": f"INC-{x}", "outcome": "helped"}),
    ]


def test_it_words_a_refused_hidden_object_exactly_like_a_missing_one_in_every_related_field(
    api, other_responder, vault, own_review
):
    client = api(other_responder)
    for path, body in related_writes(own_review):
        hidden = client.post(path, body(HIDDEN_ID), format="json")
        missing = client.post(path, body(MISSING_ID), format="json")
        assert hidden.status_code == missing.status_code == 400, (path, hidden.content, missing.content)
        assert hidden.content.decode() == missing.content.decode().replace(str(MISSING_ID), str(HIDDEN_ID)), path

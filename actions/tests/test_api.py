from datetime import timedelta

import pytest
from django.utils import timezone

from actions.models import ActionItem
from actions.tests.factories import CausalFactorFactory, ServiceFactory
from conftest import if_match

pytestmark = pytest.mark.django_db

URL = "/api/actions/"


def test_it_creates_an_action_naming_the_review_by_incident_reference(api, responder, review, team, service):
    factor = CausalFactorFactory(review=review)
    response = api(responder).post(
        URL,
        {
            "review": review.incident.reference,
            "category": "preventive",
            "title": "Validate config against a schema before rollout",
            "team": team.slug,
            "services": [service.slug],
            "factors": [factor.pk],
            "owner": responder.username,
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["review"] == review.incident.reference
    assert response.data["due_date"] == str(timezone.localdate() + timedelta(days=90))


def test_it_refuses_factors_of_another_review(api, responder, review, team):
    response = api(responder).post(
        URL,
        {
            "review": review.incident.reference,
            "category": "corrective",
            "title": "X",
            "team": team.slug,
            "factors": [CausalFactorFactory().pk],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "factors" in response.data
    assert not ActionItem.objects.exists()


def test_it_refuses_an_outsider(api, outsider, review, team):
    response = api(outsider).post(
        URL, {"review": review.incident.reference, "category": "corrective", "title": "X", "team": team.slug}
    )
    assert response.status_code == 403


def test_it_marks_done_with_nothing_else(api, responder, make_action):
    action = make_action()
    response = api(responder).patch(
        f"{URL}{action.pk}/", {"status": "done"}, format="json", **if_match(api(responder), f"{URL}{action.pk}/")
    )
    assert response.status_code == 200
    assert response.data["status"] == "done"
    assert response.data["done_at"]


def test_it_needs_a_reason_for_wont_do(api, responder, make_action):
    action = make_action()
    response = api(responder).patch(
        f"{URL}{action.pk}/", {"status": "wont_do"}, format="json", **if_match(api(responder), f"{URL}{action.pk}/")
    )
    assert response.status_code == 400
    assert "wont_do_reason" in response.data
    action.refresh_from_db()
    assert action.status == "open"


def test_it_accepts_wont_do_with_a_reason(api, responder, make_action):
    action = make_action()
    response = api(responder).patch(
        f"{URL}{action.pk}/",
        {"status": "wont_do", "wont_do_reason": "Service retired"},
        format="json",
        **if_match(api(responder), f"{URL}{action.pk}/"),
    )
    assert (response.status_code, response.data["status"]) == (200, "wont_do")


@pytest.mark.parametrize("persona", ["viewer", "outsider"])
def test_it_refuses_transitions_by_readers(api, make_action, persona, request):
    action = make_action()
    response = api(request.getfixturevalue(persona)).patch(f"{URL}{action.pk}/", {"status": "done"}, format="json")
    assert response.status_code == 403


def test_it_refuses_verification_by_a_responder(api, responder, make_action):
    action = make_action()
    action.transition("done", by=responder)
    response = api(responder).patch(
        f"{URL}{action.pk}/",
        {"verification": "effective"},
        format="json",
        **if_match(api(responder), f"{URL}{action.pk}/"),
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.verification == "pending"


def test_it_lets_a_lead_verify(api, lead, make_action):
    action = make_action()
    action.transition("done", by=lead)
    response = api(lead).patch(
        f"{URL}{action.pk}/", {"verification": "effective"}, format="json", **if_match(api(lead), f"{URL}{action.pk}/")
    )
    assert (response.status_code, response.data["verification"], response.data["verified_by"]) == (
        200,
        "effective",
        lead.username,
    )


def test_it_hides_actions_of_restricted_incidents(api, viewer, make_action, restricted_review):
    secret = make_action(review=restricted_review)
    client = api(viewer)
    assert client.get(f"{URL}{secret.pk}/").status_code == 404
    assert client.get(URL).data["count"] == 0


def test_it_records_remedial_findings(api, responder, make_action, service):
    action = make_action(category="remedial")
    response = api(responder).post(
        f"{URL}{action.pk}/findings/", {"service": service.slug, "text": "Same bug in payouts"}, format="json"
    )
    assert response.status_code == 201
    assert api(responder).get(f"{URL}{action.pk}/").data["finding_count"] == 1


@pytest.fixture
def spread(make_action, team, other_team, review, responder):
    today = timezone.localdate()
    ledger = ServiceFactory(slug="ledger", team=team)
    make_action(category="preventive", due_date=today - timedelta(days=2), owner=responder)
    make_action(category="preventive", due_date=today - timedelta(days=2), team=other_team, services=[ledger])
    make_action(category="corrective", due_date=today + timedelta(days=5))
    done = make_action(category="corrective", due_date=today + timedelta(days=50))
    done.transition("done", by=responder)


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("overdue=true", 2),
        ("overdue=true&category=preventive&team=payments", 1),
        ("due_within_days=7", 1),
        ("category=corrective", 2),
        ("status=done", 1),
        ("verification=pending", 1),
        ("team=search", 1),
        ("service=ledger", 1),
        ("owner=rae-responder", 1),
        ("review=INC-999999", 0),
    ],
)
def test_it_filters_like_the_list_page(api, lead, spread, query, count):
    assert api(lead).get(f"{URL}?{query}").data["count"] == count


def test_it_filters_by_review_reference(api, lead, spread, review):
    assert api(lead).get(f"{URL}?review={review.incident.reference}").data["count"] == 4


@pytest.mark.parametrize("count", [10, 500])
def test_it_lists_in_a_fixed_number_of_queries(api, lead, review, team, service, count, django_assert_max_num_queries):
    ActionItem.objects.bulk_create(
        ActionItem(review=review, team=team, category="corrective", title=f"A{i}", due_date=timezone.localdate())
        for i in range(count)
    )
    ActionItem.services.through.objects.bulk_create(
        ActionItem.services.through(actionitem_id=pk, service_id=service.pk)
        for pk in ActionItem.objects.values_list("pk", flat=True)
    )
    client = api(lead)
    with django_assert_max_num_queries(9):
        response = client.get(URL)
    assert response.data["count"] == count


def test_it_lists_remedial_findings_a_page_at_a_time(api, viewer, make_action):
    action = make_action(category="remedial")
    action.findings.create(text="Same bug in payouts")
    action.findings.create(text="Same bug in refunds")
    body = api(viewer).get(f"{URL}{action.pk}/findings/?page_size=1").json()
    assert (body["count"], len(body["results"]), body["next"] is not None) == (2, 1, True)


def test_it_documents_an_unset_verifier_and_recorder_as_null(client, viewer):
    client.force_login(viewer)
    components = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["components"]["schemas"]
    documented = (
        components["ActionItem"]["properties"]["verified_by"].get("nullable"),
        components["RemedialFinding"]["properties"]["recorded_by"].get("nullable"),
    )
    assert documented == (True, True)


def test_it_refuses_an_action_for_a_team_the_writer_is_not_in(api, responder, review, other_team):
    body = {"review": review.incident.reference, "category": "corrective", "title": "X", "team": other_team.slug}
    response = api(responder).post(URL, body, format="json")
    assert (response.status_code, ActionItem.objects.count()) == (403, 0)
    assert "role in team search" in response.json()["detail"]


def test_it_refuses_to_move_an_action_to_a_team_the_writer_is_not_in(api, responder, make_action, other_team):
    action = make_action()
    client = api(responder)
    response = client.patch(
        f"{URL}{action.pk}/", {"team": other_team.slug}, format="json", **if_match(client, f"{URL}{action.pk}/")
    )
    action.refresh_from_db()
    assert (response.status_code, action.team_id) == (403, action.review.incident.team_id)

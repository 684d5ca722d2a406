import csv
import io
import statistics
from datetime import timedelta

import pytest
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionItem
from actions.tests.factories import CausalFactorFactory, bulk_actions

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_it_lists_actions(client, viewer, make_action):
    make_action(title="Add a timeout to the card vault client")
    response = login(client, viewer).get(reverse("actions:action_list"))
    assert b"Add a timeout to the card vault client" in response.content


def test_it_hides_actions_of_restricted_incidents(client, viewer, make_action, restricted_review):
    secret = make_action(review=restricted_review, title="Rotate the leaked key")
    client = login(client, viewer)
    assert b"Rotate the leaked key" not in client.get(reverse("actions:action_list")).content
    assert client.get(secret.get_absolute_url()).status_code == 404
    assert b"Rotate the leaked key" not in client.get(reverse("actions:export_csv")).content


def test_it_shows_restricted_actions_to_an_allowed_team(client, other_team, make_action, restricted_review):
    from conftest import _member

    searcher = _member("sue-search", other_team, "viewer")
    secret = make_action(review=restricted_review, title="Rotate the leaked key")
    assert login(client, searcher).get(secret.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("persona", ["viewer", "outsider"])
def test_it_refuses_status_changes_by_readers(client, make_action, persona, request):
    action = make_action()
    response = login(client, request.getfixturevalue(persona)).post(
        reverse("actions:action_transition", args=[action.pk]), {"status": "done"}
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == "open"


def test_it_marks_an_action_done_from_its_page(client, responder, make_action):
    action = make_action()
    response = login(client, responder).post(reverse("actions:action_transition", args=[action.pk]), {"status": "done"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done"


def test_it_shows_only_allowed_transitions(client, responder, make_action):
    action = make_action()
    content = login(client, responder).get(action.get_absolute_url()).content.decode()
    assert 'data-transition="done"' in content
    assert 'data-transition="in_progress"' in content
    assert "Reopen" not in content


def test_it_refuses_verification_by_a_responder(client, responder, make_action):
    action = make_action()
    action.transition("done", by=responder)
    response = login(client, responder).post(
        reverse("actions:action_verify", args=[action.pk]), {"outcome": "effective"}
    )
    assert response.status_code == 403


def test_it_records_a_leads_verification(client, lead, make_action):
    action = make_action()
    action.transition("done", by=lead)
    login(client, lead).post(reverse("actions:action_verify", args=[action.pk]), {"outcome": "ineffective"})
    action.refresh_from_db()
    assert action.verification == "ineffective"


def test_it_records_remedial_findings_and_shows_their_count(client, responder, make_action, service):
    action = make_action(category="remedial")
    client = login(client, responder)
    for text in ("Payouts lacks the same timeout", "Ledger too"):
        client.post(reverse("actions:finding_add", args=[action.pk]), {"service": service.pk, "text": text})
    content = client.get(action.get_absolute_url()).content.decode()
    assert action.findings.count() == 2
    assert "found 2 similar holes" in content


# --- Dashboard -------------------------------------------------------------------


@pytest.fixture
def mixed_actions(make_action, responder, team, other_team, service):
    """A spread of actions: overdue, due soon, far off, done on time and late, verified, in two teams."""
    today = timezone.localdate()
    now = timezone.now()
    rows = [
        make_action(category="preventive", due_date=today - timedelta(days=5)),
        make_action(category="preventive", due_date=today - timedelta(days=1), team=other_team),
        make_action(category="corrective", due_date=today + timedelta(days=3)),
        make_action(category="remedial", due_date=today + timedelta(days=30)),
        make_action(category="immediate_fix", due_date=today - timedelta(days=20)),
        make_action(category="corrective", due_date=today - timedelta(days=10)),
        make_action(category="preventive", due_date=today + timedelta(days=10)),
    ]
    rows[4].transition("done", by=responder, at=now - timedelta(days=25))  # on time
    rows[5].transition("done", by=responder, at=now - timedelta(days=2))  # late
    rows[6].transition("done", by=responder, at=now - timedelta(days=1))  # on time, verified later
    ActionItem.objects.filter(pk=rows[6].pk).update(verification="effective")
    ActionItem.objects.filter(pk=rows[0].pk).update(opened_at=now - timedelta(days=40))
    return rows


def dashboard_numbers(client, user, query=""):
    response = login(client, user).get(reverse("actions:dashboard") + query)
    assert response.status_code == 200
    return response.context["numbers"]


def test_it_counts_the_dashboard_like_an_independent_count(client, lead, mixed_actions):
    numbers = dashboard_numbers(client, lead)
    today = timezone.localdate()
    rows = list(ActionItem.objects.all())
    open_rows = [a for a in rows if a.status in ("open", "in_progress")]
    expected_ages = [(timezone.now() - a.opened_at).total_seconds() / 86400 for a in open_rows]
    assert numbers["open"] == len(open_rows)
    assert numbers["overdue"] == sum(1 for a in open_rows if a.due_date < today)
    assert numbers["due_soon"] == sum(1 for a in open_rows if today <= a.due_date <= today + timedelta(days=7))
    assert numbers["done_on_time"] == sum(1 for a in rows if a.was_done_on_time() is True)
    assert numbers["done_late"] == sum(1 for a in rows if a.was_done_on_time() is False)
    assert numbers["verification_effective"] == 1
    assert numbers["verification_pending"] == 1
    assert numbers["median_open_age_days"] == pytest.approx(statistics.median(expected_ages), abs=0.1)
    assert numbers["backlog"]["open"][-1] == len(open_rows)


def test_it_filters_the_dashboard_by_team(client, lead, mixed_actions, other_team):
    numbers = dashboard_numbers(client, lead, f"?team={other_team.slug}")
    assert (numbers["open"], numbers["overdue"]) == (1, 1)


def test_it_links_every_dashboard_number_to_the_same_rows_in_the_list(client, lead, mixed_actions):
    numbers = dashboard_numbers(client, lead, "?category=preventive")
    for query, key in [
        ("overdue=true", "overdue"),
        ("due_within_days=7", "due_soon"),
        ("open=true", "open"),
        ("done_within_days=90&on_time=true", "done_on_time"),
        ("verification=effective", "verification_effective"),
    ]:
        listed = client.get(reverse("actions:action_list") + f"?category=preventive&{query}").context["total_count"]
        assert listed == numbers[key], query


def test_it_leaves_restricted_actions_out_of_the_dashboard(client, viewer, make_action, restricted_review):
    make_action(review=restricted_review, due_date=timezone.localdate() - timedelta(days=3))
    assert dashboard_numbers(client, viewer)["overdue"] == 0


def test_it_exports_the_filtered_list_as_csv(client, lead, mixed_actions):
    client = login(client, lead)
    query = "?overdue=true&category=preventive"
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("actions:export_csv") + query).content.decode())))
    listed = client.get(reverse("actions:action_list") + query).context["object_list"]
    assert sorted(int(row["id"]) for row in rows) == sorted(action.pk for action in listed)
    assert {row["overdue"] for row in rows} == {"yes"}


@pytest.mark.parametrize("count", [50, 5000])
def test_it_renders_the_dashboard_in_a_fixed_number_of_queries(lead, review, team, count, page_within):
    bulk_actions(review, team, count)
    response = page_within(lead, reverse("actions:dashboard") + f"?team={team.slug}", queries=12)
    assert response.context["numbers"]["open"] == sum(1 for i in range(count) if i % 4 in (0, 1))


@pytest.mark.parametrize("count", [10, 500])
def test_it_lists_actions_in_a_fixed_number_of_queries(lead, review, team, count, page_within):
    bulk_actions(review, team, count)
    response = page_within(lead, reverse("actions:action_list"), queries=9)
    assert response.context["total_count"] == count


# --- Coverage of causes on the review page ---------------------------------------


def render_coverage(review, user):
    request = RequestFactory().get("/")
    request.user = user
    template = Template('{% load panels %}{% render_panels "review_detail_main" review %}')
    return template.render(RequestContext(request, {"review": review}))


def test_it_warns_when_a_root_cause_has_no_corrective_or_preventive_action(review, make_action, responder):
    covered, bare = CausalFactorFactory(review=review), CausalFactorFactory(review=review)
    make_action(category="preventive").factors.set([covered])
    make_action(category="immediate_fix").factors.set([bare])
    html = render_coverage(review, responder)
    assert html.count('class="coverage-gap"') == 1
    assert f'data-factor="{bare.pk}"' in html.split('class="coverage-gap"')[1][:40]
    assert "1 root cause has no corrective or preventive action" in html


def test_it_shows_which_categories_address_each_root_cause(review, make_action, responder):
    factor = CausalFactorFactory(review=review)
    make_action(category="remedial").factors.set([factor])
    html = render_coverage(review, responder)
    row = html.split(f'data-factor="{factor.pk}"')[1].split("</tr>")[0]
    assert 'data-category="remedial"><span class="coverage-yes"' in row
    assert 'data-category="corrective"><span class="coverage-no"' in row


def test_it_offers_the_add_form_only_to_writers(review, responder, viewer):
    assert "Add action" in render_coverage(review, responder)
    assert "Add action" not in render_coverage(review, viewer)


def test_it_adds_an_action_from_the_review_with_htmx(client, responder, review, team):
    factor = CausalFactorFactory(review=review)
    response = login(client, responder).post(
        reverse("actions:action_create") + f"?review={review.incident.reference}",
        {
            "category": "preventive",
            "title": "Schema-check config",
            "team": team.pk,
            "priority": "high",
            "factors": [factor.pk],
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'id="review-coverage"' in response.content.decode()
    action = review.actions.get()
    assert (action.title, list(action.factors.all())) == ("Schema-check config", [factor])


def test_it_refuses_to_add_an_action_addressing_another_reviews_factor(client, responder, review, team):
    foreign = CausalFactorFactory()
    login(client, responder).post(
        reverse("actions:action_create") + f"?review={review.incident.reference}",
        {"category": "preventive", "title": "X", "team": team.pk, "priority": "high", "factors": [foreign.pk]},
    )
    assert not review.actions.exists()


def test_it_refuses_an_outsider_adding_an_action(client, outsider, review, team):
    response = login(client, outsider).post(
        reverse("actions:action_create") + f"?review={review.incident.reference}",
        {"category": "preventive", "title": "X", "team": team.pk, "priority": "high"},
    )
    assert response.status_code == 403


def test_it_links_the_actions_stylesheet_on_the_review_page_and_not_on_the_incident_page(client, viewer, review):
    client.force_login(viewer)
    assert "hindsight/actions.css" in client.get(review.get_absolute_url()).content.decode()
    assert "hindsight/actions.css" not in client.get(review.incident.get_absolute_url()).content.decode()


def test_it_names_the_csv_after_its_filters_and_writes_names_people_read(client, lead, make_action):
    make_action(title="Cap the pool", category="preventive")
    response = login(client, lead).get(reverse("actions:export_csv") + "?team=payments")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response["Content-Disposition"].startswith('attachment; filename="actions-team-payments-')
    assert [(row["team"], row["category"]) for row in rows] == [("Payments", "Preventive")]


def test_it_exports_csv_cells_no_spreadsheet_runs(client, lead, make_action):
    make_action(title="x;=2+5;", category="preventive")
    make_action(title="@SUM(1+1)\t=cmd|' /C calc'!A0", category="preventive")
    response = login(client, lead).get(reverse("actions:export_csv"))
    assert response["Cache-Control"] == "private, no-store"
    titles = [row["title"] for row in csv.DictReader(io.StringIO(response.content.decode()))]
    assert sorted(titles) == ["'@SUM(1+1)\t'=cmd|' /C calc'!A0", "x;'=2+5;"]
    for title in titles:
        for separator in ";,\t|":
            assert not any(part[:1] in "=+-@" and part for part in title.split(separator)[1:]), title


def test_it_refuses_to_add_an_action_for_a_team_the_writer_is_not_in(client, responder, review, other_team):
    response = login(client, responder).post(
        reverse("actions:action_create") + f"?review={review.incident.reference}",
        {"category": "preventive", "title": "X", "team": other_team.pk, "priority": "high"},
    )
    # The form offers only the writer's own teams: another team is a field error, and nothing is added.
    assert ("team" in response.context["form"].errors, review.actions.exists()) == (True, False)

"""Importing past reviews: POST /api/import/reviews/ and manage.py import_reviews, all or nothing, idempotent."""

import json
from datetime import UTC, date, datetime

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from actions.choices import Status, Verification
from actions.models import ActionItem
from actions.tests.factories import CausalFactorFactory
from conftest import _member, screenshot
from core.models import SearchDocument
from incidents.choices import DetectionSource
from incidents.models import Incident
from postmortems.choices import ReviewStatus
from postmortems.models import Review

URL = "/api/import/reviews/"


def record(n, *, team="payments", source="confluence"):
    """A closed SEV2 incident of 2024 with a published review, a three-factor chart and one action per category."""
    return {
        "incident": {
            "source": source,
            "external_id": f"PM-{n}",
            "title": f"Checkout 502s after a configuration push ({n})",
            "severity": "sev2",
            "status": "closed",
            "started_at": "2024-03-02T09:00:00Z",
            "detected_at": "2024-03-02T09:04:00Z",
            "mitigated_at": "2024-03-02T09:40:00Z",
            "resolved_at": "2024-03-02T10:00:00Z",
            "team": team,
            "services": ["payments-api"],
            "detection_source": "customer",
            "timeline": [
                {"occurred_at": "2024-03-02T09:04:00Z", "kind": "detection", "text": "Customers report 502s"},
                {"occurred_at": "2024-03-02T09:30:00Z", "kind": "action", "text": "Rolled the configuration back"},
            ],
        },
        "review": {
            "status": "published",
            "published_at": "2024-03-08T15:00:00Z",
            "owner": "lee-lead",
            "authors": ["lee-lead"],
            "primary_class": "configuration-change",
            "summary": "A configuration push shrank the payment connection pool.",
            "impact": "12% of checkouts failed for 40 minutes.",
            "lessons": "Configuration deserves the same canary as code.",
            "factors": [
                {"key": "push", "description": "Configuration pushed without a canary", "is_root_cause": True},
                {"key": "pool", "kind": "condition", "description": "Connection pool shrank to 5"},
                {"key": "502", "description": "Checkout returned 502", "is_symptom": True, "timeline_event": 0},
            ],
            "links": [{"cause": "push", "effect": "pool"}, {"cause": "pool", "effect": "502"}],
        },
        "actions": [
            {
                "category": "immediate_fix",
                "title": "Restore the pool size",
                "owner": "lee-lead",
                "status": "done",
                "opened_at": "2024-03-02T09:45:00Z",
                "done_at": "2024-03-02T11:00:00Z",
            },
            {
                "category": "corrective",
                "title": "Canary configuration pushes",
                "factors": ["push"],
                "status": "done",
                "due_date": "2024-04-15",
                "done_at": "2024-04-01T10:00:00Z",
            },
            {
                "category": "remedial",
                "title": "Audit the other pools",
                "status": "wont_do",
                "wont_do_reason": "Covered by the platform migration.",
                "closed_at": "2024-03-20T10:00:00Z",
            },
            {"category": "preventive", "title": "Validate configuration in CI", "due_date": "2024-06-01"},
        ],
    }


def document(*numbers, **kwargs):
    return {"records": [record(n, **kwargs) for n in numbers]}


def table_counts():
    """Rows in every table Hindsight has (history tables too)."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.fixture
def importer(api, lead, service, root_class):
    """An API client of the Payments team's lead, with payments-api and the configuration-change class in place."""
    return api(lead)


def test_it_imports_an_incident_with_its_review_chart_and_actions(importer):
    response = importer.post(URL, document(1), format="json")

    assert response.status_code == 201, response.content
    incident = Incident.objects.get()
    assert response.json()["records"] == [
        {
            "index": 0,
            "source": "confluence",
            "external_id": "PM-1",
            "result": "created",
            "reference": incident.reference,
        }
    ]
    assert response.json()["counts"] == {
        "incidents": 1,
        "timeline_events": 2,
        "reviews": 1,
        "factors": 3,
        "links": 2,
        "actions": 4,
    }
    assert (incident.source, incident.external_id, incident.status, incident.detection_source) == (
        "confluence",
        "PM-1",
        "closed",
        DetectionSource.CUSTOMER,
    )
    assert [event.text for event in incident.timeline.all()] == [
        "Customers report 502s",
        "Rolled the configuration back",
    ]


def test_it_publishes_an_imported_review_at_its_own_time(importer, lead):
    importer.post(URL, document(1), format="json")

    review = Review.objects.get()
    assert (review.status, review.published_at, review.published_by, review.primary_class.slug) == (
        ReviewStatus.PUBLISHED,
        datetime(2024, 3, 8, 15, tzinfo=UTC),
        lead,
        "configuration-change",
    )
    assert list(review.authors.all()) == [lead]


def test_it_draws_the_imported_chart_with_its_links_and_evidence(importer):
    importer.post(URL, document(1), format="json")

    review = Review.objects.get()
    factors = {factor.description: factor for factor in review.factors.all()}
    links = {(link.cause.description, link.effect.description) for link in review.links.all()}
    assert links == {
        ("Configuration pushed without a canary", "Connection pool shrank to 5"),
        ("Connection pool shrank to 5", "Checkout returned 502"),
    }
    assert factors["Checkout returned 502"].timeline_event.text == "Customers report 502s"
    assert factors["Configuration pushed without a canary"].is_root_cause


def test_it_imports_actions_in_four_categories_with_their_owners_states_and_dates(importer, lead, team):
    importer.post(URL, document(1), format="json")

    actions = {action.category: action for action in ActionItem.objects.all()}
    assert {category: action.status for category, action in actions.items()} == {
        "immediate_fix": Status.DONE,
        "corrective": Status.DONE,
        "remedial": Status.WONT_DO,
        "preventive": Status.OPEN,
    }
    assert (actions["immediate_fix"].owner, actions["immediate_fix"].team) == (lead, team)
    assert actions["corrective"].done_at == datetime(2024, 4, 1, 10, tzinfo=UTC)
    assert actions["corrective"].due_date == date(2024, 4, 15)
    assert actions["corrective"].verification == Verification.PENDING
    assert [factor.description for factor in actions["corrective"].factors.all()] == [
        "Configuration pushed without a canary"
    ]
    assert actions["remedial"].closed_at == datetime(2024, 3, 20, 10, tzinfo=UTC)
    # Opened when the review was published, due when that category and severity are due by default.
    assert actions["preventive"].opened_at == datetime(2024, 3, 8, 15, tzinfo=UTC)


def test_it_creates_nothing_new_when_the_same_document_comes_again(importer):
    importer.post(URL, document(1, 2), format="json")
    before = table_counts()

    again = importer.post(URL, document(1, 2), format="json")

    assert again.status_code == 200
    assert (again.json()["created"], again.json()["skipped"]) == (0, 2)
    assert table_counts() == before


def test_it_imports_only_the_new_records_of_a_document_run_again_after_adding_some(importer):
    importer.post(URL, document(1), format="json")

    response = importer.post(URL, document(1, 2), format="json")

    assert [row["result"] for row in response.json()["records"]] == ["skipped", "created"]
    assert Incident.objects.count() == 2


# --- An invalid document changes nothing and says which record and field ---------------------


def refused(importer, body, expected=400):
    before = table_counts()
    response = importer.post(URL, body, format="json")
    assert response.status_code == expected, response.content
    assert table_counts() == before
    return response.json()


def test_it_refuses_a_bad_factor_kind_naming_the_record_and_field(importer):
    body = document(0, 1, 2, 3, 4)
    body["records"][3]["review"]["factors"][1]["kind"] = "feeling"

    errors = refused(importer, body)

    assert list(errors["records"]) == ["3"]
    assert "kind" in errors["records"]["3"]["review"]["factors"]["1"]
    assert errors["problems"][0].startswith("record 3 (confluence PM-3): review.factors.1.kind: ")


def test_it_refuses_a_chart_with_a_cycle(importer):
    body = document(0, 1, 2, 3)
    body["records"][3]["review"]["links"].append({"cause": "502", "effect": "push"})

    errors = refused(importer, body)

    assert "would make a cycle" in errors["records"]["3"]["review"]["links"]["2"]["non_field_errors"][0]


def test_it_refuses_a_factor_that_causes_itself(importer):
    body = document(0)
    body["records"][0]["review"]["links"] = [{"cause": "pool", "effect": "pool"}]

    errors = refused(importer, body)

    assert "cannot cause itself" in errors["records"]["0"]["review"]["links"]["0"]["non_field_errors"][0]


def test_it_refuses_an_unknown_owner(importer):
    body = document(0, 1, 2, 3)
    body["records"][3]["actions"][0]["owner"] = "nobody-here"

    errors = refused(importer, body)

    assert errors["records"]["3"]["actions"]["0"]["owner"] == ["No user “nobody-here”."]
    assert "record 3 (confluence PM-3): actions.0.owner" in errors["problems"][0]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda r: r["incident"].update(detected_at="2024-03-02T08:00:00Z"), ("incident", "detected_at")),
        (lambda r: r["incident"].update(team="no-such-team"), ("incident", "team")),
        (lambda r: r["incident"].update(restricted=True), ("incident", "allowed_teams")),
        (lambda r: r["incident"].pop("external_id"), ("incident", "external_id")),
        (lambda r: r["review"].update(published_at="2024-03-01T00:00:00Z"), ("review", "published_at")),
        (lambda r: r["review"].update(published_at="2999-03-01T00:00:00Z"), ("review", "published_at")),
        (lambda r: r["review"].pop("published_at"), ("review", "published_at")),
        (lambda r: r["review"].update(primary_class="weather"), ("review", "primary_class")),
        (lambda r: r["review"]["factors"][0].update(is_root_cause=False), ("review", "status")),
        (lambda r: r["review"]["links"].append({"cause": "push", "effect": "gone"}), ("review", "links")),
        (lambda r: r["review"]["factors"].append({"key": "push", "description": "Twice"}), ("review", "factors")),
        (lambda r: r["actions"][0].pop("done_at"), ("actions", "0")),
        (lambda r: r["actions"][0].update(done_at="2024-03-01T00:00:00Z"), ("actions", "0")),
        (lambda r: r["actions"][2].pop("wont_do_reason"), ("actions", "2")),
        (lambda r: r["actions"][1].update(factors=["nope"]), ("actions", "1")),
        (lambda r: r["actions"][3].update(category="wishful"), ("actions", "3")),
        (lambda r: r.pop("review"), ("actions",)),
    ],
)
def test_it_refuses_what_the_models_refuse_and_writes_nothing(importer, change, where):
    body = document(0, 1)
    change(body["records"][1])

    errors = refused(importer, body)

    node = errors["records"]["1"]
    for part in where:
        node = node[part]
    assert node


def test_it_refuses_the_same_incident_twice_in_one_document(importer):
    errors = refused(importer, {"records": [record(1), record(1)]})
    assert "Record 0 has the same" in errors["records"]["1"]["incident"]["external_id"][0]


@pytest.mark.parametrize("body", [{}, {"records": []}, {"records": "PM-1"}, [record(1)]])
def test_it_refuses_a_document_that_is_not_a_list_of_records(importer, body):
    assert refused(importer, body)["problems"]


def test_it_refuses_more_records_than_one_request_holds(importer):
    errors = refused(importer, {"records": [{}] * 501})
    assert "At most 500" in errors["records"][0]


# --- Who may import, and restricted incidents ----------------------------------------------


@pytest.mark.parametrize("persona", ["viewer", "responder", "outsider"])
def test_it_refuses_people_who_lead_no_team(request, api, service, root_class, persona):
    client = api(request.getfixturevalue(persona))
    refused(client, document(1), expected=403)


def test_it_refuses_a_lead_of_another_team_naming_the_record(api, lead, other_team, service, root_class):
    other_lead = _member("sam-search-lead", other_team, Role.LEAD)

    errors = refused(api(other_lead), document(1), expected=403)

    assert "lead role" in errors["records"]["0"]["incident"]["team"][0]


def test_it_imports_a_restricted_incident_seen_only_by_the_allowed_teams(
    importer, api, viewer, other_responder, outsider
):
    body = document(1)
    body["records"][0]["incident"].update(restricted=True, allowed_teams=["payments"])

    reference = importer.post(URL, body, format="json").json()["records"][0]["reference"]

    codes = {
        persona.username: (
            api(persona).get(f"/api/incidents/{reference}/").status_code,
            api(persona).get(f"/api/reviews/{reference}/").status_code,
            len(api(persona).get("/api/actions/").json()["results"]),
        )
        for persona in (viewer, other_responder, outsider)
    }
    assert codes == {"vic-viewer": (200, 200, 4), "sid-search": (404, 404, 0), "otto-outsider": (404, 404, 0)}


def test_it_skips_a_restricted_incident_imported_before_without_naming_it_to_others(
    importer, api, other_team, service, root_class
):
    body = document(1)
    body["records"][0]["incident"].update(restricted=True, allowed_teams=["payments"])
    importer.post(URL, body, format="json")
    stranger = _member("sam-search-lead", other_team, Role.LEAD)
    again = document(1, team="search")
    again["records"][0]["incident"]["services"] = []

    response = api(stranger).post(URL, again, format="json")

    assert response.json()["records"][0] == {
        "index": 0,
        "source": "confluence",
        "external_id": "PM-1",
        "result": "skipped",
        "reference": None,
    }
    assert Incident.objects.count() == 1


# --- What follows an import ------------------------------------------------------------------


def test_it_indexes_and_follows_up_imported_records_after_commit(importer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        importer.post(URL, document(1), format="json")

    incident, review = Incident.objects.get(), Review.objects.get()
    indexed = {
        (row.doc_type, row.object_id): row for row in SearchDocument.objects.filter(doc_type__in=["incident", "review"])
    }
    assert indexed[("incident", incident.pk)].body == "Customers report 502s\nRolled the configuration back"
    assert "Connection pool shrank to 5" in indexed[("review", review.pk)].body


def test_it_imports_in_a_fixed_number_of_queries_per_record(importer):
    def queries(numbers):
        with CaptureQueriesContext(connection) as captured:
            response = importer.post(URL, document(*numbers), format="json")
        assert response.status_code == 201, response.content
        return len(captured)

    few, many = queries(range(0, 5)), queries(range(100, 125))

    assert (many - few) / 20 <= 20, (few, many)


# --- The management command --------------------------------------------------------------------


def test_the_command_imports_a_file_and_says_what_it_did(tmp_path, lead, service, root_class, capsys):
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps(document(1, 2)))

    call_command("import_reviews", str(path))
    call_command("import_reviews", str(path))

    out = capsys.readouterr().out
    assert "Imported 2 records (2 incidents, 4 timeline events, 2 reviews, 6 factors, 4 links, 8 actions)" in out
    assert "Imported 0 records (0 incidents, 0 timeline events, 0 reviews, 0 factors, 0 links, 0 actions); " in out
    assert "skipped 2 imported before" in out
    assert Incident.objects.count() == 2


def test_the_command_refuses_an_invalid_file_naming_record_and_field(tmp_path, lead, service, root_class, capsys):
    body = document(1, 2)
    body["records"][1]["actions"][0]["owner"] = "nobody-here"
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps(body))
    before = table_counts()

    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_reviews", str(path))

    assert "record 1 (confluence PM-2): actions.0.owner: No user “nobody-here”." in capsys.readouterr().err
    assert table_counts() == before


def test_the_command_holds_a_named_user_to_their_permissions(tmp_path, lead, viewer, service, root_class):
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps(document(1)))

    with pytest.raises(CommandError, match="may not be imported by vic-viewer"):
        call_command("import_reviews", str(path), "--user", viewer.username)

    assert not Incident.objects.exists()


def test_the_command_checks_a_file_without_writing(tmp_path, lead, service, root_class, capsys):
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps(document(1)))

    call_command("import_reviews", str(path), "--check")

    assert "1 records would be imported" in capsys.readouterr().out
    assert not Incident.objects.exists()


# --- Publishing at a given time over the API ------------------------------------------------


@pytest.fixture
def ready_draft(review, lead):
    """The review, back to a draft that is ready to publish, of an incident that started on 1 January 2024."""
    CausalFactorFactory(review=review, is_root_cause=True)
    Review.objects.filter(pk=review.pk).update(status=ReviewStatus.DRAFT, published_at=None, owner=lead)
    Incident.objects.filter(pk=review.incident_id).update(started_at=datetime(2024, 1, 1, tzinfo=UTC))
    return review


def test_it_publishes_a_review_at_a_given_time_over_the_api(api, lead, ready_draft):
    response = api(lead).post(
        f"/api/reviews/{ready_draft.reference}/publish/", {"published_at": "2024-01-05T12:00:00Z"}, format="json"
    )

    ready_draft.refresh_from_db()
    assert (response.status_code, ready_draft.published_at) == (200, datetime(2024, 1, 5, 12, tzinfo=UTC))


@pytest.mark.parametrize("moment", ["2999-01-05T12:00:00Z", "2023-12-31T12:00:00Z"])
def test_it_refuses_a_publication_time_in_the_future_or_before_the_incident(api, lead, ready_draft, moment):
    response = api(lead).post(f"/api/reviews/{ready_draft.reference}/publish/", {"published_at": moment}, format="json")

    ready_draft.refresh_from_db()
    assert (response.status_code, "published_at" in response.json(), ready_draft.status) == (
        400,
        True,
        ReviewStatus.DRAFT,
    )


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_it_shows_an_imported_incident_and_its_review_as_they_were(page_as, importer, lead, width):
    reference = importer.post(URL, document(1), format="json").json()["records"][0]["reference"]
    page = page_as(lead, width=width)

    page.goto(f"/incidents/{reference}/")
    facts = page.locator(".incident-facts").inner_text()
    screenshot(page, f"imported-incident-{width}")
    page.goto(f"/reviews/{reference}/")
    published = page.get_by_text("Published 8 Mar 2024").inner_text()
    screenshot(page, f"imported-review-{width}")

    assert ("Recorded in\nconfluence PM-1" in facts, "Customer report" in facts) == (True, True)
    assert published.startswith("Published 8 Mar 2024 15:00 by lee-lead")

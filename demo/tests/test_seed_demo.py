"""The whole demo seed, run once for the module: believable numbers on the actions dashboard, and idempotence."""

import io
import re
import statistics
from collections import Counter
from itertools import pairwise

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionItem
from demo.incidents import cause_of, placements
from demo.organisation import DEMO_USERNAME, SERVICES
from demo.stories import CAUSES, PROVIDERS
from failure_catalog.coverage import coverage_for
from failure_catalog.models import Experiment, FaultType, GateDecision, ResilienceRequirement
from incidents.models import Incident, SuspectDeployment
from postmortems.models import SECTION_FIELDS, Review
from services.models import Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def numbers(seeded, client):
    client.force_login(get_user_model().objects.get(username=DEMO_USERNAME))
    return client.get(reverse("actions:dashboard")).context["numbers"]


def snapshot():
    """Row counts of every model (history included) and the latest updated_at of those that have one."""
    state = {}
    for model in apps.get_models():
        state[model._meta.label] = model.objects.count()
        if any(field.name == "updated_at" for field in model._meta.fields):
            state[f"{model._meta.label}.updated_at"] = model.objects.aggregate(latest=Max("updated_at"))["latest"]
    return state


def test_it_changes_nothing_on_a_second_run(seeded):
    before = snapshot()
    call_command("seed_demo", stdout=io.StringIO())
    assert snapshot() == before


def test_it_leaves_a_handful_of_actions_overdue_by_days_or_weeks(numbers):
    assert 3 <= numbers["overdue"] <= 10
    assert all(1 <= action.days_late <= 45 for action in numbers["overdue_actions"])


def test_it_has_something_due_this_week(numbers):
    assert numbers["due_soon"] >= 1


def test_it_keeps_most_actions_closed_and_the_open_ones_recent(numbers, seeded):
    total = ActionItem.objects.count()
    assert 0.1 <= numbers["open"] / total <= 0.3
    assert numbers["median_open_age_days"] < 60


def test_it_gives_each_incident_actions_of_its_own(seeded):
    titles = Counter(ActionItem.objects.values_list("title", flat=True))
    assert len(titles) >= 0.8 * sum(titles.values())
    assert titles.most_common(1)[0][1] <= 4


def test_it_names_the_incident_service_in_most_titles(seeded):
    actions = list(ActionItem.objects.prefetch_related("review__incident__services"))
    naming = [
        action
        for action in actions
        if any(service.name in action.title for service in action.review.incident.services.all())
    ]
    assert len(naming) >= 0.6 * len(actions)


def test_it_shows_verified_pending_and_recurred_effectiveness(numbers):
    assert numbers["verification_effective"] >= 5
    assert numbers["verification_pending"] >= 2
    assert ActionItem.objects.filter(category="preventive", verification__in=["recurred", "ineffective"]).exists()


def test_it_records_findings_on_most_remedial_sweeps(numbers):
    assert numbers["remedial_found"] >= 0.6 * numbers["remedial_done"] > 0


def test_it_draws_a_backlog_that_goes_down_as_well_as_up(numbers):
    weekly = numbers["backlog"]["open"]
    assert any(later < earlier for earlier, later in pairwise(weekly))
    assert max(weekly) <= 2 * statistics.median(weekly)


def test_it_tells_each_cause_its_own_review_story(seeded):
    published = Review.objects.published().select_related("incident")
    assert len({review.narrative for review in published}) >= 8
    disk_full = [review for review in published if review.incident.title.endswith("disk full on primary")]
    assert disk_full
    assert all("volume" in review.summary for review in disk_full)


def _generated_incidents():
    """The seeded incidents the generator wrote, with their (cause, symptom)."""
    incidents = Incident.objects.prefetch_related("services", "timeline").order_by("pk")
    return [(incident, *cause_of(incident.title)) for incident in incidents if cause_of(incident.title)[0]]


def test_it_places_each_cause_only_on_services_where_it_can_happen(seeded):
    where = placements()
    for incident, cause, symptom in _generated_incidents():
        named = incident.title.split(": ", 1)[0]
        slugs = {service.slug for service in incident.services.all()}
        believable = where[CAUSES[cause][symptom]["where"]]
        assert any(
            SERVICES[slug][0] == named and slugs == {slug} | ({dep} if dep else set()) for slug, dep in believable
        ), incident.title


def test_it_never_blames_a_third_party_on_a_service_without_one(seeded):
    for incident, _cause, symptom in _generated_incidents():
        if symptom == "third-party API returning errors":
            assert incident.services.get().slug in PROVIDERS, incident.title


def test_it_tells_each_database_symptom_its_own_timeline(seeded):
    stories = {}
    for incident, cause, symptom in _generated_incidents():
        if cause == "database":
            told = {event.text for event in incident.timeline.all() if event.kind == "observation"}
            stories.setdefault(symptom, set()).update(told)
    assert len(stories) == 3
    disk_full, lag, locks = (stories[s] for s in sorted(stories))
    assert not (disk_full & lag)
    assert not (disk_full & locks)
    assert not (lag & locks)
    assert all("migration" not in text for text in disk_full | lag)


def test_it_keeps_every_timeline_within_its_incident_lifecycle(seeded):
    for incident, _cause, _symptom in _generated_incidents():
        events = [event for event in incident.timeline.all() if event.kind != "deploy"]
        assert 4 <= len(incident.timeline.all()) <= 10, incident.title
        assert events[0].kind == "detection"
        assert events[0].occurred_at == incident.detected_at.replace(microsecond=0)
        end = incident.resolved_at or timezone.now()
        assert all(incident.detected_at.replace(microsecond=0) <= event.occurred_at <= end for event in events)


def test_it_tells_what_customers_saw_in_summaries_that_vary(seeded):
    incidents = [incident for incident, cause, _s in _generated_incidents() if cause not in ("security", "near_miss")]
    summaries = [incident.summary for incident in incidents]
    assert len(set(summaries)) >= 0.95 * len(summaries)
    assert sum("%" in summary or "minutes" in summary for summary in summaries) >= 0.9 * len(summaries)


def test_it_detects_incidents_by_alert_customer_and_employee(seeded):
    sources = Counter(incident.detection_source for incident, _c, _s in _generated_incidents())
    assert sources["alert"] > sources["customer"] >= 10
    assert sources["employee"] >= 10


def test_it_leaves_three_real_incidents_open_and_deploy_causes_confirmed(seeded):
    open_incidents = Incident.objects.open().exclude(title__in=[])
    generated = [incident for incident in open_incidents if cause_of(incident.title)[0]]
    assert len(generated) == 3
    assert all(incident.kind == "incident" for incident in generated)
    assert SuspectDeployment.objects.filter(state="confirmed").count() == 28


def _published_reviews(*symptoms):
    """Published reviews of generated incidents, with everything they say (sections and chart) in one text."""
    reviews = Review.objects.published().select_related("incident").prefetch_related("factors", "incident__timeline")
    told = []
    for review in reviews:
        symptom = cause_of(review.incident.title)[1]
        if symptom and (not symptoms or symptom in symptoms):
            text = " ".join(
                [getattr(review, name) for name in SECTION_FIELDS] + [f.description for f in review.factors.all()]
            )
            told.append((review, text))
    return told


def test_it_never_tells_a_memory_leak_in_the_review_of_a_crash_or_breaking_change(seeded):
    told = _published_reviews("errors after deploying {version}", "{version} broke requests")
    assert len({cause_of(review.incident.title)[1] for review, _text in told}) == 2
    assert all("memory" not in text.lower() and "OOM" not in text for _review, text in told)


def test_it_tells_the_failover_of_a_third_party_outage_in_its_review(seeded):
    told = _published_reviews("third-party API returning errors")
    assert told
    assert all("secondary provider" in text and "kill switch" not in text for _review, text in told)


def test_it_tells_detection_as_the_incident_was_detected(seeded):
    opening = {"alert": "The alert “", "customer": "A customer told us first", "employee": "Noticed by one of us"}
    for review, _text in _published_reviews():
        incident = review.incident
        detection = next(event for event in incident.timeline.all() if event.kind == "detection")
        assert detection.text.removeprefix("**[FIRING]** ").rstrip(".") in review.detection, incident.title
        if incident.detection_source in opening:
            assert review.detection.startswith(opening[incident.detection_source]), incident.title


def test_it_gives_reviews_the_percentages_of_their_incident(seeded):
    told = _published_reviews()
    assert told
    for review, _text in told:
        incident = review.incident
        said = incident.summary + " ".join(event.text for event in incident.timeline.all())
        for number in re.findall(r"(\d+(?:\.\d+)?) %", review.summary + review.impact):
            assert f"{number} %" in said, (incident.title, number)


def test_the_demo_shows_one_class_getting_better_and_one_getting_worse(seeded):
    from insights.models import MtbfRollup

    trends = dict(
        MtbfRollup.objects.filter(scope="public", dimension="class", window="365d").values_list("key", "trend")
    )
    assert (trends["time-clock"], trends["capacity-load"]) == ("better", "worse")


def test_the_demo_has_an_slo_spike_that_opened_an_incident_and_an_slo_creep(seeded):
    from insights.models import SLOStatus

    statuses = {status.slo.name: status for status in SLOStatus.objects.select_related("slo")}
    spike, creep = statuses["payment-authorised"], statuses["search-fast"]
    assert (spike.burn_kind, spike.incident.services.get().slug) == ("spike", "payments-api")
    assert (creep.burn_kind, creep.incident) == ("creep", None)


def test_it_shows_every_coverage_state_and_one_blocked_deploy(seeded):
    states = Counter()
    for row in coverage_for(Service.objects.select_related("team"), fault_types=list(FaultType.objects.all())):
        states.update({state for state, count in row.counts.items() if count})
    assert set(states) == {"verified", "stale", "failing", "missing", "not_required"}
    assert list(GateDecision.objects.filter(decision="block").values_list("service__slug", flat=True)) == ["ledger"]


def test_it_imports_real_journals_and_learns_guardrails_from_two_reviews(seeded):
    assert Experiment.objects.filter(source="chaostoolkit").count() == 5
    assert ResilienceRequirement.objects.filter(origin="review").values("review").distinct().count() == 2

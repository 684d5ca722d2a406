"""The whole demo seed, run once for the module: believable numbers on the actions dashboard, and idempotence."""

import io
import statistics
from collections import Counter
from itertools import pairwise

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Max
from django.urls import reverse

from actions.models import ActionItem
from demo.organisation import DEMO_USERNAME
from postmortems.models import Review

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed the demo once for every test here, and roll it back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


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

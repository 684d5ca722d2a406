from datetime import timedelta

import pytest
from celery.signals import task_prerun
from django.db import transaction
from django.utils import timezone

from actions.effectiveness import rate_before_and_after
from actions.tasks import verify_action_effectiveness
from actions.tests.factories import IncidentFactory, ReviewFactory, RootCauseClassFactory, ServiceFactory
from postmortems.signals import review_published

pytestmark = pytest.mark.django_db


@pytest.fixture
def done_action(make_action, responder):
    """A corrective action done 10 days ago on the review's class and service."""
    action = make_action(category="corrective")
    action.transition("done", by=responder, at=timezone.now() - timedelta(days=10))
    return action


def later_incident(root_class, services, *, days_after_done=3, done_action=None, **fields):
    started = done_action.done_at + timedelta(days=days_after_done)
    incident = IncidentFactory(started_at=started, services=services, **fields)
    ReviewFactory(incident=incident, primary_class=root_class)
    return incident


def check(action):
    verify_action_effectiveness()
    action.refresh_from_db()
    return action.verification, action.proposed_verification, action.recurrence_incident_id


def test_it_marks_an_action_recurred_when_its_class_returns_on_its_services(done_action, root_class, service):
    incident = later_incident(root_class, [service], done_action=done_action)
    assert check(done_action) == ("recurred", "ineffective", incident.pk)


def test_it_keeps_watching_inside_the_window(done_action):
    assert check(done_action) == ("pending", "", None)


def test_it_proposes_effective_after_a_quiet_window(done_action, settings):
    settings.HINDSIGHT_ACTION_WATCH_DAYS = 7
    assert check(done_action) == ("pending", "effective", None)


def test_it_ignores_incidents_excluded_from_metrics(done_action, root_class, service):
    later_incident(root_class, [service], done_action=done_action, exclude_from_metrics=True)
    assert check(done_action) == ("pending", "", None)


def test_it_ignores_incidents_of_another_class(done_action, service):
    later_incident(RootCauseClassFactory(slug="capacity"), [service], done_action=done_action)
    assert check(done_action) == ("pending", "", None)


def test_it_ignores_incidents_before_the_action_was_done(done_action, root_class, service):
    later_incident(root_class, [service], done_action=done_action, days_after_done=-2)
    assert check(done_action) == ("pending", "", None)


def test_it_ignores_incidents_on_other_services(done_action, root_class, team):
    later_incident(root_class, [ServiceFactory(slug="ledger", team=team)], done_action=done_action)
    assert check(done_action) == ("pending", "", None)


def test_it_watches_the_actions_own_services_when_it_names_some(make_action, responder, root_class, team):
    ledger = ServiceFactory(slug="ledger", team=team)
    action = make_action(category="preventive", services=[ledger])
    action.transition("done", by=responder, at=timezone.now() - timedelta(days=10))
    incident = later_incident(root_class, [ledger], done_action=action)
    assert check(action) == ("recurred", "ineffective", incident.pk)


def test_it_is_idempotent(done_action, root_class, service):
    later_incident(root_class, [service], done_action=done_action)
    check(done_action)
    versions = done_action.history.count()
    assert check(done_action)[0] == "recurred"
    assert done_action.history.count() == versions


def test_it_never_overrides_a_leads_verdict(done_action, root_class, service, lead):
    done_action.confirm_verification("effective", by=lead, note="Different trigger")
    later_incident(root_class, [service], done_action=done_action)
    assert check(done_action)[0] == "effective"


def test_it_checks_on_review_published(done_action, root_class, service, django_capture_on_commit_callbacks):
    incident = later_incident(root_class, [service], done_action=done_action)
    with django_capture_on_commit_callbacks(execute=True):
        review_published.send(sender=None, review=incident.review)
    done_action.refresh_from_db()
    assert done_action.recurrence_incident == incident


def test_it_checks_a_class_once_however_many_of_its_reviews_a_transaction_publishes(
    done_action, root_class, service, django_capture_on_commit_callbacks
):
    incidents = [later_incident(root_class, [service], done_action=done_action, days_after_done=d) for d in (2, 3)]
    other = later_incident(RootCauseClassFactory(slug="capacity"), [service], done_action=done_action)
    runs = []

    def count_run(sender, kwargs, **extra):
        runs.append(kwargs)

    task_prerun.connect(count_run, sender=verify_action_effectiveness)
    try:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            for incident in [*incidents, other]:
                review_published.send(sender=None, review=incident.review)
            assert runs == []  # nothing runs before the commit
    finally:
        task_prerun.disconnect(count_run, sender=verify_action_effectiveness)
    assert sorted(runs, key=repr) == sorted(
        [{"class_id": root_class.pk}, {"class_id": other.review.primary_class_id}], key=repr
    )
    done_action.refresh_from_db()
    assert done_action.recurrence_incident == incidents[0]


def test_it_counts_the_class_rate_before_and_after(done_action, root_class, service, settings):
    settings.HINDSIGHT_ACTION_WATCH_DAYS = 90
    for days in (-40, -20):  # two before (plus the reviewed incident itself, 30 days ago)
        later_incident(root_class, [service], done_action=done_action, days_after_done=days)
    later_incident(root_class, [service], done_action=done_action, days_after_done=5)
    before, after = rate_before_and_after(done_action)
    assert (before.count, round(before.days), after.count, round(after.days)) == (3, 90, 1, 10)

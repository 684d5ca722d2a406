from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from actions.models import ActionItem
from actions.tests.factories import CausalFactorFactory, IncidentFactory, ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("category", "severity", "days"),
    [
        ("immediate_fix", "sev1", 2),
        ("immediate_fix", "sev4", 14),
        ("corrective", "sev2", 30),
        ("preventive", "sev1", 90),
    ],
)
def test_it_defaults_the_due_date_from_category_and_severity(team, category, severity, days):
    review = ReviewFactory(incident=IncidentFactory(severity=severity))
    action = ActionItem.objects.create(review=review, team=team, category=category, title="Do it")
    assert action.due_date == timezone.localdate() + timedelta(days=days)


def test_it_takes_due_days_from_settings(team, settings):
    settings.HINDSIGHT_ACTION_DUE_DAYS = {**settings.HINDSIGHT_ACTION_DUE_DAYS, "remedial": {"sev3": 5}}
    review = ReviewFactory(incident=IncidentFactory(severity="sev3"))
    action = ActionItem.objects.create(review=review, team=team, category="remedial", title="Sweep")
    assert action.due_date == timezone.localdate() + timedelta(days=5)


def test_it_keeps_a_due_date_given_explicitly(make_action):
    due = timezone.localdate() + timedelta(days=3)
    assert make_action(category="preventive", due_date=due).due_date == due


def test_it_stamps_done_at_when_done(make_action, responder):
    action = make_action()
    action.transition("done", by=responder)
    action.refresh_from_db()
    assert action.status == "done"
    assert action.done_at is not None
    assert action.verification == "pending"


def test_it_clears_done_at_and_verification_on_reopen(make_action, responder):
    action = make_action()
    action.transition("done", by=responder)
    action.transition("open", by=responder)
    action.refresh_from_db()
    assert (action.done_at, action.closed_at, action.verification) == (None, None, "")


def test_it_refuses_wont_do_without_a_reason(make_action, responder):
    action = make_action()
    with pytest.raises(ValidationError):
        action.transition("wont_do", by=responder, reason="  ")
    action.refresh_from_db()
    assert action.status == "open"


def test_it_records_the_wont_do_reason(make_action, responder):
    action = make_action()
    action.transition("wont_do", by=responder, reason="Superseded by the redesign")
    action.refresh_from_db()
    assert (action.status, action.wont_do_reason) == ("wont_do", "Superseded by the redesign")


def test_it_refuses_a_transition_the_lifecycle_does_not_allow(make_action, responder):
    action = make_action()
    action.transition("wont_do", by=responder, reason="no")
    with pytest.raises(ValidationError):
        action.transition("done", by=responder)


def test_it_records_a_verdict_on_a_done_action(make_action, responder, lead):
    action = make_action()
    action.transition("done", by=responder)
    action.confirm_verification("effective", by=lead)
    action.refresh_from_db()
    assert (action.verification, action.verified_by) == ("effective", lead)


def test_it_refuses_to_verify_an_immediate_fix(make_action, responder, lead):
    action = make_action(category="immediate_fix")
    action.transition("done", by=responder)
    with pytest.raises(ValidationError):
        action.confirm_verification("effective", by=lead)


def test_it_refuses_causal_factors_of_another_review(make_action, review):
    own = CausalFactorFactory(review=review)
    foreign = CausalFactorFactory()
    action = make_action()
    action.clean_many_to_many({"factors": [own]})
    with pytest.raises(ValidationError):
        action.clean_many_to_many({"factors": [own, foreign]})


def test_it_keeps_what_an_effectiveness_check_wrote_when_a_form_opened_before_it_saves(make_action, responder):
    from actions.forms import ActionItemForm
    from actions.tests.test_edit import form_data

    action = make_action()
    action.transition("done", by=responder)
    opened = type(action).objects.get(pk=action.pk)
    type(action).objects.filter(pk=action.pk).update(proposed_verification="effective")
    form = ActionItemForm(form_data(opened, title="Renamed"), instance=opened, review=opened.review, user=responder)
    assert form.is_valid(), form.errors
    form.save()
    action.refresh_from_db()
    assert (action.title, action.proposed_verification) == ("Renamed", "effective")


def test_it_keeps_an_edit_saved_meanwhile_when_a_stale_copy_changes_status(make_action, responder):
    action = make_action()
    stale = type(action).objects.get(pk=action.pk)
    type(action).objects.filter(pk=action.pk).update(title="Renamed")
    stale.transition("done", by=responder)
    action.refresh_from_db()
    assert (action.title, action.status) == ("Renamed", "done")


def test_it_audits_edits_in_history(make_action, responder):
    action = make_action()
    action.transition("in_progress", by=responder)
    action.transition("done", by=responder)
    assert [record.status for record in action.history.order_by("history_date")] == ["open", "in_progress", "done"]


def test_it_answers_whether_a_remedial_sweep_found_similar_holes(make_action, responder):
    action = make_action(category="remedial")
    assert action.remedial_answer() is None
    action.transition("done", by=responder)
    assert action.remedial_answer() == "none"
    action.findings.create(text="Same missing timeout in payouts")
    assert action.remedial_answer() == "yes"


def test_the_row_methods_and_the_query_words_agree(make_action, responder):
    today = timezone.localdate()
    actions = [
        make_action(due_date=today - timedelta(days=3)),
        make_action(due_date=today + timedelta(days=3)),
        make_action(due_date=today - timedelta(days=3)),
        make_action(due_date=today + timedelta(days=10)),
    ]
    actions[2].transition("done", by=responder)
    actions[3].transition("done", by=responder)
    rows = ActionItem.objects.filter(pk__in=[action.pk for action in actions])
    for action in actions:
        action.refresh_from_db()
    assert set(rows.open()) == {action for action in actions if action.is_open()}
    assert set(rows.overdue()) == {action for action in actions if action.is_overdue()}
    assert set(rows.done_on_time()) == {action for action in actions if action.was_done_on_time() is True}
    assert set(rows.done_on_time(on_time=False)) == {action for action in actions if action.was_done_on_time() is False}

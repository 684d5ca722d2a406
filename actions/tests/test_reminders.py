from datetime import date, timedelta

import pytest
from django.core import mail

from actions.models import ReminderSent
from actions.reminders import send_reminders
from actions.tasks import send_action_reminders

pytestmark = pytest.mark.django_db

TUESDAY = date(2026, 3, 3)
MONDAY = date(2026, 3, 2)


@pytest.fixture
def owner(responder):
    responder.email = "rae@example.com"
    responder.save()
    return responder


def test_it_sends_an_owner_one_email_however_many_actions(make_action, owner):
    for days in (-3, -1, 1):
        make_action(owner=owner, due_date=TUESDAY + timedelta(days=days))
    make_action(owner=owner, due_date=TUESDAY + timedelta(days=9))  # not due yet
    assert send_reminders(today=TUESDAY) == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rae@example.com"]
    assert mail.outbox[0].body.count("/actions/") == 3


def test_it_sends_nothing_more_when_run_twice_the_same_day(make_action, owner):
    make_action(owner=owner, due_date=TUESDAY - timedelta(days=1))
    send_reminders(today=TUESDAY)
    assert send_reminders(today=TUESDAY) == 0
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.filter(user=owner, date=TUESDAY).count() == 1


def test_it_sends_again_the_next_day(make_action, owner):
    make_action(owner=owner, due_date=TUESDAY - timedelta(days=1))
    send_reminders(today=TUESDAY)
    send_reminders(today=TUESDAY + timedelta(days=1))
    assert len(mail.outbox) == 2


def test_it_skips_closed_actions(make_action, owner):
    action = make_action(owner=owner, due_date=TUESDAY - timedelta(days=1))
    action.transition("done", by=owner)
    assert send_reminders(today=TUESDAY) == 0


def test_it_sends_leads_a_digest_on_the_digest_day_only(make_action, lead):
    lead.email = "lee@example.com"
    lead.save()
    make_action(due_date=MONDAY - timedelta(days=4), title="Overdue thing")
    assert send_reminders(today=TUESDAY) == 0
    assert send_reminders(today=MONDAY) == 1
    assert "Weekly digest — Payments" in mail.outbox[0].body
    assert "Overdue thing" in mail.outbox[0].body


def test_it_folds_a_leads_own_reminders_into_the_digest_email(make_action, lead):
    lead.email = "lee@example.com"
    lead.save()
    make_action(owner=lead, due_date=MONDAY - timedelta(days=1))
    send_reminders(today=MONDAY)
    assert len(mail.outbox) == 1
    assert "Overdue actions you own" in mail.outbox[0].body
    assert "Weekly digest" in mail.outbox[0].body


def test_it_runs_as_a_task(make_action, owner):
    from django.utils import timezone

    make_action(owner=owner, due_date=timezone.localdate() - timedelta(days=1))
    send_action_reminders.delay()
    send_action_reminders.delay()
    assert len(mail.outbox) == 1

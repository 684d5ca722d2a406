"""Celery entry points for actions: load by id, call domain code."""

from celery import shared_task
from django.utils import timezone

from actions import effectiveness, reminders


@shared_task
def verify_action_effectiveness(class_id=None):
    """Check unsettled corrective and preventive actions for recurrence (those of one root-cause class, if given)."""
    checked = 0
    for action_id in effectiveness.candidate_action_ids(class_id=class_id):
        effectiveness.verify_effectiveness(action_id=action_id)
        checked += 1
    return checked


@shared_task
def send_action_reminders():
    """Email owners of overdue and due-tomorrow actions, and leads their weekly digest: once a day per person."""
    return reminders.send_reminders(today=timezone.localdate())

"""Reminder emails: owners of overdue and due-tomorrow actions daily, leads a weekly digest of their teams.

A person gets at most one email a day, however many actions and roles they have:
before sending, the job claims a (user, date, kind) row with a conditional
insert, and only the run that created the row sends. Running the job twice on
the same day sends nothing more.
"""

from collections import defaultdict
from datetime import timedelta

import structlog
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from accounts.models import Membership, Role
from actions.choices import ReminderKind, Verification
from actions.models import ActionItem, ReminderSent

log = structlog.get_logger("hindsight.actions.reminders")

LEAD_ROLES = [role for role in Role if role.at_least(Role.LEAD)]


def claim_reminder(*, user, date, kind=ReminderKind.DAILY, action_count=0):
    """Claim today's email for user; return True if this caller won the claim and must send it."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(user=user, date=date, kind=kind, action_count=action_count)
    except IntegrityError:
        return False
    return True


def owner_reminders(*, today):
    """Return {owner: [actions]} of open actions overdue or due by tomorrow that the owner may see.

    An action of a restricted incident whose owner is not (or no longer) in an allowed team is left
    out of the email, as it is out of every page that person opens.
    """
    due = (
        ActionItem.objects.due_by(today + timedelta(days=1))
        .filter(owner__isnull=False)
        .select_related("owner", "team", "review__incident")
        .prefetch_related("review__incident__allowed_teams")
        .order_by("due_date", "pk")
    )
    by_owner = defaultdict(list)
    for action in due:
        if action.review.incident.is_visible_to(action.owner):
            by_owner[action.owner].append(action)
    return by_owner


def lead_digests(*, today):
    """Return {lead: {team: summary}} for every lead of a team with actions (weekly digest)."""
    memberships = Membership.objects.filter(role__in=LEAD_ROLES).select_related("user", "team")
    digests = defaultdict(dict)
    for membership in memberships:
        actions = ActionItem.objects.visible_to(membership.user).filter(team=membership.team)
        overdue = actions.overdue(today=today)
        summary = {
            "open": actions.open().count(),
            "overdue_count": overdue.count(),
            "overdue": list(overdue.select_related("owner").order_by("due_date")[:20]),
            "due_this_week": actions.due_within(7, today=today).count(),
            "done_last_week": actions.filter(done_at__date__gte=today - timedelta(days=7)).count(),
            "to_confirm": actions.filter(proposed_verification__in=[Verification.EFFECTIVE, Verification.INEFFECTIVE])
            .exclude(verification__in=[Verification.EFFECTIVE, Verification.INEFFECTIVE])
            .count(),
        }
        if summary["open"] or summary["to_confirm"] or summary["done_last_week"]:
            digests[membership.user][membership.team] = summary
    return digests


def send_reminders(*, today):
    """Send today's reminder emails; return how many were sent."""
    owners = owner_reminders(today=today)
    digests = lead_digests(today=today) if today.weekday() == settings.HINDSIGHT_ACTION_DIGEST_WEEKDAY else {}
    people = sorted(set(owners) | set(digests), key=lambda user: user.pk)
    sent = 0
    for person in people:
        if not person.email:
            continue
        actions = owners.get(person, [])
        teams = digests.get(person, {})
        if not claim_reminder(user=person, date=today, action_count=len(actions)):
            continue
        context = {
            "person": person,
            "today": today,
            "overdue": [action for action in actions if action.is_overdue(today=today)],
            "due_soon": [action for action in actions if not action.is_overdue(today=today)],
            "teams": teams,
            "site_url": settings.HINDSIGHT_SITE_URL.rstrip("/"),
        }
        subject_parts = []
        if actions:
            subject_parts.append(f"{len(actions)} action{'s' if len(actions) != 1 else ''} due")
        if teams:
            subject_parts.append("weekly digest")
        try:
            send_mail(
                subject="Hindsight: " + " and ".join(subject_parts),
                message=render_to_string("actions/email/reminder.txt", context),
                from_email=None,
                recipient_list=[person.email],
            )
        except Exception:
            # Give the claim back so a retry may send it; at most one email still holds.
            ReminderSent.objects.filter(user=person, date=today, kind=ReminderKind.DAILY).delete()
            raise
        sent += 1
        log.info("action_reminder_sent", user=person.pk, actions=len(actions), digest_teams=len(teams))
    return sent

"""Did a corrective or preventive action stop its failure class coming back?

A recurrence is an incident that counts in metrics, whose review's primary
root-cause class is the action's review's primary class, on one of the same
services (the action's services, or its incident's services if it names none),
that started after the action was done. A recurrence marks the action
*recurred* and proposes *ineffective*; a watch window that ends without one
proposes *effective*. Only a lead confirms either (ActionItem.confirm_verification).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from actions.choices import Verification
from actions.models import ActionItem
from incidents.models import Incident


def watched_service_ids(action):
    """The services whose incidents count as recurrences: the action's, or else its incident's."""
    ids = [service.pk for service in action.services.all()]
    return ids or [service.pk for service in action.review.incident.services.all()]


def class_incidents(action):
    """Incidents counting in metrics of the action's failure class on its watched services (None if no class)."""
    root_class_id = action.review.primary_class_id
    if root_class_id is None:
        return None
    return (
        Incident.objects.for_metrics()
        .filter(review__primary_class_id=root_class_id, services__in=watched_service_ids(action))
        .distinct()
    )


def find_recurrence(action):
    """Return the first recurrence of the action's failure class after it was done, or None."""
    incidents = class_incidents(action)
    if incidents is None or action.done_at is None:
        return None
    return (
        incidents.filter(started_at__gt=action.done_at)
        .exclude(pk=action.review.incident_id)
        .order_by("started_at", "pk")
        .first()
    )


@transaction.atomic
def verify_effectiveness(*, action_id, now=None):
    """Check one action for recurrence and record what the check proposes; return the action.

    Safe to run any number of times: it changes the row only when what it finds changes,
    and never touches a verdict a lead has confirmed.
    """
    now = now or timezone.now()
    action = (
        ActionItem.objects.select_for_update(of=("self",))
        .select_related("review__incident")
        .prefetch_related("services", "review__incident__services")
        .get(pk=action_id)
    )
    if action.status != "done" or not action.is_verified_category():
        return action
    if action.verification not in (Verification.PENDING, Verification.RECURRED):
        return action
    recurrence = find_recurrence(action)
    if recurrence is not None:
        wanted = (Verification.RECURRED, Verification.INEFFECTIVE, recurrence.pk)
    elif now >= action.watch_ends_at():
        wanted = (Verification.PENDING, Verification.EFFECTIVE, None)
    else:
        wanted = (Verification.PENDING, "", None)
    if (action.verification, action.proposed_verification, action.recurrence_incident_id) != wanted:
        action.verification, action.proposed_verification, action.recurrence_incident_id = wanted
        action._change_reason = "effectiveness check"
        action.save(update_fields=["verification", "proposed_verification", "recurrence_incident", "updated_at"])
    return action


def candidate_action_ids(*, class_id=None):
    """Ids of actions whose effectiveness is unsettled; with class_id, only those of that root-cause class."""
    actions = ActionItem.objects.awaiting_verification()
    if class_id is not None:
        actions = actions.filter(review__primary_class_id=class_id)
    return list(actions.values_list("pk", flat=True))


@dataclass(frozen=True)
class RateWindow:
    """Incidents of a class counted over a window of days."""

    start: datetime
    end: datetime
    count: int

    @property
    def days(self):
        return max((self.end - self.start).total_seconds() / 86400, 0)

    @property
    def per_30_days(self):
        return round(self.count * 30 / self.days, 2) if self.days else None


def rate_before_and_after(action, *, now=None):
    """Return (before, after) RateWindows of the class's incidents on the watched services, or None.

    After runs from done_at to the end of the watch window (or now, if sooner); before is the
    same number of days as the whole watch window, ending at done_at.
    """
    now = now or timezone.now()
    incidents = class_incidents(action)
    if incidents is None or action.done_at is None:
        return None
    watch = timedelta(days=settings.HINDSIGHT_ACTION_WATCH_DAYS)
    before_start, done, after_end = action.done_at - watch, action.done_at, min(now, action.done_at + watch)
    # pk keeps two incidents that started at the same moment apart under DISTINCT.
    counted = incidents.filter(started_at__gte=before_start, started_at__lte=after_end).values_list("pk", "started_at")
    starts = [started for _, started in counted]
    before = RateWindow(before_start, done, sum(1 for started in starts if started < done))
    after = RateWindow(done, after_end, sum(1 for started in starts if started > done))
    return before, after

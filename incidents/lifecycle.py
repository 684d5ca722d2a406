"""The incident lifecycle: moving an incident from one status to the next, on the record."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from incidents.choices import Status, TimelineKind
from incidents.models import Incident, TimelineEvent


@transaction.atomic
def change_status(incident, status, *, by, at=None, mitigated_at=None):
    """Move incident to `status` at `at` (now by default) and write a status-change event by `by`.

    Refuses a move the lifecycle does not allow (ValidationError naming both statuses).
    Resolving sets resolved_at (and mitigated_at when still unknown: to `mitigated_at`, or `at`); moving to monitoring sets
    mitigated_at when still unknown. Reopening a resolved incident clears resolved_at and says so
    in the timeline event. Timestamps that end up out of order are refused like any other edit.
    """
    status = Status(status)
    # Read the status under a row lock: two people pressing "Resolve" at once make one change, not two.
    # A new version too: an edit form opened before this change must not silently undo it.
    locked = Incident.objects.select_for_update().values_list("status", "version")
    incident.status, incident.version = locked.get(pk=incident.pk)
    incident.version += 1
    current = Status(incident.status)
    if status == current:
        raise ValidationError({"status": f"{incident.reference} is already {current.label.lower()}."})
    if not incident.can_transition_to(status):
        allowed = ", ".join(s.label.lower() for s in incident.allowed_next_statuses()) or "nothing (it is final)"
        raise ValidationError(
            {
                "status": f"{incident.reference} cannot go from {current.label.lower()} to {status.label.lower()}; "
                f"from {current.label.lower()} it can go to {allowed}."
            }
        )
    at = at or timezone.now()
    text = f"Status changed from **{current.label}** to **{status.label}**."
    if status == Status.RESOLVED:
        incident.resolved_at = at
        if incident.mitigated_at is None:
            incident.mitigated_at = mitigated_at or at
    elif status == Status.MONITORING and incident.mitigated_at is None:
        incident.mitigated_at = at
    elif current == Status.RESOLVED and status != Status.CLOSED and incident.resolved_at is not None:
        text += f" Reopened: the resolved time ({incident.resolved_at:%Y-%m-%d %H:%M %Z}) was cleared."
        incident.resolved_at = None
    incident.status = status
    incident.clean()
    incident.save()
    TimelineEvent.objects.create(
        incident=incident, occurred_at=at, kind=TimelineKind.STATUS_CHANGE, text=text, author=by, source="manual"
    )
    return incident

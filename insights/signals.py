"""Queue recomputation of the rollup buckets a change touches (connected in InsightsConfig.ready).

Lower apps know nothing of insights: these receivers listen to their models' signals. Each change
queues, on commit, the incident's current buckets plus the ones it was in before (its old team
and quarter, its review's old class, the services it lost). Actions need nothing: the repeats
list reads an incident's actions when it is shown.
"""

from datetime import UTC

from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_delete

from core.outbox import drop_collected, on_commit_collect, send_or_keep
from incidents.choices import TimelineKind
from incidents.models import Incident, TimelineEvent
from insights import metrics
from postmortems.models import Review
from services.models import SLO, SLIReport

REFRESH = "insights-rollups"


def queue_refresh(incident_id, previous_buckets=()):
    """Queue, on commit, one recomputation for everything this transaction touched (a thousand saves: one task)."""
    items = [("bucket", tuple(bucket)) for bucket in previous_buckets]
    if incident_id is not None:
        items.append(("incident", incident_id))
    on_commit_collect(REFRESH, items, _send_refresh)


def drop_queued_refresh():
    """A full recompute covers every change its transaction made before it: forget the refresh they queued."""
    drop_collected(REFRESH)


def _send_refresh(items):
    from insights.tasks import refresh_incident_rollups

    incident_ids = sorted(value for kind, value in items if kind == "incident")
    buckets = sorted((list(value) for kind, value in items if kind == "bucket"), key=repr)
    if incident_ids or buckets:
        # Through the outbox: with the broker down the write that committed still succeeds.
        send_or_keep(refresh_incident_rollups.name, (incident_ids, buckets))


def quarter_bucket(team_id, started_at):
    return ("quarter", team_id, metrics.quarter_of(started_at.astimezone(UTC))) if started_at else None


# What the rollups read from an incident and its review: a save that changes none of it queues nothing.
INCIDENT_FIELDS = (
    "kind",
    "severity",
    "team_id",
    "restricted",
    "exclude_from_metrics",
    "started_at",
    "detected_at",
    "acknowledged_at",
    "mitigated_at",
    "resolved_at",
)
REVIEW_FIELDS = ("primary_class_id", "responder_hours")


def _state(instance, fields):
    # Read from __dict__: a deferred field must not cost a query per loaded row.
    return tuple(instance.__dict__.get(name) for name in fields)


def _changed(instance, fields, created, raw):
    """(True if the save matters to the rollups, the state remembered before it); remembers the new state."""
    previous, current = getattr(instance, "_insights_state", None), _state(instance, fields)
    instance._insights_state = current
    return not raw and (created or previous != current), (None if created else previous)


def remember_incident(sender, instance, **kwargs):
    instance._insights_state = _state(instance, INCIDENT_FIELDS)


def incident_saved(sender, instance, created, raw=False, **kwargs):
    changed, previous = _changed(instance, INCIDENT_FIELDS, created, raw)
    if changed:
        fields = dict(zip(INCIDENT_FIELDS, previous, strict=True)) if previous else {}
        bucket = quarter_bucket(fields.get("team_id"), fields.get("started_at"))
        queue_refresh(instance.pk, [bucket] if bucket else [])


def incident_deleting(sender, instance, **kwargs):
    from insights.rollups import buckets_for_incident

    instance._insights_buckets = buckets_for_incident(instance.pk)


def incident_deleted(sender, instance, **kwargs):
    queue_refresh(None, getattr(instance, "_insights_buckets", ()))


def incident_services_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear" and not reverse:
        instance._insights_cleared = list(instance.services.values_list("pk", flat=True))
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:
        # Changed from the service's side: its own bucket, and every incident on the other end.
        for incident_id in pk_set or ():
            queue_refresh(incident_id, [("service", instance.pk)])
        return
    lost = pk_set if action == "post_remove" else getattr(instance, "_insights_cleared", ())
    queue_refresh(instance.pk, [("service", service_id) for service_id in lost or ()])


def remember_review(sender, instance, **kwargs):
    instance._insights_state = _state(instance, REVIEW_FIELDS)


def review_saved(sender, instance, created, raw=False, **kwargs):
    changed, previous = _changed(instance, REVIEW_FIELDS, created, raw)
    if changed:
        previous_class = previous[0] if previous else None
        queue_refresh(instance.incident_id, [("class", previous_class)] if previous_class else [])


def review_deleted(sender, instance, **kwargs):
    previous = (getattr(instance, "_insights_state", None) or (None,))[0] or instance.primary_class_id
    queue_refresh(instance.incident_id, [("class", previous)] if previous else [])


def timeline_saved(sender, instance, raw=False, **kwargs):
    """A status change may be the moment the incident was understood (time to understand)."""
    if not raw and instance.kind == TimelineKind.STATUS_CHANGE:
        queue_refresh(instance.incident_id)


def slo_changed(sender, instance, raw=False, **kwargs):
    """A new SLI report or a changed objective moves the SLO's budget."""
    if raw:
        return
    from insights.tasks import refresh_slo_status

    refresh_slo_status.delay_on_commit(instance.pk if sender is SLO else instance.slo_id)


def connect():
    uid = "insights.rollups"
    post_init.connect(remember_incident, sender=Incident, dispatch_uid=f"{uid}.remember_incident")
    post_save.connect(incident_saved, sender=Incident, dispatch_uid=f"{uid}.incident_saved")
    pre_delete.connect(incident_deleting, sender=Incident, dispatch_uid=f"{uid}.incident_deleting")
    post_delete.connect(incident_deleted, sender=Incident, dispatch_uid=f"{uid}.incident_deleted")
    m2m_changed.connect(incident_services_changed, sender=Incident.services.through, dispatch_uid=f"{uid}.services")
    post_init.connect(remember_review, sender=Review, dispatch_uid=f"{uid}.remember_review")
    post_save.connect(review_saved, sender=Review, dispatch_uid=f"{uid}.review_saved")
    post_delete.connect(review_deleted, sender=Review, dispatch_uid=f"{uid}.review_deleted")
    post_save.connect(timeline_saved, sender=TimelineEvent, dispatch_uid=f"{uid}.timeline_saved")
    post_save.connect(slo_changed, sender=SLO, dispatch_uid=f"{uid}.slo_saved")
    post_save.connect(slo_changed, sender=SLIReport, dispatch_uid=f"{uid}.sli_report_saved")

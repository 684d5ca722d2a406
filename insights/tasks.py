"""Celery entry points for insights: recompute rollups, all of them or the buckets a change touched."""

from celery import shared_task

from insights import rollups, slo_burn
from services.models import SLO


@shared_task
def recompute_all_rollups():
    """Nightly: recompute every rollup row from every incident."""
    return rollups.recompute_all()


@shared_task
def refresh_incident_rollups(incident_ids=(), previous_buckets=()):
    """Recompute the buckets the incidents fall in now, and those they fell in before the change."""
    buckets = {tuple(bucket) for bucket in previous_buckets}
    for incident_id in incident_ids:
        buckets |= rollups.buckets_for_incident(incident_id)
    for bucket in sorted(buckets, key=repr):
        rollups.recompute_bucket(bucket)
    return len(buckets)


@shared_task
def refresh_slo_status(slo_id):
    """Recompute one SLO's budget and burn (after an SLI report); a fast burn opens its incident."""
    slo_burn.refresh_slo_status(slo_id=slo_id)


@shared_task
def refresh_all_slo_statuses():
    """Every few minutes: burn windows move with the clock even when no report arrives."""
    for slo_id in SLO.objects.values_list("pk", flat=True):
        slo_burn.refresh_slo_status(slo_id=slo_id)

"""Celery entry points for incidents: load by id, call the domain code."""

from celery import shared_task

from incidents.correlation import suspects as correlation
from incidents.models import Incident


@shared_task
def correlate_incident(incident_id):
    """Score the deployments that may have caused incident `incident_id` (safe to run again)."""
    incident = Incident.objects.filter(pk=incident_id).first()
    if incident is None:
        return None  # Deleted before the task ran: nothing to correlate.
    return correlation.correlate_incident(incident=incident)

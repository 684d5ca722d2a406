"""Queue deploy correlation when what it depends on changes (connected in IncidentsConfig.ready)."""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_init, post_save

from core.signals import m2m_changed_ids
from incidents.correlation.suspects import correlation_window, moved
from incidents.models import Incident
from services.models import Deployment


def _queue_correlation(incident_id):
    from incidents.tasks import correlate_incident

    correlate_incident.delay_on_commit(incident_id)


def remember_started_at(sender, instance, **kwargs):
    instance._correlation_started_at = instance.started_at


def incident_saved(sender, instance, created, raw=False, **kwargs):
    """A new incident, or one whose start moved: its window of suspect deployments changed."""
    if raw:
        return
    if created or instance.started_at != getattr(instance, "_correlation_started_at", instance.started_at):
        _queue_correlation(instance.pk)
    instance._correlation_started_at = instance.started_at


def incident_services_changed(sender, instance, action, reverse, pk_set, **kwargs):
    # Changed from the service's side, every incident on the other end is affected.
    for incident_id in m2m_changed_ids(instance, action, reverse, pk_set):
        _queue_correlation(incident_id)


def deployment_saved(sender, instance, created, raw=False, **kwargs):
    """A deployment reported late may belong to an open incident of its service or of a service depending on it."""
    if raw or not created:
        return
    incident_ids = (
        Incident.objects.open()
        .filter(Q(services=instance.service_id) | Q(services__dependencies__depends_on=instance.service_id))
        .filter(
            Q(started_at__gte=instance.started_at, started_at__lte=moved(instance.started_at, correlation_window()))
            | Q(started_at__isnull=True)
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    for incident_id in incident_ids:
        _queue_correlation(incident_id)


def connect():
    post_init.connect(remember_started_at, sender=Incident, dispatch_uid="incidents.remember_started_at")
    post_save.connect(incident_saved, sender=Incident, dispatch_uid="incidents.correlate_on_save")
    m2m_changed.connect(
        incident_services_changed, sender=Incident.services.through, dispatch_uid="incidents.correlate_on_services"
    )
    post_save.connect(deployment_saved, sender=Deployment, dispatch_uid="incidents.correlate_on_deployment")

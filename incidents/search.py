"""Incidents as search documents: title, summary, timeline text, labels and alert names (see core.search)."""

from functools import partial
from operator import attrgetter

from django.db.models import Prefetch

from core import search
from core.signals import on_relation_changes, on_row_changes
from incidents.models import Incident, IntakeAlert, TimelineEvent

DOC_TYPE = "incident"


def incident_document_fields(incident):
    """The Document fields an incident gives its own document and its review's: its services, who may see it
    and when it happened (read with services and allowed_teams prefetched)."""
    return {
        "services": [service.slug for service in incident.services.all()],
        "restricted": incident.restricted,
        "allowed_team_ids": [team.pk for team in incident.allowed_teams.all()],
        "occurred_at": incident.started_at or incident.created_at,
    }


def incident_documents(ids):
    """The search documents of the incidents with these ids (those that still exist and are not deleted)."""
    incidents = Incident.objects.filter(pk__in=ids, archived_at__isnull=True).prefetch_related(
        "services",
        "allowed_teams",
        Prefetch("timeline", queryset=TimelineEvent.objects.only("incident_id", "text")),
        Prefetch("intake_alerts", queryset=IntakeAlert.objects.only("incident_id", "name")),
    )
    for incident in incidents:
        labels = [f"{key} {value}" for key, value in (incident.labels or {}).items()]
        alert_names = sorted({alert.name for alert in incident.intake_alerts.all() if alert.name})
        yield search.Document(
            doc_type=DOC_TYPE,
            object_id=incident.pk,
            url=incident.get_absolute_url(),
            reference=incident.reference,
            title=incident.title,
            keywords="\n".join([*alert_names, *labels]),
            summary=incident.summary,
            body="\n".join(event.text for event in incident.timeline.all()),
            **incident_document_fields(incident),
        )


_queue = partial(search.queue_reindex, DOC_TYPE)


def connect():
    search.register_feed(
        DOC_TYPE,
        label="Incidents",
        documents=incident_documents,
        rows=Incident.objects.all(),
    )
    on_row_changes(Incident, _queue, dispatch_uid="incidents.search_incident")
    for model in (TimelineEvent, IntakeAlert):
        on_row_changes(model, _queue, key=attrgetter("incident_id"), dispatch_uid=f"incidents.search_{model.__name__}")
    on_relation_changes(
        (Incident.services.through, Incident.allowed_teams.through), _queue, dispatch_uid="incidents.search"
    )

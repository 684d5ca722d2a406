"""`{% suspect_panel incident as panel %}`: what the suspect-deployments partial shows, in two queries."""

from django import template
from django.conf import settings

from incidents.choices import SuspectState
from incidents.correlation import can_decide_suspects, incident_start

register = template.Library()


@register.simple_tag(takes_context=True)
def suspect_panel(context, incident):
    """Return the incident's suspects split into open (suggested or confirmed) and dismissed, and who may decide."""
    start = incident_start(incident)
    active, dismissed = [], []
    for suspect in incident.suspect_deployments.for_display():
        suspect.before_start = start - suspect.deployment.started_at if start else None
        suspect.percent = round(suspect.score * 100)
        (dismissed if suspect.state == SuspectState.DISMISSED else active).append(suspect)
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "active": active,
        "dismissed": dismissed,
        "can_decide": user is not None and can_decide_suspects(user, incident),
        "has_services": bool(active or dismissed) or incident.services.exists(),
        "window_hours": settings.HINDSIGHT_CORRELATION_WINDOW_HOURS,
    }

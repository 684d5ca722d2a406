"""`{% suspect_panel incident as panel %}`: what the suspect-deployments partial shows, in two queries."""

from django import template
from django.conf import settings

from incidents.choices import SuspectState
from incidents.correlation.suspects import incident_start

register = template.Library()

# Suggestions shown before "more, less likely"; the rest stay one click away.
SHOWN_SUGGESTIONS = 5


@register.simple_tag(takes_context=True)
def suspect_panel(context, incident):
    """Return the incident's suspects grouped for display, and whether the current user may decide on them.

    `active`: confirmed ones and the best suggestions; `more`: the remaining suggestions; `dismissed`.
    """
    start = incident_start(incident)
    active, more, dismissed = [], [], []
    suggested = 0
    for suspect in incident.suspect_deployments.for_display():
        suspect.before_start = start - suspect.deployment.started_at if start else None
        suspect.percent = round(suspect.score * 100)
        if suspect.state == SuspectState.DISMISSED:
            dismissed.append(suspect)
        elif suspect.state == SuspectState.CONFIRMED:
            active.append(suspect)
        else:
            suggested += 1
            (active if suggested <= SHOWN_SUGGESTIONS else more).append(suspect)
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "active": active,
        "more": more,
        "dismissed": dismissed,
        "can_decide": user is not None and incident.can_edit(user),
        "has_services": bool(active or more or dismissed) or incident.services.exists(),
        "window_hours": settings.HINDSIGHT_CORRELATION_WINDOW_HOURS,
    }

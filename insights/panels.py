"""Insights' sections on other apps' pages (registered in InsightsConfig.ready through core.panels)."""

from incidents.models import Incident
from insights import links, metrics
from insights.models import Dimension, MtbfRollup, SLOStatus, Window


def service_reliability_context(request, service):
    """MTBF of the service per window and its SLOs' budgets, for the service page (three queries)."""
    rows = {
        row.window: row
        for row in MtbfRollup.objects.for_user(request.user).filter(dimension=Dimension.SERVICE, key=service.slug)
    }
    mtbf = [
        {
            "label": window.label,
            "row": rows[window],
            "enough_data": rows[window].interval_count >= metrics.MIN_INTERVALS,
            "url": links.mtbf_incidents(rows[window]),
        }
        for window in Window
        if window in rows
    ]
    statuses = SLOStatus.objects.filter(slo__service=service).select_related("slo__service").order_by("slo__name")
    return {"mtbf": mtbf, "slo_lines": slo_lines(request.user, statuses), "slos_defined": service.slos.count()}


def slo_lines(user, statuses):
    """SLO statuses with the incident a fast burn opened, when the user may see it (one query for all)."""
    statuses = list(statuses)
    ids = {status.incident_id for status in statuses if status.incident_id}
    incidents = (
        {incident.pk: incident for incident in Incident.objects.visible_to(user).filter(pk__in=ids)} if ids else {}
    )
    return [{"status": status, "incident": incidents.get(status.incident_id)} for status in statuses]

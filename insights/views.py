from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.pagination import count_text, count_up_to
from incidents.models import Incident
from insights.dashboard import dashboard_context
from services.models import Deployment, Service


@login_required
def home(request):
    """The landing page: open incidents first, then where to look and what changed lately."""
    visible = Incident.objects.visible_to(request.user)
    open_incidents = (
        visible.open().select_related("team").prefetch_related("services").order_by("severity", "-started_at")
    )
    # Counted through the open incidents' own index, and no further than 10,000 ("10,000+").
    open_incident_count = count_up_to(open_incidents)
    recent_deployments = Deployment.objects.select_related("service__team").order_by("-started_at")[:12]
    return render(
        request,
        "insights/home.html",
        {
            "open_incidents": open_incidents[:10],
            "open_incident_count": open_incident_count,
            "open_incident_count_text": count_text(open_incident_count),
            "recently_resolved": visible.filter(resolved_at__isnull=False)
            .select_related("team")
            .order_by("-resolved_at")[:5],
            "service_count": Service.objects.count(),
            "deployments_last_day": Deployment.objects.recent(hours=24).count(),
            "recent_deployments": recent_deployments,
        },
    )


@login_required
def dashboard(request):
    """Are we getting better? MTBF per class and service, repeats, durations and unplanned work."""
    return render(request, "insights/dashboard.html", dashboard_context(request))

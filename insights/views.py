from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from services.models import Deployment, Service


@login_required
def home(request):
    """The landing page: where to go during an incident and what changed lately."""
    recent_deployments = Deployment.objects.select_related("service__team").order_by("-started_at")[:12]
    return render(
        request,
        "insights/home.html",
        {
            "service_count": Service.objects.count(),
            "deployments_last_day": Deployment.objects.recent(hours=24).count(),
            "recent_deployments": recent_deployments,
        },
    )

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from core.views import FilteredListView
from services.filtersets import DeploymentFilterSet, ServiceFilterSet
from services.models import Dependency, Deployment, Service


class ServiceListView(FilteredListView):
    filterset_class = ServiceFilterSet
    template_name = "services/service_list.html"
    partial_template_name = "services/inc/_service_results.html"

    def get_base_queryset(self):
        # Meta.ordering does not apply to a GROUP BY query, so the counts need an explicit order.
        return Service.objects.select_related("team").with_counts().order_by("name")


class DeploymentListView(FilteredListView):
    filterset_class = DeploymentFilterSet
    template_name = "services/deployment_list.html"
    partial_template_name = "services/inc/_deployment_results.html"

    def get_base_queryset(self):
        return Deployment.objects.select_related("service__team")


@login_required
def service_detail(request, slug):
    service = get_object_or_404(Service.objects.select_related("team"), slug=slug)
    context = {
        "service": service,
        "dependencies": Dependency.objects.filter(service=service).select_related("depends_on__team"),
        "dependents": Dependency.objects.filter(depends_on=service).select_related("service__team"),
        "deployments": service.deployments.all()[:20],
        "deployment_count": service.deployments.count(),
    }
    return render(request, "services/service_detail.html", context)

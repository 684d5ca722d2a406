from services.api.views import DependencyViewSet, DeploymentViewSet, ServiceViewSet, SLIReportViewSet, SLOViewSet

routes = [
    ("services", ServiceViewSet),
    ("dependencies", DependencyViewSet),
    ("deployments", DeploymentViewSet),
    ("slos", SLOViewSet),
    ("slo-reports", SLIReportViewSet),
]
urlpatterns = []

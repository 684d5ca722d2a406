from services.api.views import DependencyViewSet, DeploymentViewSet, ServiceViewSet

routes = [
    ("services", ServiceViewSet),
    ("dependencies", DependencyViewSet),
    ("deployments", DeploymentViewSet),
]
urlpatterns = []

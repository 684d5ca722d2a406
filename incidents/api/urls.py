from django.urls import path

from incidents.api.views import IncidentViewSet, TimelineEventViewSet
from incidents.correlation.api import views as suspect_views
from incidents.intake.api import views as intake_views

routes = [
    ("incidents", IncidentViewSet),
    ("intake/sources", intake_views.IntakeSourceViewSet),
]

timeline_list = TimelineEventViewSet.as_view({"get": "list", "post": "create"})
timeline_detail = TimelineEventViewSet.as_view(
    {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
)
urlpatterns = [
    path("incidents/<str:reference>/timeline/", timeline_list, name="incident-timeline-list"),
    path("incidents/<str:reference>/timeline/<int:pk>/", timeline_detail, name="incident-timeline-detail"),
    path("intake/alertmanager/", intake_views.AlertmanagerIntakeView.as_view(), name="intake-alertmanager"),
    path("intake/generic/", intake_views.GenericIntakeView.as_view(), name="intake-generic"),
    path(
        "incidents/<str:reference>/suspect-deployments/",
        suspect_views.SuspectDeploymentListView.as_view(),
        name="suspect-deployment-list",
    ),
    path(
        "incidents/<str:reference>/suspect-deployments/<int:pk>/confirm/",
        suspect_views.SuspectDeploymentConfirmView.as_view(),
        name="suspect-deployment-confirm",
    ),
    path(
        "incidents/<str:reference>/suspect-deployments/<int:pk>/dismiss/",
        suspect_views.SuspectDeploymentDismissView.as_view(),
        name="suspect-deployment-dismiss",
    ),
]

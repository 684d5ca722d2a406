from django.urls import path

from incidents.api import intake_views, suspect_views

routes = [
    ("intake/sources", intake_views.IntakeSourceViewSet),
]
urlpatterns = [
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

from django.urls import path

from services import views

app_name = "services"

urlpatterns = [
    path("services/", views.ServiceListView.as_view(), name="service_list"),
    path("services/<slug:slug>/", views.service_detail, name="service_detail"),
    path("deployments/", views.DeploymentListView.as_view(), name="deployment_list"),
]

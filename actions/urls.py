from django.urls import path

from actions import views

app_name = "actions"

urlpatterns = [
    path("actions/", views.ActionItemListView.as_view(), name="action_list"),
    path("actions/dashboard/", views.dashboard, name="dashboard"),
    path("actions/export.csv", views.export_csv, name="export_csv"),
    path("actions/new/", views.action_create, name="action_create"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/status/", views.action_transition, name="action_transition"),
    path("actions/<int:pk>/verify/", views.action_verify, name="action_verify"),
    path("actions/<int:pk>/findings/", views.finding_add, name="finding_add"),
]

from django.urls import path

from incidents import views
from incidents.correlation import views as suspect_views

app_name = "incidents"

urlpatterns = [
    path("incidents/", views.IncidentListView.as_view(), name="incident_list"),
    path("incidents/new/", views.incident_create, name="incident_create"),
    path("incidents/deleted/", views.incident_deleted, name="incident_deleted"),
    path("incidents/<str:reference>/", views.incident_detail, name="incident_detail"),
    path("incidents/<str:reference>/edit/", views.incident_edit, name="incident_edit"),
    path("incidents/<str:reference>/delete/", views.incident_delete, name="incident_delete"),
    path("incidents/<str:reference>/restore/", views.incident_restore, name="incident_restore"),
    path("incidents/<str:reference>/status/", views.incident_change_status, name="incident_change_status"),
    path("incidents/<str:reference>/timeline/", views.timeline, name="timeline"),
    path("incidents/<str:reference>/timeline/add/", views.timeline_add, name="timeline_add"),
    path("incidents/<str:reference>/timeline/<int:pk>/edit/", views.timeline_edit, name="timeline_edit"),
    path("incidents/<str:reference>/tags/add/", views.tag_add, name="tag_add"),
    path("incidents/<str:reference>/tags/<int:pk>/remove/", views.tag_remove, name="tag_remove"),
    path("incidents/<str:reference>/suspects/<int:pk>/confirm/", suspect_views.suspect_confirm, name="suspect_confirm"),
    path("incidents/<str:reference>/suspects/<int:pk>/dismiss/", suspect_views.suspect_dismiss, name="suspect_dismiss"),
]

from django.urls import path

from incidents.api.views import IncidentViewSet, TimelineEventViewSet

routes = [("incidents", IncidentViewSet)]

timeline_list = TimelineEventViewSet.as_view({"get": "list", "post": "create"})
timeline_detail = TimelineEventViewSet.as_view(
    {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
)
urlpatterns = [
    path("incidents/<str:reference>/timeline/", timeline_list, name="incident-timeline-list"),
    path("incidents/<str:reference>/timeline/<int:pk>/", timeline_detail, name="incident-timeline-detail"),
]

from django.urls import path

from incidents import suspect_views

app_name = "incidents"

urlpatterns = [
    path("incidents/<str:reference>/suspects/<int:pk>/confirm/", suspect_views.suspect_confirm, name="suspect_confirm"),
    path("incidents/<str:reference>/suspects/<int:pk>/dismiss/", suspect_views.suspect_dismiss, name="suspect_dismiss"),
]

from django.urls import path

from insights import views

app_name = "insights"
urlpatterns = [
    path("insights/", views.dashboard, name="dashboard"),
]

from django.urls import path

from insights.api import views

routes = []
urlpatterns = [
    path("insights/mtbf/", views.MtbfListView.as_view(), name="insights-mtbf"),
    path("insights/durations/", views.DurationListView.as_view(), name="insights-durations"),
    path("insights/repeats/", views.RepeatListView.as_view(), name="insights-repeats"),
    path("insights/slo/", views.SLOStatusListView.as_view(), name="insights-slo"),
    path("insights/unplanned-work/", views.UnplannedWorkListView.as_view(), name="insights-unplanned-work"),
]

from django.urls import path

from playbooks.api.views import PlaybookViewSet, SearchView

routes = [("playbooks", PlaybookViewSet)]
urlpatterns = [path("search/", SearchView.as_view(), name="search")]

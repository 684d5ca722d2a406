"""Every app's API under /api/: viewsets on one router (so /api/ lists them all), plus plain views."""

from rest_framework.routers import DefaultRouter

from accounts.api import urls as accounts_api
from actions.api import urls as actions_api
from failure_catalog.api import urls as failure_catalog_api
from incidents.api import urls as incidents_api
from insights.api import urls as insights_api
from postmortems.api import urls as postmortems_api
from services.api import urls as services_api

APPS = [accounts_api, services_api, incidents_api, postmortems_api, actions_api, failure_catalog_api, insights_api]

router = DefaultRouter()
for app in APPS:
    for prefix, viewset in app.routes:
        router.register(prefix, viewset)

urlpatterns = [pattern for app in APPS for pattern in app.urlpatterns] + router.urls

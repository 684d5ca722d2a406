from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core import health
from insights.views import home

urlpatterns = [
    path("", home, name="home"),
    # Browsers ask for it on pages that name no icon (an API answer opened as JSON); lazy, as the static
    # files manifest may not exist yet when the URLs load (`check --deploy` before `collectstatic`).
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("hindsight/favicon.svg"), permanent=True)),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("services.urls")),
    path("", include("incidents.urls")),
    path("", include("postmortems.urls")),
    path("", include("actions.urls")),
    path("", include("playbooks.urls")),
    path("", include("failure_catalog.urls")),
    path("", include("insights.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include("config.api_urls")),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", health.metrics, name="metrics"),
    path("admin/", admin.site.urls),
]

handler400 = "core.views.bad_request"
handler404 = "core.views.page_not_found"

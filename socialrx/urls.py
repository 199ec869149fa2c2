"""Root URLconf: the only place, with Celery autodiscovery, that names the apps."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView

admin.site.site_header = "socialrx administration"
admin.site.site_title = "socialrx admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # NHS.UK frontend's stylesheet names its icons under /assets/.
    path(
        "assets/<path:asset>",
        RedirectView.as_view(url=f"{settings.STATIC_URL}vendor/nhsuk-frontend/assets/%(asset)s"),
    ),
    path("", include("socialrx.core.urls")),
    # Each app's urls.py owns its prefixes (directory also serves /oruk/).
    path("", include("directory.urls")),
    path("", include("referrals.urls")),
    path("", include("linkworkers.urls")),
    path("", include("outcomes.urls")),
    path("", include("interop.urls")),
]

# A database outage met outside a view (a middleware loading the user) is still a 503.
handler500 = "socialrx.core.views.server_error"

"""The bench's URLconf (``ROOT_URLCONF`` in bench/settings.py): every route the site
serves, plus the bare yardstick view. The site's own URLconf never has the bare view."""

from django.urls import path

from bench import views
from socialrx.urls import urlpatterns as site_urlpatterns

urlpatterns = [*site_urlpatterns, path("bench/bare/", views.bare, name="bench_bare")]

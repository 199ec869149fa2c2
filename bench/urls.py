"""The bench's URLconf (``ROOT_URLCONF`` in bench/settings.py): every route the site
serves, plus the yardstick views. The site's own URLconf never has them."""

from django.urls import path

from bench import views
from socialrx.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    *site_urlpatterns,
    path("bench/bare/", views.bare, name="bench_bare"),
    path("bench/signed-in/", views.signed_in, name="bench_signed_in"),
]

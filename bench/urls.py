"""Routes served only when ``SOCIALRX_BENCH=true`` (see socialrx/urls.py)."""

from django.urls import path

from bench import views

urlpatterns = [path("bench/bare/", views.bare, name="bench_bare")]

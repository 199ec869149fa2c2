"""The project's URLs plus outcomes', until the root URLconf includes ``outcomes.urls``
(socialrx/urls.py is outside this work; see the report to the lead)."""

from django.urls import include, path

from socialrx.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns, path("", include("outcomes.urls"))]

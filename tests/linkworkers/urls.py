"""The project's URLs plus this app's, until the root URLconf includes ``linkworkers.urls``
(socialrx/urls.py is outside this work; see the report to the lead)."""

from django.urls import include, path

from socialrx.urls import urlpatterns as project_urlpatterns

_included = any(getattr(p, "namespace", None) == "linkworkers" for p in project_urlpatterns)
urlpatterns = [
    *project_urlpatterns,
    *([] if _included else [path("", include("linkworkers.urls"))]),
]

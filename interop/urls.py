from django.urls import path

from interop import api

app_name = "interop"

urlpatterns = [
    path("fhir/ServiceRequest", api.ServiceRequestCreateApi.as_view(), name="fhir-create"),
    path(
        "fhir/ServiceRequest/<uuid:referral_id>",
        api.ServiceRequestReadApi.as_view(),
        name="fhir-read",
    ),
]

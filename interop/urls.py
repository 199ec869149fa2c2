from django.urls import path

from interop import api, views
from interop.oauth import ThrottledTokenView

app_name = "interop"

# FHIR paths have no trailing slash (FHIR RESTful API: [base]/[type]/[id]).
urlpatterns = [
    path("fhir/metadata", api.MetadataApi.as_view(), name="fhir_metadata"),
    path(
        "fhir/ServiceRequest",
        api.ServiceRequestCollectionApi.as_view(),
        name="fhir_service_requests",
    ),
    path(
        "fhir/ServiceRequest/<uuid:referral_id>",
        api.ServiceRequestItemApi.as_view(),
        name="fhir_service_request",
    ),
    path("fhir/Task", api.TaskCollectionApi.as_view(), name="fhir_tasks"),
    path("fhir/Task/<uuid:referral_id>", api.TaskItemApi.as_view(), name="fhir_task"),
    path("fhir/Bundle", api.BundleCollectionApi.as_view(), name="fhir_bundles"),
    path("fhir/Bundle/<uuid:message_id>", api.BundleItemApi.as_view(), name="fhir_bundle"),
    path("referrals/launch/", views.gp_launch, name="gp_launch"),
    path("practice/messages/", views.inbox, name="inbox"),
    path("practice/messages/<int:pk>/", views.inbox_message, name="inbox_message"),
    path("practice/messages/<int:pk>.pdf", views.inbox_message_pdf, name="inbox_message_pdf"),
    path("practice/messages/<int:pk>/file/", views.inbox_message_file, name="inbox_message_file"),
    # OAuth 2.0 client credentials for GP systems (django-oauth-toolkit's token endpoint,
    # throttled like sign-in).
    path("oauth/token/", ThrottledTokenView.as_view(), name="oauth_token"),
]

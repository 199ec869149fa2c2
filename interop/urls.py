from django.urls import path
from oauth2_provider.views import TokenView

from interop import api, views

app_name = "interop"

# FHIR paths have no trailing slash (FHIR RESTful API: [base]/[type]/[id]).
urlpatterns = [
    path("fhir/metadata", api.MetadataApi.as_view(), name="fhir-metadata"),
    path(
        "fhir/ServiceRequest",
        api.ServiceRequestCollectionApi.as_view(),
        name="fhir-service-requests",
    ),
    path(
        "fhir/ServiceRequest/<uuid:referral_id>",
        api.ServiceRequestItemApi.as_view(),
        name="fhir-service-request",
    ),
    path("fhir/Task", api.TaskCollectionApi.as_view(), name="fhir-tasks"),
    path("fhir/Task/<uuid:referral_id>", api.TaskItemApi.as_view(), name="fhir-task"),
    path("fhir/Bundle", api.BundleCollectionApi.as_view(), name="fhir-bundles"),
    path("fhir/Bundle/<uuid:message_id>", api.BundleItemApi.as_view(), name="fhir-bundle"),
    path("referrals/launch/", views.gp_launch, name="gp-launch"),
    path("practice/messages/", views.inbox, name="inbox"),
    path("practice/messages/<int:pk>/", views.inbox_message, name="inbox-message"),
    path("practice/messages/<int:pk>.pdf", views.inbox_message_pdf, name="inbox-message-pdf"),
    path("practice/messages/<int:pk>/file/", views.inbox_message_file, name="inbox-message-file"),
    # OAuth 2.0 client credentials for GP systems (django-oauth-toolkit's token endpoint).
    path("oauth/token/", TokenView.as_view(), name="oauth-token"),
]

from django.urls import path

from referrals import api, views, views_access, views_people, views_public

app_name = "referrals"

urlpatterns = [
    path("referrals/", views.referral_list, name="list"),
    path("referrals/new/", views.referral_create, name="create"),
    path("referrals/new/<str:token>/check/", views.referral_check, name="check"),
    path("referrals/<int:pk>/", views.referral_detail, name="detail"),
    path(
        "referrals/<int:pk>/access/",
        views_access.referral_access_report,
        name="referral_access_report",
    ),
    path(
        "people/<int:pk>/access/",
        views_access.person_access_report,
        name="person_access_report",
    ),
    path(
        "referrals/<int:pk>/provide-info/",
        views.referral_provide_info_view,
        name="provide_info",
    ),
    path("api/v1/referrals/", api.ReferralCollectionApi.as_view(), name="api_list"),
    path(
        "api/v1/referrals/<uuid:referral_id>/",
        api.ReferralDetailApi.as_view(),
        name="api_detail",
    ),
    path(
        "referrals/<int:pk>/confirm-consent/",
        views.referral_confirm_consent_view,
        name="confirm_consent",
    ),
    path("self-referral/", views_public.self_referral, name="self_referral"),
    path(
        "self-referral/<str:token>/check/",
        views_public.self_referral_check,
        name="self_referral_check",
    ),
    path("self-referral/sent/", views_public.self_referral_sent, name="self_referral_sent"),
    path("referrals/triage/", views.triage_queue, name="triage"),
    path("referrals/triage/<int:pk>/", views.triage_detail, name="triage_detail"),
    path(
        "referrals/triage/<int:pk>/person/",
        views_people.triage_person_details,
        name="triage_person_details",
    ),
    path("referrals/triage/<int:pk>/assign/", views.triage_assign, name="triage_assign"),
    path("referrals/triage/<int:pk>/decline/", views.triage_decline, name="triage_decline"),
    path("referrals/triage/<int:pk>/redirect/", views.triage_redirect, name="triage_redirect"),
    path(
        "referrals/triage/<int:pk>/request-info/",
        views.triage_request_info,
        name="triage_request_info",
    ),
    path(
        "referrals/triage/<int:pk>/duplicates/<int:other_pk>/",
        views.triage_duplicate,
        name="triage_duplicate",
    ),
]

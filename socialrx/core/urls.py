from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from socialrx.core import api, cis2, notify_callbacks, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("api/v1/me/", api.MeApi.as_view(), name="api_me"),
    # GOV.UK Notify posts delivery receipts and returned letters here (bearer token).
    path(
        "notify/callbacks/delivery/",
        notify_callbacks.delivery_receipt,
        name="notify_delivery_receipt",
    ),
    path(
        "notify/callbacks/returned-letter/",
        notify_callbacks.returned_letter,
        name="notify_returned_letter",
    ),
    path("", include("socialrx.core.api_tokens.urls")),
    path("", include("socialrx.core.data_protection.urls")),
    path("accounts/sign-in/", views.SignInView.as_view(), name="login"),
    path("accounts/sign-out/", views.SignOutView.as_view(), name="logout"),
    path("accounts/password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/session/status/", views.session_status, name="session_status"),
    path("accounts/session/keep-alive/", views.session_keep_alive, name="session_keep_alive"),
    # allauth's own addresses for the same steps lead to ours.
    path("accounts/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path(
        "accounts/password/reset/",
        RedirectView.as_view(pattern_name="password_reset", query_string=True),
    ),
    # The address someone signs in with is set by administrators, and a CIS2 identity is
    # linked by matching at sign-in (ADR 0024): allauth's pages for people to change their
    # own are not served (shadowed here, under allauth's names).
    path("accounts/email/", views.not_served, name="account_email"),
    path("accounts/3rdparty/", views.not_served, name="socialaccount_connections"),
    # allauth's reauthentication, with a new session id once it succeeds (ASVS V7.2.4).
    path(
        "accounts/reauthenticate/",
        views.ReauthenticateView.as_view(),
        name="account_reauthenticate",
    ),
    path(
        "accounts/2fa/reauthenticate/",
        views.ReauthenticateWithCodeView.as_view(),
        name="mfa_reauthenticate",
    ),
    path(
        "accounts/2fa/webauthn/reauthenticate/",
        views.ReauthenticateWithPasskeyView.as_view(),
        name="mfa_reauthenticate_webauthn",
    ),
    path("accounts/sessions/", views.SessionsView.as_view(), name="usersessions_list"),
    # CIS2 through allauth's OpenID Connect views with an adapter that always verifies the
    # ID token's signature (socialrx/core/cis2.py), under allauth's addresses and names.
    path("accounts/oidc/<str:provider_id>/login/", cis2.login, name="openid_connect_login"),
    path(
        "accounts/oidc/<str:provider_id>/login/callback/",
        cis2.callback,
        name="openid_connect_callback",
    ),
    # Second factors (/accounts/2fa/), sessions, reauthentication and CIS2 (/accounts/oidc/).
    path("accounts/", include("allauth.urls")),
]

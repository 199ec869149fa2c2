"""Access table for core's routes and the routes that are not ours (tests/helpers/routes.py).

Signing in is django-allauth's (ADR 0024), included whole at /accounts/: its routes are
here, grouped by what they are. The steps of signing in, resetting a password and CIS2
are public; a signed-in person's own account pages (second factors, sessions, password,
reauthentication) are guarded, need no role, and act on that person's own account only.
"""

from tests.helpers.routes import API_401, Guarded

_TOKENS = "tests/core/api_tokens/test_views.py::test_another_user_cannot_see_or_revoke_your_token"
_PASSKEYS = "tests/core/test_signin.py::test_another_users_passkey_cannot_be_renamed_or_removed"

# A page of the signed-in person's own account: any role or none; it names no record.
# Information governance answers for the whole deployment: no organisation to differ by;
# the test shows every other role refused.
_DATA_PROTECTION = "tests/core/test_data_protection.py::test_other_roles_are_refused"

_OWN = Guarded(other_org=None, no_role=200)
# A step allauth only takes from another page: it sends the person back there.
_REDIRECTS = Guarded(other_org=None, no_role=302)
# Acts on a second factor of one kind, which a person who has none of that kind lacks.
_OWN_FACTOR = Guarded(other_org=None, no_role=404)

ACCESS = {
    "data_protection": Guarded(other_org=_DATA_PROTECTION),
    "data_protection_request_new": Guarded(other_org=_DATA_PROTECTION),
    "data_protection_subject_access": Guarded(other_org=_DATA_PROTECTION),
    "api_tokens": Guarded(other_org=_TOKENS, no_role=200),
    "api_token_new": Guarded(other_org=_TOKENS, no_role=200),
    "api_token_revoke": Guarded(other_org=_TOKENS, no_role=404, method="post"),
    "api_me": Guarded(other_org=None, no_role=200, anonymous=API_401),
    # The session timeout warning's calls: JSON, 401 once signed out.
    "session_status": Guarded(other_org=None, no_role=200, anonymous=API_401),
    "session_keep_alive": Guarded(other_org=None, no_role=200, anonymous=API_401, method="post"),
    # Own account: password, reauthentication, second factors, sessions.
    "account_change_password": _OWN,
    "account_reauthenticate": _OWN,
    "mfa_index": _OWN,
    "mfa_activate_totp": _OWN,
    "mfa_generate_recovery_codes": _OWN,
    "mfa_list_webauthn": _OWN,
    "mfa_add_webauthn": _OWN,
    "usersessions_list": _OWN,
    "account_set_password": _REDIRECTS,  # to change it: every account has a password
    "account_request_reauthentication_code": _REDIRECTS,  # codes by email are off
    "account_confirm_reauthentication_code": _REDIRECTS,
    "mfa_reauthenticate": _REDIRECTS,  # by a factor they lack: to the password instead
    "mfa_reauthenticate_webauthn": _REDIRECTS,
    "mfa_deactivate_totp": _OWN_FACTOR,
    "mfa_view_recovery_codes": _OWN_FACTOR,
    "mfa_download_recovery_codes": _OWN_FACTOR,
    "mfa_edit_webauthn": Guarded(other_org=_PASSKEYS, no_role=404),
    "mfa_remove_webauthn": Guarded(other_org=_PASSKEYS, no_role=404),
    # Email addresses and CIS2 links are set by administrators and by matching at sign-in,
    # not by their owner: allauth's pages for these answer 404 (socialrx/core/urls.py).
    "account_email": Guarded(other_org=None, no_role=404),
    "socialaccount_connections": Guarded(other_org=None, no_role=404),
    # Django's admin: staff only, anonymous sent to the admin's own sign-in.
    "admin:*": Guarded(other_org=None),
}

_ALLAUTH_ADDRESS = "allauth's address for a step we serve at our own: redirects there"
_NOTICE = "one of allauth's notices; shows no data"
_OFF = "a step of a way of signing in that is off here: redirects to sign in"
_CIS2 = "signing in with CIS2 (state and PKCE bound to the browser's session)"
_CIS2_OLD = "allauth's former address for a CIS2 page: a permanent redirect to it"
PUBLIC = {
    "home": (
        "the landing page for visitors not signed in (self-referral, the directory, sign "
        "in); signed in, it shows only the person's own roles and what waits on them"
    ),
    "api_schema": "the OpenAPI description of the API; it holds no data",
    "assets/<path:asset>": "redirects to NHS.UK frontend's static icons",
    "healthz": "the load balancer's health check; says only whether the database answers",
    "notify_delivery_receipt": "GOV.UK Notify's callback; it proves itself with a bearer token",
    "notify_returned_letter": "GOV.UK Notify's callback; it proves itself with a bearer token",
    "login": "the sign-in page",
    "logout": "signing out (POST only); harmless when signed out",
    "password_reset": "asking for a reset link; the same answer whether or not the address exists",
    "password_reset_done": "the 'check your email' page",
    "password_reset_confirm": "the emailed link; the token in it is the credential",
    "password_reset_complete": "the 'password changed' page",
    # allauth: the steps anyone must reach to sign in or out.
    "accounts/login/": _ALLAUTH_ADDRESS,
    "account_login": _ALLAUTH_ADDRESS,
    "accounts/password/reset/": _ALLAUTH_ADDRESS,
    "account_reset_password": _ALLAUTH_ADDRESS,
    "account_logout": "allauth's sign-out; harmless when signed out",
    "mfa_authenticate": (
        "the code after the password, for a sign-in half done in this session; anyone "
        "else is sent to sign in"
    ),
    "account_signup": (
        "says sign-up is closed (administrators make accounts); a post makes none, see "
        "tests/core/test_signin.py::test_sign_up_is_closed"
    ),
    "socialaccount_signup": "CIS2's sign-up step; sign-up is closed, so it redirects to sign in",
    "account_confirm_login_code": _OFF,  # codes by email
    "account_inactive": _NOTICE,
    "account_email_verification_sent": _NOTICE,
    "account_confirm_email": "an emailed confirmation link; the key in it is the credential",
    "account_reset_password_done": _NOTICE,
    "account_reset_password_from_key": "an emailed reset link; the key in it is the credential",
    "account_reset_password_from_key_done": _NOTICE,
    "openid_connect_login": _CIS2,
    "openid_connect_callback": _CIS2,
    "socialaccount_login_cancelled": "CIS2 sign-in was cancelled: says so; no data",
    "socialaccount_login_error": "CIS2 sign-in failed: says so (401); no data",
    "accounts/social/login/cancelled/": _CIS2_OLD,
    "accounts/social/login/error/": _CIS2_OLD,
    "accounts/social/signup/": _CIS2_OLD,
    "accounts/social/connections/": _CIS2_OLD,
}

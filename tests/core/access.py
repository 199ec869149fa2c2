"""Access table for core's routes and the routes that are not ours (tests/helpers/routes.py)."""

from tests.helpers.routes import API_401, Guarded

_TOKENS = "tests/core/api_tokens/test_views.py::test_another_user_cannot_see_or_revoke_your_token"

ACCESS = {
    # Any signed-in user has a home page and their own tokens: no role is needed.
    "home": Guarded(other_org=None, no_role=200),
    "api_tokens": Guarded(other_org=_TOKENS, no_role=200),
    "api_token_new": Guarded(other_org=_TOKENS, no_role=200),
    "api_token_revoke": Guarded(other_org=_TOKENS, no_role=404, method="post"),
    "api_me": Guarded(other_org=None, no_role=200, anonymous=API_401),
    # Django's admin: staff only, anonymous sent to the admin's own sign-in.
    "admin:*": Guarded(other_org=None),
}

PUBLIC = {
    "api_schema": "the OpenAPI description of the API; it holds no data",
    "assets/<path:asset>": "redirects to NHS.UK frontend's static icons",
    "healthz": "the load balancer's health check; says only whether the database answers",
    "login": "the sign-in page",
    "logout": "signing out (POST only); harmless when signed out",
    "password_reset": "asking for a reset link; the same answer whether or not the address exists",
    "password_reset_done": "the 'check your email' page",
    "password_reset_confirm": "the emailed link; the token in it is the credential",
    "password_reset_complete": "the 'password changed' page",
}

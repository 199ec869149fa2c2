import functools
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import resolve_url
from django.template import loader
from django.urls import get_urlconf, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import http_date

from socialrx.core.logging import reset_request_id, set_request_id

logger = logging.getLogger(__name__)

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# Seconds a client is asked to wait before trying again during a database outage.
DATABASE_RETRY_AFTER_SECONDS = 30


class RequestIdMiddleware:
    """Gives every request an id, echoed in the ``X-Request-ID`` response header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = set_request_id(request_id)
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response["X-Request-ID"] = request_id
        return response


class ContentSecurityPolicyMiddleware:
    """Allows scripts, styles, fonts and connections from our own origin only.

    Django 5.2 has no CSP support of its own; one fixed header needs no library.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", content_security_policy())
        return response


def content_security_policy() -> str:
    """The policy, with CIS2's origin allowed as a form target when CIS2 is configured:
    the sign-in form posts to us and we redirect to CIS2, and browsers hold redirects
    after a form post to form-action too."""
    policy: str = settings.CONTENT_SECURITY_POLICY
    if settings.CIS2_ISSUER_URL:
        parts = urlsplit(settings.CIS2_ISSUER_URL)
        policy = policy.replace(
            "form-action 'self'", f"form-action 'self' {parts.scheme}://{parts.netloc}"
        )
    return policy


# Signed-in sessions (ADR 0024).

# Session keys: when the session signed in, and when it was last used.
SIGNED_IN_AT = "socialrx_signed_in_at"
LAST_SEEN_AT = "socialrx_last_seen_at"
# Pages a signed-in session without a second factor may reach: setting one up, signing
# out, and what those pages call. Nothing here shows anyone's records.
SECOND_FACTOR_SETUP_URL_NAMES = frozenset(
    {
        "logout",
        "account_logout",
        "mfa_index",
        "mfa_activate_totp",
        "mfa_add_webauthn",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_generate_recovery_codes",
        "account_reauthenticate",
        "session_status",
        "session_keep_alive",
        "healthz",
    }
)


# Paths whose clients read JSON, not pages: the API and the FHIR face for GP systems.
JSON_PATH_PREFIXES = ("/api/", "/fhir/")


def _wants_json(request: HttpRequest) -> bool:
    # "json" also matches FHIR's application/fhir+json.
    return request.path.startswith(JSON_PATH_PREFIXES) or "json" in request.headers.get(
        "Accept", ""
    )


def _is_htmx(request: HttpRequest) -> bool:
    # Read from the header: django-htmx's middleware runs after these.
    return request.headers.get("HX-Request") == "true"


def _signed_out_response(request: HttpRequest, message: str) -> HttpResponse:
    """Where a request goes when its session has just been ended."""
    # Stored for the sign-in page, where the timeout warning's script goes next.
    messages.info(request, message)
    if _wants_json(request):
        return JsonResponse({"message": message, "extra": {}}, status=401)
    login_url = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}"
    if _is_htmx(request):
        # htmx would swap the sign-in page into a fragment: send the whole page there.
        return HttpResponse(status=204, headers={"HX-Redirect": login_url})
    return HttpResponseRedirect(login_url)


def session_seconds_left(request: HttpRequest, now: float | None = None) -> float:
    """Seconds until the session's idle or absolute limit, whichever comes first."""
    now = time.time() if now is None else now
    signed_in = request.session.get(SIGNED_IN_AT, now)
    last_seen = request.session.get(LAST_SEEN_AT, now)
    return min(
        last_seen + settings.SESSION_IDLE_TIMEOUT - now,
        signed_in + settings.SESSION_COOKIE_AGE - now,
    )


def session_touch(request: HttpRequest, now: float | None = None) -> None:
    request.session[LAST_SEEN_AT] = time.time() if now is None else now


def mark_session_signed_in(sender: Any, request: HttpRequest | None, **_: Any) -> None:
    """Receiver of Django's user_logged_in: the clocks of a new session start now."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN_AT] = now


class SessionTimeoutMiddleware:
    """Ends a session idle for SESSION_IDLE_TIMEOUT or older than SESSION_COOKIE_AGE.

    The last-seen time is written at most every TOUCH_SECONDS (or a tenth of the idle
    limit), so most requests do not write the session.
    """

    TOUCH_SECONDS = 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            if session_seconds_left(request, now) <= 0:
                return self._sign_out(request)
            # The status check the timeout warning makes is not activity.
            if request.path != _path_of("session_status", get_urlconf(settings.ROOT_URLCONF)):
                touch_every = min(self.TOUCH_SECONDS, settings.SESSION_IDLE_TIMEOUT / 10)
                if now - request.session.get(LAST_SEEN_AT, 0) >= touch_every:
                    session_touch(request, now)
        return self.get_response(request)

    def _sign_out(self, request: HttpRequest) -> HttpResponse:
        from socialrx.core.audit import audit_record
        from socialrx.core.models import AuditAction

        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action=AuditAction.LOGOUT,
            request=request,
            detail={"reason": "session timed out"},
        )
        from socialrx.core.context_processors import duration_text

        logout(request)
        idle = duration_text(settings.SESSION_IDLE_TIMEOUT)
        return _signed_out_response(
            request,
            f"You have been signed out because you had not used the service for {idle}, or "
            "had been signed in for too long. Sign in again to continue.",
        )


@functools.lru_cache(maxsize=16)
def _path_of(url_name: str, urlconf: str) -> str:
    """A route's path, reversed once per URLconf, not on every signed-in request (issue
    17: with the never-cache headers below, 2% of the signed-in fixed cost)."""
    return reverse(url_name, urlconf=urlconf)


class _ViewCheckMiddleware:
    """A middleware that acts only in process_view, once the URL has been resolved."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)


class SecondFactorRequiredMiddleware(_ViewCheckMiddleware):
    """A session signed in without a second factor reaches only the pages that set one up.

    Whether the session's sign-in included a second factor is read from allauth's records
    in the session (no query). A session without one, whose user has no second factor,
    is sent to set up an authenticator app; one whose user does have a factor (a session
    from before this rule) is signed out and asked to sign in with it.
    """

    def process_view(
        self, request: HttpRequest, view_func: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        from allauth.mfa.models import Authenticator

        from socialrx.core.signin import has_second_factor

        if not request.user.is_authenticated or has_second_factor(request):
            return None
        if request.resolver_match and request.resolver_match.url_name in (
            SECOND_FACTOR_SETUP_URL_NAMES
        ):
            return None
        if Authenticator.objects.filter(user=request.user).exists():
            logout(request)
            return _signed_out_response(request, "Sign in again with your second factor.")
        message = "Set up a second way to prove it is you before you continue."
        if _wants_json(request):
            return JsonResponse({"message": message, "extra": {}}, status=403)
        if _is_htmx(request):
            return HttpResponse(status=204, headers={"HX-Redirect": reverse("mfa_activate_totp")})
        return HttpResponseRedirect(reverse("mfa_activate_totp"))


class AdminReauthenticationMiddleware(_ViewCheckMiddleware):
    """The Django admin asks for the password or a second factor again when the session
    last proved who it is more than ADMIN_REAUTHENTICATION_SECONDS ago."""

    def process_view(
        self, request: HttpRequest, view_func: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        from socialrx.core.signin import reauthentication_redirect, seconds_since_authentication

        match = request.resolver_match
        if not request.user.is_authenticated or not match or match.app_name != "admin":
            return None
        if seconds_since_authentication(request) < settings.ADMIN_REAUTHENTICATION_SECONDS:
            return None
        return reauthentication_redirect(request)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response to a signed-in request.

    Pages, htmx fragments, downloads and the API all carry personal data; marking every
    signed-in response is simpler, and harder to get wrong, than marking each view.
    API requests signed in by token count too: DRF sets ``request.user`` in the view.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            cache_control = response.get("Cache-Control", "")
            if not cache_control and "Expires" not in response:
                # What add_never_cache_headers writes on a response without either
                # header (most of them), without parsing and rebuilding Cache-Control.
                response["Expires"] = http_date()
                response["Cache-Control"] = _never_cache_control()
            elif "no-store" not in cache_control:
                add_never_cache_headers(response)
        return response


@functools.cache
def _never_cache_control() -> str:
    response = HttpResponse()
    add_never_cache_headers(response)
    return response["Cache-Control"]


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached answers 503 "try again later", not a 500.

    Nothing is held here: Django drops a connection that failed at the end of the request
    (and the pool discards it), so the first request after the database is back is served
    as usual, with no restart. The page needs no database (templates/503.html). A view's
    error arrives here; one raised in a middleware (loading the signed-in user, the
    session clocks) reaches ``server_error``, the 500 handler, which answers the same.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return database_unavailable_response(exception)


def database_unavailable_response(exception: BaseException | None) -> HttpResponse | None:
    """The 503 page when `exception` means the database cannot be reached, else None.

    Views' failures reach it through DatabaseUnavailableMiddleware; a middleware's own
    query (loading the signed-in user, say) fails outside any view, and Django turns that
    into its 500 handler, which asks here too (socialrx.core.views.server_error).
    """
    if not isinstance(exception, OperationalError | InterfaceError):
        return None
    # The class and message, not the traceback: an outage fails every request alike.
    logger.error("Database unavailable: %s: %s", type(exception).__name__, exception)
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    return response

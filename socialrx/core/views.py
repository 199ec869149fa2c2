from __future__ import annotations

import logging
import sys
from typing import Any

from allauth.account import views as allauth_views
from allauth.account.decorators import reauthentication_required
from allauth.core import ratelimit
from allauth.mfa.base import views as mfa_views
from allauth.mfa.webauthn import views as webauthn_views
from allauth.usersessions import views as usersessions_views
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from socialrx.core.audit import audit_record
from socialrx.core.cis2 import CIS2SignOut
from socialrx.core.forms import EndSessionsForm, PasswordResetForm, SetPasswordForm
from socialrx.core.middleware import (
    database_unavailable_response,
    session_seconds_left,
    session_touch,
)
from socialrx.core.models import AuditAction, AuditSystemReason, Role, User
from socialrx.core.signin import cycle_session_key
from socialrx.core.workspaces import ROLE_PURPOSE, public_entries, waiting_for, workspaces_for

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    """Signed in: each role the user holds, with what waits on them and the places its
    work is done. Not signed in: the public landing page (self-referral, the directory,
    sign in), so a member of the public is never met by a sign-in form alone."""
    if not request.user.is_authenticated:
        return render(request, "core/landing.html", {"entries": public_entries()})
    user: User = request.user
    sections = []
    for role in Role:
        orgs = user.organisations_with_role(role)
        if not orgs:
            continue
        sections.append(
            {
                "role": role,
                "organisations": orgs,
                "purpose": ROLE_PURPOSE[role],
                "workspaces": workspaces_for(user, role),
                "waiting": waiting_for(user, role),
            }
        )
    return render(request, "core/home.html", {"sections": sections})


class NewSessionKeyMixin:
    """allauth's reauthentication views (password, code, passkey), giving the session a
    new id once it has proved who it is again (ASVS V7.2.4)."""

    request: HttpRequest

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)  # type: ignore[misc]
        cycle_session_key(self.request)
        return response


class ReauthenticateView(NewSessionKeyMixin, allauth_views.ReauthenticateView):
    pass


class ReauthenticateWithCodeView(NewSessionKeyMixin, mfa_views.ReauthenticateView):
    pass


class ReauthenticateWithPasskeyView(NewSessionKeyMixin, webauthn_views.ReauthenticateWebAuthnView):
    pass


@method_decorator(
    reauthentication_required(allow_get=True, app="allauth.usersessions"), name="dispatch"
)
class SessionsView(usersessions_views.ListUserSessionsView):
    """allauth's list of one's sessions. Ending any asks for the password or a code again
    unless the session re-authenticated within ACCOUNT_REAUTHENTICATION_TIMEOUT (allauth
    does not count the sign-in), and one session can be ended on its own (ASVS V7.5.2)."""

    form_class = EndSessionsForm


class SignInView(allauth_views.LoginView):
    """allauth's sign-in at the address users know; the form is settings.ACCOUNT_FORMS'."""

    template_name = "registration/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["cis2_enabled"] = bool(settings.CIS2_ISSUER_URL)
        return context


class SignOutView(allauth_views.LogoutView):
    """Signs out here and, after a CIS2 sign-in, at CIS2 too: the browser goes on to
    CIS2's end session page, which ends the smartcard session and sends it back to our
    sign-in page (ASVS V7.1.3, ADR 0040)."""

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        cis2 = CIS2SignOut.kept_in(self.request.session)
        if self.request.user.is_authenticated:
            audit_record(
                actor=self.request.user,
                action=AuditAction.LOGOUT,
                request=self.request,
                detail={"cis2_sign_out": True} if cis2 else None,
            )
        response = super().post(*args, **kwargs)
        if cis2 is not None and isinstance(response, HttpResponseRedirect):
            return HttpResponseRedirect(cis2.url(self.request))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset emails, throttled per address and per account by allauth's counters
    (settings.ACCOUNT_RATE_LIMITS["reset_password"]). A throttled request is answered
    like any other, so the page says nothing about whether the account exists."""

    form_class = PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        email = form.cleaned_data["email"].lower()
        if not ratelimit.consume(self.request, action="reset_password", key=email):
            audit_record(
                actor=None,
                action=AuditAction.LOCKOUT,
                system_reason=AuditSystemReason.FAILED_SIGN_IN,
                request=self.request,
                detail={"step": "password_reset"},
            )
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm


@login_required
def not_served(request: HttpRequest) -> HttpResponse:
    """A page of allauth's that socialrx does not offer (socialrx/core/urls.py says which)."""
    raise Http404("Not served")


@require_GET
def session_status(request: HttpRequest) -> JsonResponse:
    """How long the session has left; asked by the timeout warning, and not activity."""
    if not request.user.is_authenticated:
        return JsonResponse({"message": "You are signed out.", "extra": {}}, status=401)
    return JsonResponse({"seconds_left": int(session_seconds_left(request))})


@require_POST
def session_keep_alive(request: HttpRequest) -> JsonResponse:
    """ "Stay signed in": a request like any other, so the idle clock starts again."""
    if not request.user.is_authenticated:
        return JsonResponse({"message": "You are signed out.", "extra": {}}, status=401)
    session_touch(request)
    return JsonResponse({"seconds_left": int(session_seconds_left(request))})


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_cache() -> None:
    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("cache did not return the value just written")


def _check_broker() -> None:
    from socialrx.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Reachability of the database, cache and broker: 200 when all are up, else 503."""
    checks = {"database": _check_database, "cache": _check_cache, "broker": _check_broker}
    results: dict[str, str] = {}
    for name, check in checks.items():
        try:
            check()
        except Exception as error:  # any failure means "down"; say which kind
            logger.warning("Health check %s failed: %s", name, type(error).__name__)
            results[name] = "error"
        else:
            results[name] = "ok"
    healthy = all(value == "ok" for value in results.values())
    body: dict[str, object] = {"status": "ok" if healthy else "error", "checks": results}
    if settings.DEBUG:
        body["debug"] = True
    return JsonResponse(body, status=200 if healthy else 503)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 page, unless what failed was reaching the database: then the 503 page,
    also when the failure came from a middleware rather than a view."""
    return database_unavailable_response(sys.exc_info()[1]) or defaults.server_error(request)

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from socialrx.core.audit import audit_record
from socialrx.core.forms import PasswordResetForm, SetPasswordForm, SignInForm
from socialrx.core.models import AuditAction, AuditSystemReason, Role, User
from socialrx.core.workspaces import ROLE_PURPOSE, workspaces_for

logger = logging.getLogger(__name__)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role the user holds, with the places its work is done."""
    user: User = request.user  # type: ignore[assignment]
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
            }
        )
    return render(request, "core/home.html", {"sections": sections})


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        audit_record(actor=form.get_user(), action=AuditAction.LOGIN, request=self.request)
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        # The attempted address is personal data: record the attempt, not the address.
        audit_record(
            actor=None,
            system_reason=AuditSystemReason.FAILED_SIGN_IN,
            action=AuditAction.LOGIN_FAILED,
            request=self.request,
        )
        return super().form_invalid(form)


class SignOutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.user.is_authenticated:
            audit_record(actor=request.user, action=AuditAction.LOGOUT, request=request)  # type: ignore[arg-type]
        return super().post(request, *args, **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm


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

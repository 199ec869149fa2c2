"""Signing in: socialrx's adapters for django-allauth, and the audit of every sign-in event.

allauth does the work (password sign-in, throttling, second factors, OpenID Connect);
these adapters say how socialrx differs from its defaults (ADR 0024):

- no self sign-up: administrators create accounts; a CIS2 identity is matched to one;
- throttled sign-ins say when to try again, the same whether or not the account exists;
- the first second factor is added without a second password prompt (the session was
  signed in with the password moments ago and can reach nothing until it has one);
- every success, failure, lockout and change of second factor is audited through the one
  audit service. allauth reports these by signal only, so the receivers below are the
  hook (connected in ``CoreConfig.ready``); each just calls the audit service.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import (
    clear_authentication_records,
    record_authentication,
)
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialAccount, SocialLogin
from allauth.usersessions.adapter import get_adapter as get_usersessions_adapter
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

from socialrx.core import mfa_secrets
from socialrx.core.account_setup import set_password_link_send
from socialrx.core.audit import audit_record, client_ip
from socialrx.core.cis2 import CIS2SignOut
from socialrx.core.models import AuditAction, AuditSystemReason, User

# The provider id of the CIS2 OpenID Connect app (settings.SOCIALACCOUNT_PROVIDERS).
CIS2_PROVIDER_ID = "cis2"


def has_second_factor(request: HttpRequest) -> bool:
    """Whether this session's sign-in included a second factor.

    allauth records each step of a sign-in in the session (its "authentication records"):
    a TOTP code, recovery code or passkey is an ``mfa`` record, and so is a CIS2 sign-in
    whose ID token shows a multi-factor method (``on_user_logged_in``).
    """
    return any(
        record.get("method") == "mfa"
        for record in get_authentication_records(request, request.user)
    )


def cis2_two_factors(id_token: dict[str, Any]) -> bool:
    """Whether CIS2 says it checked two factors (ASVS V6.8.4, ADR 0032).

    CIS2 states the authenticator assurance level it met in the ID token's ``acr``
    ("AAL3_ANY", "AAL2_OR_AAL3_ANY", "AAL2_ANY"; "AAL1_USERPASS" is a password alone), and
    its methods in ``amr`` ("N3_SMARTCARD", ...). Every AAL2 and AAL3 authenticator of
    CIS2 is multi-factor. With no ``acr``, or one below AAL2, or methods that are only a
    password, the weakest is assumed and socialrx asks for its own second factor.
    """
    acr = id_token.get("acr")
    if not isinstance(acr, str) or not acr.upper().startswith(("AAL2_", "AAL3_")):
        return False
    amr = id_token.get("amr") or []
    methods = {str(method).upper() for method in (amr if isinstance(amr, list) else [amr])}
    return not methods or not methods <= PASSWORD_ONLY_METHODS


# amr values (RFC 8176 and CIS2's) that are a password and nothing else.
PASSWORD_ONLY_METHODS = frozenset({"PWD", "PASSWORD", "USERPASS"})


def seconds_since_authentication(request: HttpRequest) -> float:
    """Seconds since this session last proved who it is: signing in, or reauthenticating
    (allauth records each step, with its time, in the session)."""
    records = get_authentication_records(request, request.user)
    last = max((record.get("at", 0) for record in records), default=0)
    return time.time() - last


def reauthentication_redirect(request: HttpRequest) -> HttpResponseRedirect:
    query = urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(f"{reverse('account_reauthenticate')}?{query}")


ViewFunction = TypeVar("ViewFunction", bound=Callable[..., HttpResponseBase])


def recent_authentication_required(view: ViewFunction) -> ViewFunction:
    """For sensitive actions (a records extract): a session that signed in or last
    reauthenticated more than ACCOUNT_REAUTHENTICATION_TIMEOUT seconds ago is asked for
    its password or second factor again, then sent back."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and (
            seconds_since_authentication(request) > settings.ACCOUNT_REAUTHENTICATION_TIMEOUT
        ):
            return reauthentication_redirect(request)
        return view(request, *args, **kwargs)

    return cast(ViewFunction, wrapper)


def lockout_message() -> str:
    minutes = settings.SIGNIN_LOCKOUT_MINUTES
    return (
        "There have been too many attempts to sign in. For your security, signing in is "
        f"paused: try again in {minutes} minutes. If you have forgotten your password, "
        "reset it. If you still cannot sign in, ask your administrator to unlock your account."
    )


def _user_for_login(login: str) -> User | None:
    return User.objects.filter(email__iexact=login.strip()).first() if login else None


class AccountAdapter(DefaultAccountAdapter):
    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.error_messages: dict[str, str] = {
            **DefaultAccountAdapter.error_messages,
            "email_password_mismatch": (
                "Enter a correct email address and password. The password is case-sensitive."
            ),
            "too_many_login_attempts": lockout_message(),
        }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        # The same address the audit log records: only our own proxies are believed.
        return client_ip(request) or "0.0.0.0"  # noqa: S104 - a key for counting, not a bind

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            user = _user_for_login(credentials.get("email", ""))
            audit_record(
                actor=user,
                action=AuditAction.LOCKOUT,
                system_reason="" if user else AuditSystemReason.FAILED_SIGN_IN,
                request=request,
                detail={"step": "password"},
            )
            raise

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        # The attempted address is personal data: record the attempt, not the address.
        audit_record(
            actor=None,
            system_reason=AuditSystemReason.FAILED_SIGN_IN,
            action=AuditAction.LOGIN_FAILED,
            request=request,
            detail={"step": "password", "via": _via(request)},
        )

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        if app == "allauth.mfa":
            # A first second factor: the session has no factor to protect yet, and
            # SecondFactorRequiredMiddleware sends it here straight after the password.
            user = getattr(context.request, "user", None)
            if user is not None and user.is_authenticated:
                if not Authenticator.objects.filter(user=user).exists():
                    return False
        return super().is_reauthentication_required(app=app, **kwargs)


class MFAAdapter(DefaultMFAAdapter):
    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.error_messages: dict[str, str] = {
            **DefaultMFAAdapter.error_messages,
            "incorrect_code": (
                "Enter the current 6-digit code from your authenticator app, or an unused "
                "recovery code. Each code works once."
            ),
        }

    # TOTP secrets and recovery-code seeds pass through these on their way to and from
    # the database: encrypted at rest with MFA_ENCRYPTION_KEY (ASVS V6.5.2, ADR 0032).
    def encrypt(self, text: str) -> str:
        return mfa_secrets.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return mfa_secrets.decrypt(encrypted_text)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """CIS2 identities sign in to an existing account, never to a new one."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        subject = sociallogin.account.uid
        if sociallogin.is_existing:
            return
        email = (sociallogin.user.email or "").strip()
        user = _user_for_login(email)
        reason = ""
        if user is None or not user.is_active:
            reason = "no account with this email"
        elif SocialAccount.objects.filter(
            user=user, provider=sociallogin.account.provider
        ).exists():
            reason = "account linked to another CIS2 identity"
        if reason:
            audit_record(
                actor=None,
                system_reason=AuditSystemReason.FAILED_SIGN_IN,
                action=AuditAction.LOGIN_FAILED,
                request=request,
                detail={"step": "cis2", "subject": subject, "reason": reason},
            )
            response = render(request, "account/cis2_unknown.html", status=403)
            raise ImmediateHttpResponse(response)
        # The stored subject matches this identity from now on, whatever its email.
        sociallogin.connect(request, user)

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: str | None = None,
        exception: Exception | None = None,
        extra_context: dict[str, Any] | None = None,
    ) -> None:
        audit_record(
            actor=None,
            system_reason=AuditSystemReason.FAILED_SIGN_IN,
            action=AuditAction.LOGIN_FAILED,
            request=request,
            detail={
                "step": "cis2",
                "reason": str(error or "error"),
                "error": _name(exception),
                # Why the provider's answer was refused (a bad ID token signature, an
                # unknown key, another issuer): our own messages, no personal data.
                "message": str(exception) if exception is not None else "",
            },
        )


def _name(exception: Exception | None) -> str:
    return type(exception).__name__ if exception is not None else ""


def _via(request: HttpRequest) -> str:
    """Where the sign-in was headed: the admin sends its sign-ins here with next=/admin/."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    return "admin" if next_url.startswith("/admin/") else "site"


def cycle_session_key(request: HttpRequest) -> None:
    """A new session id once the person has proved who they are again (ASVS V7.2.4): an
    id captured before cannot ride on the fresh proof. allauth's list of the user's
    sessions follows the new id, so "Sign out everywhere" and the sessions page still
    find this one."""
    old = request.session.session_key
    request.session.cycle_key()
    UserSession.objects.filter(session_key=old).update(session_key=request.session.session_key)


def end_other_sessions(request: HttpRequest, user: User) -> None:
    """Sign the user out everywhere but here (a second factor was added or removed)."""
    current = request.session.session_key
    others = [s for s in UserSession.objects.filter(user=user) if s.session_key != current]
    get_usersessions_adapter().end_sessions(others)


# Receivers of allauth's signals (connected in CoreConfig.ready).


def on_user_logged_in(
    sender: Any, request: HttpRequest, user: User, sociallogin: SocialLogin | None = None, **_: Any
) -> None:
    detail: dict[str, Any] = {"via": _via(request)}
    methods = [r.get("method") for r in get_authentication_records(request, user)]
    detail["steps"] = [m for m in methods if m]
    if sociallogin is not None:
        detail["subject"] = sociallogin.account.uid
        detail["provider"] = sociallogin.account.provider
        if sociallogin.account.provider == CIS2_PROVIDER_ID:
            detail.update(_record_cis2_strength(request, user, sociallogin))
            sign_out: CIS2SignOut | None = getattr(request, "cis2_sign_out", None)
            if sign_out is not None:
                sign_out.keep_in(request.session)
    audit_record(actor=user, action=AuditAction.LOGIN, request=request, detail=detail)


def _record_cis2_strength(
    request: HttpRequest, user: User, sociallogin: SocialLogin
) -> dict[str, Any]:
    """Count a CIS2 sign-in as this session's second factor when its ID token shows one
    (an ``mfa`` record, as a code would be); returns what the audit keeps of it."""
    id_token = (sociallogin.account.extra_data or {}).get("id_token") or {}
    strength = {"acr": id_token.get("acr", ""), "amr": id_token.get("amr", [])}
    two_factors = cis2_two_factors(id_token)
    if two_factors:
        record_authentication(request, user, "mfa", type="cis2", **strength)
    return {**strength, "cis2_two_factors": two_factors}


def _audit_factor(
    request: HttpRequest, user: User, authenticator: Authenticator, action: str, **detail: Any
) -> None:
    # By type and id, not obj=: a removed factor's row is gone by now.
    audit_record(
        actor=user,
        action=action,
        object_type=authenticator._meta.label_lower,
        object_id=authenticator.pk,
        request=request,
        detail={"type": authenticator.type, **detail},
    )


def on_authenticator_added(
    sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **_: Any
) -> None:
    _audit_factor(request, user, authenticator, AuditAction.MFA_ADDED)
    if authenticator.type != Authenticator.Type.RECOVERY_CODES:
        # Setting it up meant entering a code from it (or using the passkey) in this
        # session just now: that is this session's second factor, and a fresh one.
        record_authentication(
            request,
            user,
            "mfa",
            type=authenticator.type,
            id=authenticator.pk,
            reauthenticated=True,
            enrolled=True,
        )
    end_other_sessions(request, user)


def on_authenticator_removed(
    sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **_: Any
) -> None:
    _audit_factor(request, user, authenticator, AuditAction.MFA_REMOVED)
    remaining = Authenticator.objects.filter(user=user).exclude(
        type=Authenticator.Type.RECOVERY_CODES
    )
    if not remaining.exists():
        # No factor left: this session is sent to set one up again.
        clear_authentication_records(request)
    end_other_sessions(request, user)


def on_authenticator_reset(
    sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **_: Any
) -> None:
    # New recovery codes: the old ones stop working.
    _audit_factor(request, user, authenticator, AuditAction.MFA_ADDED, regenerated=True)


def on_mfa_authentication_failed(
    sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **kwargs: Any
) -> None:
    audit_record(
        actor=user,
        action=AuditAction.LOGIN_FAILED,
        request=request,
        detail={"step": "mfa", "reauthentication": bool(kwargs.get("reauthentication"))},
    )


def connect_receivers() -> None:
    from allauth.account.signals import user_logged_in
    from allauth.mfa import signals as mfa_signals

    user_logged_in.connect(on_user_logged_in, dispatch_uid="socialrx-audit-login")
    mfa_signals.authenticator_added.connect(on_authenticator_added, dispatch_uid="socialrx-mfa+")
    mfa_signals.authenticator_removed.connect(
        on_authenticator_removed, dispatch_uid="socialrx-mfa-"
    )
    mfa_signals.authenticator_reset.connect(on_authenticator_reset, dispatch_uid="socialrx-mfa~")
    mfa_signals.authentication_failed.connect(
        on_mfa_authentication_failed, dispatch_uid="socialrx-mfa-failed"
    )


# Administrators' remedies (the user admin's actions).


def signin_unlock(*, request: HttpRequest, user: User, actor: User) -> None:
    """Lift the sign-in lock on an account before its time runs out."""
    from allauth.core import ratelimit
    from django.contrib.sites.shortcuts import get_current_site

    # The keys allauth counts failures under: the address as typed on this site (see
    # DefaultAccountAdapter._get_login_attempts_cache_key), and the second-factor step.
    site = get_current_site(request)
    ratelimit.clear(request, action="login_failed", key=f"{site.domain}:{user.email.lower()}")
    ratelimit.clear(request, action="login_failed", key=f"mfa-auth-user-{user.pk}")
    audit_record(actor=actor, action=AuditAction.UNLOCK, obj=user, request=request)


def sessions_end(*, request: HttpRequest, user: User, actor: User) -> int:
    """Sign a user out everywhere (a lost laptop, someone leaving). Returns how many."""
    sessions = list(UserSession.objects.filter(user=user))
    get_usersessions_adapter().end_sessions(sessions)
    audit_record(
        actor=actor,
        action=AuditAction.LOGOUT,
        obj=user,
        request=request,
        detail={"reason": "signed out everywhere by an administrator", "sessions": len(sessions)},
    )
    return len(sessions)


@transaction.atomic
def mfa_reset(*, request: HttpRequest, user: User, actor: User) -> int:
    """Remove all of a user's second factors and sign them out everywhere: at their next
    sign-in they must set up a new one. Returns how many factors were removed.

    The password ends too, and the owner is emailed a link to choose a new one (ASVS
    V6.4.4): a new factor is then enrolled exactly as at the account's start, by whoever
    holds the work mailbox the account was made for, not by whoever knows the old
    password (the reason a factor is reset is often that the phone, and perhaps more,
    was lost)."""
    factors = list(Authenticator.objects.filter(user=user))
    Authenticator.objects.filter(user=user).delete()
    user.set_unusable_password()
    user.save(update_fields=["password"])
    get_usersessions_adapter().end_sessions(list(UserSession.objects.filter(user=user)))
    set_password_link_send(request=request, user=user, actor=actor)
    audit_record(
        actor=actor,
        action=AuditAction.MFA_RESET,
        obj=user,
        request=request,
        detail={"types": sorted({f.type for f in factors})},
    )
    return len(factors)


# Authenticator-app codes outside a browser: the demo (demo/) and tests.


def totp_enrol(user: User, secret: str) -> Authenticator:
    """Give a user an authenticator app with a known secret (the demo, and tests)."""
    from allauth.mfa.totp.internal.auth import TOTP

    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    return TOTP.activate(user, secret).instance


def totp_code(secret: str, at: float | None = None) -> str:
    """The 6-digit code an authenticator app shows for this secret at this time."""
    from allauth.mfa import app_settings as mfa_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int((time.time() if at is None else at) // mfa_settings.TOTP_PERIOD)
    return format_hotp_value(hotp_value(secret, counter))

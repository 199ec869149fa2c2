"""Accounts an administrator makes: the person chooses their own password.

ASVS V6.4.1 asks that a first password or activation code be random, short-lived and
never become the long-term password. An administrator therefore types no password: a
new account has none that works, and its owner gets a link to choose one. The link is
Django's password-reset token, so it works once (it is signed over the password hash,
which choosing a password changes) and for ``PASSWORD_RESET_TIMEOUT`` seconds; a
second factor is still set up at the first sign-in. An expired link is replaced by the
admin's "Send a set-password link" action, never by a password read out over the phone.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest
from django.template import loader
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from socialrx.core.audit import audit_record
from socialrx.core.links import absolute_url
from socialrx.core.models import AuditAction, User
from socialrx.core.services import notification_queue

KIND = "set_password_link"


def set_password_link(user: User) -> str:
    """The address where ``user`` chooses a password: once, and for a few hours only."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute_url(reverse("password_reset_confirm", args=[uid, token]))


def set_password_link_send(*, request: HttpRequest, user: User, actor: User) -> None:
    """Email ``user`` a link to choose their password (through the notification queue,
    and so the worker), and record who sent it."""
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    body = loader.render_to_string(
        "registration/set_password_email.txt",
        {"user": user, "link": set_password_link(user), "hours": hours},
    )
    notification_queue(
        to_email=user.email,
        kind=KIND,
        subject="Your socialrx account: choose your password",
        body_text=body,
        recipient=user,
    )
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=user, request=request, detail={"sent": KIND}
    )

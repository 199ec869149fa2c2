"""Issuing, using and revoking API tokens, each audited through the one audit service."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from socialrx.core.api_tokens.models import ApiToken
from socialrx.core.audit import audit_record
from socialrx.core.models import AuditAction, AuditSystemReason, User

SECRET_PREFIX = "sxr_"
# The prefix shown on the list page: "sxr_" and four random characters, about 24 bits,
# enough to tell a person's tokens apart and far too few to help guess one.
SHOWN_PREFIX_LENGTH = len(SECRET_PREFIX) + 4
# last_used_at is written at most this often per token, not on every API call.
LAST_USED_PRECISION = timedelta(minutes=5)


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once to whoever asked for it, then forgotten


def api_token_issue(
    *,
    user: User,
    name: str,
    actor: User | None,
    request: HttpRequest | None = None,
    reason: str = "",
) -> IssuedToken:
    """Make a token for ``user``; the returned secret is the only copy there will be.

    ``reason`` names the system path when no person asked (the management command).
    """
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    expires_at = timezone.now() + timedelta(days=settings.API_TOKEN_EXPIRY_DAYS)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=secret[:SHOWN_PREFIX_LENGTH],
            digest=token_digest(secret),
            expires_at=expires_at,
        )
        detail: dict[str, object] = {"owner_id": user.pk, "expires_at": expires_at.isoformat()}
        if reason:
            detail["reason"] = reason
        audit_record(
            actor=actor,
            action=AuditAction.TOKEN_ISSUED,
            obj=token,
            request=request,
            detail=detail,
            system_reason="" if actor else AuditSystemReason.MANAGEMENT_COMMAND,
        )
    return IssuedToken(token=token, secret=secret)


def api_token_revoke(
    *,
    token: ApiToken,
    reason: str,
    actor: User | None,
    request: HttpRequest | None = None,
) -> bool:
    """Revoke one token; False (and nothing written) when it was already revoked."""
    now = timezone.now()
    with transaction.atomic():
        # A conditional update, so two revocations at once write one audit entry.
        revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_reason=reason, revoked_by=actor, updated_at=now
        )
        if not revoked:
            return False
        token.revoked_at, token.revoked_reason, token.revoked_by = now, reason, actor
        audit_record(
            actor=actor,
            action=AuditAction.TOKEN_REVOKED,
            obj=token,
            request=request,
            detail={"owner_id": token.user_id, "reason": reason},
            system_reason="" if actor else AuditSystemReason.ACCOUNT_SAFEGUARD,
        )
    return True


def api_tokens_revoke_for_user(
    *,
    user: User,
    reason: str,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> int:
    """Revoke every token of ``user`` still in force (deactivation, password change).

    Returns how many were revoked; each gets its own audit entry.
    """
    tokens = list(ApiToken.objects.filter(user=user).usable())
    return sum(
        api_token_revoke(token=token, reason=reason, actor=actor, request=request)
        for token in tokens
    )


def api_token_record_use(*, token: ApiToken, request: HttpRequest) -> None:
    """Note when a token was used; the first use is audited (once, even under races)."""
    now = timezone.now()
    if token.last_used_at is None:
        first = ApiToken.objects.filter(pk=token.pk, last_used_at__isnull=True).update(
            last_used_at=now
        )
        if first:
            audit_record(
                actor=token.user,
                action=AuditAction.TOKEN_FIRST_USED,
                obj=token,
                request=request,
                detail={"owner_id": token.user_id},
            )
    elif token.last_used_at < now - LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now

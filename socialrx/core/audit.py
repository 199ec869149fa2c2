"""The one audit service: every view or change of a record is written through here.

Called explicitly from views and services (not from signals, which miss bulk updates
and cannot tell a read from a write). Entries hold identifiers and metadata only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from socialrx.core.logging import current_request_id
from socialrx.core.models import AuditAction, AuditEvent, User


def client_ip(request: HttpRequest) -> str | None:
    """The client address as our own proxies saw it.

    Only the entries our ``TRUSTED_PROXY_COUNT`` proxies appended to X-Forwarded-For are
    believed; anything before them came from the client and may be forged.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def _build_event(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: object = "",
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}")
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = obj.pk
    event = AuditEvent(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=object_type,
        object_id="" if object_id in (None, "") else str(object_id),
        request_id=current_request_id() or "",
        detail=detail or {},
    )
    if request is not None:
        event.ip_address = client_ip(request)
        event.user_agent = request.META.get("HTTP_USER_AGENT", "")[:300]
        event.path = request.path[:300]
    return event


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: object = "",
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit entry. Pass ``obj``, or ``object_type`` and ``object_id``."""
    event = _build_event(
        actor=actor,
        action=action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        request=request,
        detail=detail,
    )
    event.save()
    return event


def audit_view(*, request: HttpRequest, obj: models.Model) -> AuditEvent:
    """Record that the signed-in user looked at a record."""
    return audit_record(actor=request.user, action=AuditAction.VIEW, obj=obj, request=request)  # type: ignore[arg-type]


def audit_views(*, request: HttpRequest, objs: list[models.Model]) -> list[AuditEvent]:
    """Record that the signed-in user looked at several records on one page: one entry
    each, written in one INSERT (a page showing a referral and its person pays once)."""
    actor: User = request.user  # type: ignore[assignment]
    events = [
        _build_event(actor=actor, action=AuditAction.VIEW, obj=obj, request=request) for obj in objs
    ]
    return AuditEvent.objects.bulk_create(events)

"""The one audit service: every view or change of a record is written through here.

Called explicitly from views and services (not from signals, which miss bulk updates
and cannot tell a read from a write). Entries hold identifiers and metadata only.

An entry names the user who acted, or, when no one was signed in, the system's reason
(``AuditSystemReason``: a self-referral, a deadline task, a failed sign-in); one that
names neither is refused here and by the database, never written anonymously.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from socialrx.core.logging import current_request_id
from socialrx.core.models import AuditAction, AuditEvent, AuditSystemReason, User


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
    system_reason: str = "",
) -> AuditEvent:
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}")
    if actor is not None and not actor.is_authenticated:
        actor = None  # an anonymous visitor is no one we can name
    if system_reason and system_reason not in AuditSystemReason.values:
        raise ValueError(f"Unknown audit system reason {system_reason!r}")
    if actor is None and not system_reason:
        raise ValueError("An audit entry with no user must name the system reason")
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = obj.pk
    event = AuditEvent(
        actor=actor,
        system_reason=system_reason,
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
    system_reason: str = "",
) -> AuditEvent:
    """Write one audit entry. Pass ``obj``, or ``object_type`` and ``object_id``; with
    no signed-in ``actor``, the ``system_reason`` (an ``AuditSystemReason``)."""
    event = _build_event(
        actor=actor,
        action=action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        request=request,
        detail=detail,
        system_reason=system_reason,
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


def audit_list(
    *,
    request: HttpRequest,
    listing: str,
    records: Iterable[Any],
    person_of: Callable[[Any], int],
) -> AuditEvent | None:
    """Record which records (and people) a page listing them showed the signed-in user.

    A list shows names, so it is a view of each person on it; one entry per page shown
    (not one per row) keeps the audit table proportionate. ``listing`` names the page;
    the detail holds the records' ids under their plural name ("referrals") and the
    people's ids. A page with nothing on it is not recorded.
    """
    records = list(records)
    if not records:
        return None
    meta = records[0]._meta
    return audit_record(
        actor=request.user,  # type: ignore[arg-type]
        action=AuditAction.VIEW,
        object_type=meta.label_lower,
        request=request,
        detail={
            "listing": listing,
            str(meta.verbose_name_plural): [record.pk for record in records],
            "people": sorted({person_of(record) for record in records}),
        },
    )

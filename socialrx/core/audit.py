"""The one audit service: every view or change of a record is written through here.

Called explicitly from views and services (not from signals, which miss bulk updates
and cannot tell a read from a write). Entries hold identifiers and metadata only.

An entry names the user who acted, or, when no one was signed in, the system's reason
(``AuditSystemReason``: a self-referral, a deadline task, a failed sign-in); one that
names neither is refused here and by the database, never written anonymously.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import connections, models, router
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


def person_type() -> str:
    """The type under which people are audited (``settings.AUDIT_PERSON_MODEL``): core
    names no app, the settings do, as ``AUTH_USER_MODEL`` names the user."""
    return str(settings.AUDIT_PERSON_MODEL).lower()


def _views(
    *,
    request: HttpRequest,
    objs: list[models.Model],
    person_ids: Iterable[int],
    detail: dict[str, Any] | None = None,
) -> list[AuditEvent]:
    """One VIEW entry per record and per person (each person once), in one INSERT."""
    actor: User = request.user  # type: ignore[assignment]
    events = [
        _build_event(actor=actor, action=AuditAction.VIEW, obj=obj, request=request, detail=detail)
        for obj in objs
    ]
    events += [
        _build_event(
            actor=actor,
            action=AuditAction.VIEW,
            object_type=person_type(),
            object_id=person_id,
            request=request,
            detail=detail,
        )
        for person_id in dict.fromkeys(person_ids)
    ]
    return _insert(events)


@functools.cache
def _insert_sql(alias: str) -> tuple[str, str, list[models.Field[Any, Any]]]:
    """The INSERT's head, one row's placeholders and its fields, written once."""
    quote = connections[alias].ops.quote_name
    fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    head = (
        f"INSERT INTO {quote(AuditEvent._meta.db_table)}"
        f" ({', '.join(quote(f.column) for f in fields)}) VALUES "
    )
    return head, f"({', '.join(['%s'] * len(fields))})", fields


def _insert(events: list[AuditEvent]) -> list[AuditEvent]:
    """The entries in one plain INSERT: one statement is atomic on its own, and
    ``bulk_create`` cost a detail page 6% of its instructions for BEGIN, COMMIT and the
    ids read back, which nothing uses (issue 17; ADR 0024). The entries keep no id."""
    if not events:
        return events
    alias = router.db_for_write(AuditEvent)
    connection = connections[alias]
    head, row, fields = _insert_sql(alias)
    params = [f.get_db_prep_save(f.pre_save(e, True), connection) for e in events for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(head + ", ".join([row] * len(events)), params)
    return events


def audit_views(
    *, request: HttpRequest, objs: list[models.Model], person_ids: Iterable[int] = ()
) -> list[AuditEvent]:
    """Record that the signed-in user looked at several records on one page: one entry
    each, written in one INSERT (a page showing a referral and its person pays once).
    ``person_ids`` names people the page shows whose rows were not loaded (an API that
    returns a case with its person's name and NHS number)."""
    return _views(request=request, objs=objs, person_ids=person_ids)


def audit_list(
    *,
    request: HttpRequest,
    listing: str,
    records: Iterable[Any],
    person_of: Callable[[Any], int],
) -> list[AuditEvent]:
    """Record which records (and people) a page listing them showed the signed-in user.

    A list shows names, so it is a view of each person on it. One entry per record shown
    and one per person, each findable by its type and id (``AuditEvent.objects.
    for_object``) as a detail page's entry is, written in one INSERT: a page costs one
    query however many rows it shows (ADR 0021 has the measurements). ``listing`` names
    the page in each entry's detail. A page with nothing on it writes nothing.
    """
    records = list(records)
    if not records:
        return []
    # A list of people is its own list of people: no second entry each.
    is_people = records[0]._meta.label_lower == person_type()
    people = [] if is_people else [person_of(record) for record in records]
    return _views(request=request, objs=records, person_ids=people, detail={"listing": listing})

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
from django.utils import timezone

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


def _checked_actor(actor: User | None, action: str, system_reason: str) -> User | None:
    """The user an entry names (``None`` for an anonymous visitor), once the action and
    the system reason are known ones and the entry names someone or something."""
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}")
    if actor is not None and not actor.is_authenticated:
        actor = None  # an anonymous visitor is no one we can name
    if system_reason and system_reason not in AuditSystemReason.values:
        raise ValueError(f"Unknown audit system reason {system_reason!r}")
    if actor is None and not system_reason:
        raise ValueError("An audit entry with no user must name the system reason")
    return actor


def _request_columns(request: HttpRequest | None) -> dict[str, Any]:
    """Where a request came from, as an entry records it."""
    if request is None:
        return {}
    return {
        "ip_address": client_ip(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        "path": request.path[:300],
    }


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
    actor = _checked_actor(actor, action, system_reason)
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = obj.pk
    return AuditEvent(
        actor=actor,
        system_reason=system_reason,
        action=action,
        object_type=object_type,
        object_id="" if object_id in (None, "") else str(object_id),
        request_id=current_request_id() or "",
        detail=detail or {},
        **_request_columns(request),
    )


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
) -> int:
    """One VIEW entry per record and per person (each person once), in one INSERT;
    returns how many were written."""
    shown = [(obj._meta.label_lower, obj.pk) for obj in objs]
    person = person_type()
    shown += [(person, person_id) for person_id in dict.fromkeys(person_ids)]
    if not shown:
        return 0
    actor = _checked_actor(request.user, AuditAction.VIEW, "")  # type: ignore[arg-type]
    common = {
        "occurred_at": timezone.now(),
        "actor": actor.pk if actor is not None else None,
        "system_reason": "",
        "action": AuditAction.VIEW.value,
        "request_id": current_request_id() or "",
        "detail": detail or {},
        **_request_columns(request),
    }
    _insert(common, shown)
    return len(shown)


# The columns that differ from one entry of a page to the next.
_PER_ROW = ("object_type", "object_id")


@functools.cache
def _insert_sql(alias: str) -> tuple[str, list[models.Field[Any, Any]]]:
    """The INSERT's head and the fields given once, written once.

    ``INSERT ... SELECT <the common values>, v.column1, v.column2 FROM (<each entry's
    type and id>) AS v``: each common value is sent once rather than once a row (a
    VALUES list's columns are column1, column2... on SQLite and PostgreSQL alike).
    """
    quote = connections[alias].ops.quote_name
    fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    per_row = {name: f"v.column{n}" for n, name in enumerate(_PER_ROW, start=1)}
    head = (
        f"INSERT INTO {quote(AuditEvent._meta.db_table)}"
        f" ({', '.join(quote(f.column) for f in fields)})"
        f" SELECT {', '.join(per_row.get(f.name, '%s') for f in fields)} FROM ("
    )
    return head, [f for f in fields if f.name not in per_row]


def _insert(common: dict[str, Any], shown: list[tuple[str, object]]) -> None:
    """The entries in one plain INSERT: one statement is atomic on its own, and
    ``bulk_create`` cost a detail page 6% of its instructions for BEGIN, COMMIT and the
    ids read back, which nothing uses (issue 17; ADR 0024).

    The entries differ only in the record they name, so every other column is prepared
    for the database once, by its own field as ``save()`` would, and sent once: no
    model instance, no per-row field preparation, and a fifth of the placeholders for
    the driver to parse and quote (a list page's 50 entries cost it about 34 M
    instructions as instances, 13 M with every column sent once a row; issue 17).
    Columns the caller left out take their field's default, as an unsaved instance's
    would.
    """
    alias = router.db_for_write(AuditEvent)
    connection = connections[alias]
    head, fields = _insert_sql(alias)
    params = [
        f.get_db_prep_save(common[f.name] if f.name in common else f.get_default(), connection)
        for f in fields
    ]
    types = [object_type for object_type, _ in shown]
    ids = ["" if object_id in (None, "") else str(object_id) for _, object_id in shown]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Two arrays, not two placeholders a row: psycopg parses a statement with
            # more than 50 parameters afresh every time (it caches only smaller ones),
            # which cost a 25-row list page about 5 M instructions.
            rows_sql = "SELECT * FROM unnest(%s::text[], %s::text[])) AS v(column1, column2)"
            cursor.execute(head + rows_sql, [*params, types, ids])
        else:
            rows_sql = "VALUES " + ", ".join(["(%s, %s)"] * len(shown)) + ") AS v"
            pairs = [value for pair in zip(types, ids, strict=True) for value in pair]
            cursor.execute(head + rows_sql, [*params, *pairs])


def audit_views(
    *, request: HttpRequest, objs: list[models.Model], person_ids: Iterable[int] = ()
) -> int:
    """Record that the signed-in user looked at several records on one page: one entry
    each, written in one INSERT (a page showing a referral and its person pays once).
    ``person_ids`` names people the page shows whose rows were not loaded (an API that
    returns a case with its person's name and NHS number). Returns how many entries
    were written."""
    return _views(request=request, objs=objs, person_ids=person_ids)


def audit_list(
    *,
    request: HttpRequest,
    listing: str,
    records: Iterable[Any],
    person_of: Callable[[Any], int],
) -> int:
    """Record which records (and people) a page listing them showed the signed-in user.

    A list shows names, so it is a view of each person on it. One entry per record shown
    and one per person, each findable by its type and id (``AuditEvent.objects.
    for_object``) as a detail page's entry is, written in one INSERT: a page costs one
    query however many rows it shows (ADR 0021 has the measurements). ``listing`` names
    the page in each entry's detail. A page with nothing on it writes nothing. Returns
    how many entries were written.
    """
    records = list(records)
    if not records:
        return 0
    # A list of people is its own list of people: no second entry each.
    is_people = records[0]._meta.label_lower == person_type()
    people = [] if is_people else [person_of(record) for record in records]
    return _views(request=request, objs=records, person_ids=people, detail={"listing": listing})

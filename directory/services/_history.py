"""The change history every directory workflow writes: one ``ServiceChange`` row for
editors and administrators to read, and one core audit entry."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from directory.models import Service, ServiceChange
from socialrx.core.audit import audit_record
from socialrx.core.models import AuditAction, User


def text(value: Any) -> str:
    if isinstance(value, list | tuple | set):
        return ", ".join(sorted(str(v) for v in value))
    return "" if value is None else str(value)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[str]]:
    """Field name to ``[before, after]`` as text, for the fields whose text changed."""
    return {
        name: [text(before.get(name)), text(after[name])]
        for name in after
        if text(before.get(name)) != text(after[name])
    }


def record(
    *,
    service: Service,
    actor: User | None,
    kind: str,
    changes: dict[str, list[str]],
    request: HttpRequest | None,
    action: str = AuditAction.UPDATE,
) -> ServiceChange:
    change = ServiceChange.objects.create(service=service, actor=actor, kind=kind, changes=changes)
    audit_record(
        actor=actor,
        action=action,
        obj=service,
        request=request,
        detail={"change": kind, "fields": sorted(changes)},
    )
    return change


def published_change(service: Service) -> None:
    """Mark the listing changed now: the change is live, and ``last_modified`` after
    ``reviewed_at`` puts it in the administrators' review queue."""
    service.last_modified = timezone.now()
    service.save(update_fields=["last_modified", "updated_at"])

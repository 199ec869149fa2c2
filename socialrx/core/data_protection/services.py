"""The data protection workflows: apply the retention schedule, record a rights request
and its decision, and gather a subject access export."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from socialrx.core.audit import audit_record
from socialrx.core.data_protection.models import RetentionRun, RightsDecision, RightsRequest
from socialrx.core.data_protection.registry import retention_rules, subject_sections
from socialrx.core.models import AuditAction, AuditEvent, User

SUBJECT_TYPE = "referrals.person"


def retention_apply(*, today: datetime.date | None = None, dry_run: bool = False) -> RetentionRun:
    """Apply every registered rule for ``today`` and record the counts in a RetentionRun.

    One transaction: a rule that fails leaves nothing half-deleted. A dry run does the
    very same deletions and rolls them back, so its counts are what a real run would
    remove, cascades included (a person whose last referral goes tonight), not an
    estimate. Running twice on one day does no harm: the second run finds nothing due.
    """
    today = today or timezone.localdate()
    run = RetentionRun(as_of=today, dry_run=dry_run)
    with transaction.atomic():
        for rule in retention_rules():
            run.counts[rule.record_type] = rule.apply(today)
        if dry_run:
            transaction.set_rollback(True)
    run.finished_at = timezone.now()
    run.save()
    return run


def rights_request_record(
    *,
    person_id: int,
    kind: str,
    received_on: datetime.date,
    request_detail: str,
    decision: str,
    reason: str,
    actor: User,
    request: HttpRequest | None = None,
) -> RightsRequest:
    """Record an erasure or restriction request, decided now or left pending."""
    decided = decision != RightsDecision.PENDING
    with transaction.atomic():
        rights = RightsRequest.objects.create(
            subject_type=SUBJECT_TYPE,
            subject_id=str(person_id),
            kind=kind,
            received_on=received_on,
            request_detail=request_detail,
            decision=decision,
            reason=reason,
            recorded_by=actor,
            decided_by=actor if decided else None,
            decided_at=timezone.now() if decided else None,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=rights,
            request=request,
            detail={"kind": kind, "decision": decision, "person_id": person_id},
        )
    return rights


def rights_request_decide(
    *, rights: RightsRequest, decision: str, reason: str, actor: User, request: HttpRequest
) -> RightsRequest:
    """Decide a pending request. A decided one is not changed: a new request is recorded."""
    if rights.decision != RightsDecision.PENDING:
        raise ValueError("This request has already been decided")
    if decision == RightsDecision.PENDING or not reason.strip():
        raise ValueError("A decision needs an outcome and a reason")
    with transaction.atomic():
        rights.decision = decision
        rights.reason = reason
        rights.decided_by = actor
        rights.decided_at = timezone.now()
        rights.save(update_fields=["decision", "reason", "decided_by", "decided_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=rights,
            request=request,
            detail={"decision": decision},
        )
    return rights


def _viewed_by(object_type: str, ids: list[Any]) -> list[dict[str, Any]]:
    """Who looked at these records, from the audit: names of staff, never other people."""
    events = (
        AuditEvent.objects.filter(
            object_type=object_type, object_id__in=[str(i) for i in ids], action=AuditAction.VIEW
        )
        .select_related("actor")
        .order_by("occurred_at", "id")
    )
    return [
        {
            "record_type": object_type,
            "record_id": event.object_id,
            "viewed_at": event.occurred_at.isoformat(),
            "viewed_by": event.actor.full_name if event.actor else "",
            "page": event.path,
        }
        for event in events
    ]


def subject_access_export(
    *, person_id: int, actor: User, request: HttpRequest
) -> dict[str, Any] | None:
    """Everything held about one person, one key per record type, plus who viewed it;
    None when nothing at all is held under that number.

    Audited as an export before it is returned: the export is itself a disclosure.
    """
    sections: dict[str, Any] = {}
    viewed: list[dict[str, Any]] = []
    for section in subject_sections():
        sections[section.record_type] = {"title": section.title, "rows": section.rows(person_id)}
        if section.audited is not None:
            object_type, ids = section.audited(person_id)
            if ids:
                viewed += _viewed_by(object_type, ids)
    if not any(section["rows"] for section in sections.values()):
        return None
    viewed.sort(key=lambda row: row["viewed_at"])
    sections["views"] = {"title": "Who has viewed these records", "rows": viewed}
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type=SUBJECT_TYPE,
        object_id=person_id,
        request=request,
        detail={"export": "subject_access", "format": request.GET.get("format", "json")},
    )
    return {
        "subject": {"type": SUBJECT_TYPE, "id": person_id},
        "generated_at": timezone.now().isoformat(),
        "generated_by": actor.full_name,
        "sections": sections,
    }

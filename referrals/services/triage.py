"""Moving a referral on: every status change goes through ``_transition``."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from referrals import codes, notifications
from referrals.models import (
    Referral,
    ReferralStatusEvent,
    TriageRoute,
)
from socialrx.core.audit import audit_record
from socialrx.core.listeners import announce
from socialrx.core.models import (
    AuditAction,
    AuditSystemReason,
    Membership,
    Organisation,
    OrganisationType,
    Role,
    User,
)

logger = logging.getLogger(__name__)


def _transition(
    *,
    referral: Referral,
    kind: str,
    actor: User | None,
    note: str = "",
    detail: dict[str, Any] | None = None,
    system_reason: str = "",
    **changes: Any,
) -> ReferralStatusEvent:
    """Apply one allowed status change and write its event row. Callers hold the lock."""
    if not codes.can_transition(referral.status, kind):
        raise ValidationError(
            f"A referral that is {referral.get_status_display().lower()} cannot be "
            f"{codes.EventKind(kind).label.lower()}."
        )
    previous = referral.status
    referral.status = codes.TRANSITIONS[kind].target
    for field, value in changes.items():
        setattr(referral, field, value)
    referral.save(update_fields=["status", "updated_at", *changes])
    event = ReferralStatusEvent.objects.create(
        referral=referral,
        kind=kind,
        from_status=previous,
        to_status=referral.status,
        actor=actor,
        note=note,
        snomed_code=codes.snomed_for_event(kind, referral.closure_outcome) or "",
        detail=detail or {},
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=referral,
        detail={"event": kind, "from": previous, "to": referral.status},
        system_reason=system_reason,
    )
    # Other apps react after commit (interop writes the message back to the practice).
    announce("referral.transition", referral_id=referral.pk, kind=kind)
    return event


def _locked(referral: Referral) -> Referral:
    """Re-read the referral under a row lock, so two triage leads cannot both act on it."""
    return Referral.objects.select_for_update().select_related("triage_service").get(pk=referral.pk)


def teams_for_service(service: Organisation) -> list[Organisation]:
    """Teams a service may assign to: its own, and the PCN teams its routes name."""
    return list(
        Organisation.objects.active()
        .of_type(OrganisationType.LINK_WORKER_TEAM)
        .filter(
            Q(parent=service)
            | Q(pk__in=TriageRoute.objects.filter(service=service).values("default_team"))
        )
        .distinct()
    )


@transaction.atomic
def referral_assign(
    *,
    referral: Referral,
    team: Organisation,
    actor: User,
    link_worker: User | None = None,
    note: str = "",
) -> Referral:
    """Accept a referral at triage and assign it to a team, and optionally a link worker."""
    referral = _locked(referral)
    if team not in teams_for_service(referral.triage_service):
        raise ValidationError({"team": ["Choose a team this service works with"]})
    if (
        link_worker is not None
        and not Membership.objects.active()
        .filter(user=link_worker, organisation=team, role=Role.LINK_WORKER)
        .exists()
    ):
        raise ValidationError({"link_worker": ["Choose a link worker in that team"]})
    _transition(
        referral=referral,
        kind=codes.EventKind.ASSIGNED,
        actor=actor,
        note=note or f"Accepted and assigned to {team.name}.",
        assigned_team=team,
        assigned_link_worker=link_worker,
    )
    notifications.referrer_status_changed(referral=referral, kind=codes.EventKind.ASSIGNED)
    notifications.person_status_changed(referral=referral, kind=codes.EventKind.ASSIGNED)
    return referral


# Statuses in which the referral has a team and a link worker may still take it on.
_WITH_TEAM = frozenset(
    {codes.Status.ASSIGNED, codes.Status.FIRST_CONTACT, codes.Status.IN_PROGRESS}
)


@transaction.atomic
def referral_set_link_worker(*, referral: Referral, link_worker: User, actor: User) -> Referral:
    """Name the link worker within the assigned team (opening the case may choose another
    than triage did). Not a status change: no event and no email to the referrer, who
    was told of the assignment; the change is audited.

    The actor is a link worker of the assigned team or a triage lead of the service."""
    referral = _locked(referral)
    if referral.assigned_team_id is None or referral.status not in _WITH_TEAM:
        raise ValidationError("Only a referral assigned to a team can have its link worker set")
    active = Membership.objects.active()
    may_act = Q(organisation=referral.assigned_team_id, role=Role.LINK_WORKER) | Q(
        organisation=referral.triage_service_id, role=Role.TRIAGE_LEAD
    )
    if not active.filter(may_act, user=actor).exists():
        raise PermissionDenied("Only the assigned team or the triage lead can do this")
    if not active.filter(
        user=link_worker, organisation=referral.assigned_team_id, role=Role.LINK_WORKER
    ).exists():
        raise ValidationError({"link_worker": ["Choose a link worker in the assigned team"]})
    previous = referral.assigned_link_worker_id
    if previous == link_worker.pk:
        return referral
    referral.assigned_link_worker = link_worker
    referral.save(update_fields=["assigned_link_worker", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=referral,
        detail={"assigned_link_worker": {"from": previous, "to": link_worker.pk}},
    )
    return referral


@transaction.atomic
def referral_decline(
    *, referral: Referral, actor: User, reason: str, suggested_alternative: str = "", note: str = ""
) -> Referral:
    """Decline at triage, with a reason and where the person might go instead."""
    if reason not in codes.DeclineReason.values:
        raise ValidationError({"reason": ["Select why the referral is declined"]})
    referral = _locked(referral)
    _transition(
        referral=referral,
        kind=codes.EventKind.DECLINED,
        actor=actor,
        note=note or codes.DeclineReason(reason).label,
        detail={"suggested_alternative": suggested_alternative},
        decline_reason=reason,
        suggested_alternative=suggested_alternative,
    )
    notifications.referrer_status_changed(referral=referral, kind=codes.EventKind.DECLINED)
    notifications.person_status_changed(referral=referral, kind=codes.EventKind.DECLINED)
    return referral


@transaction.atomic
def referral_redirect(
    *, referral: Referral, service: Organisation, actor: User, note: str = ""
) -> Referral:
    """Pass the referral to another link worker service's queue."""
    if service.org_type != OrganisationType.LINK_WORKER_SERVICE or not service.is_active:
        raise ValidationError({"service": ["Choose a link worker service"]})
    referral = _locked(referral)
    if service.pk == referral.triage_service_id:
        raise ValidationError({"service": ["The referral is already with this service"]})
    _transition(
        referral=referral,
        kind=codes.EventKind.REDIRECTED,
        actor=actor,
        note=note or f"Passed to {service.name}.",
        detail={"from_service": referral.triage_service_id, "to_service": service.pk},
        triage_service=service,
    )
    return referral


@transaction.atomic
def referral_request_info(*, referral: Referral, actor: User, question: str) -> Referral:
    """Ask the referrer for more information; the question is shown to them."""
    if not question.strip():
        raise ValidationError({"question": ["Enter what you need to know"]})
    referral = _locked(referral)
    _transition(referral=referral, kind=codes.EventKind.INFO_REQUESTED, actor=actor, note=question)
    notifications.referrer_status_changed(referral=referral, kind=codes.EventKind.INFO_REQUESTED)
    return referral


@transaction.atomic
def referral_provide_info(*, referral: Referral, actor: User, answer: str) -> Referral:
    """The referrer answers the triage team's question; the referral goes back in the queue.

    Only a referrer at the organisation that made the referral may answer: the answer is
    part of the referral, so it must come from the people responsible for it.
    """
    if not answer.strip():
        raise ValidationError({"answer": ["Enter the information the triage team asked for"]})
    referral = _locked(referral)
    if referral.referring_organisation not in actor.organisations_with_role(Role.REFERRER):
        raise PermissionDenied("Only the referring organisation can answer.")
    _transition(
        referral=referral, kind=codes.EventKind.INFO_PROVIDED, actor=actor, note=answer.strip()
    )
    return referral


@transaction.atomic
def referral_decline_expired(*, referral_id: int, received_before: datetime.datetime) -> bool:
    """Decline a referral no service accepted in time, and tell the referrer.

    Re-checked under the row lock, so a referral accepted or declined meanwhile is left
    alone and a second run does nothing. Returns True when this call declined it.
    """
    referral = _locked(Referral(pk=referral_id))
    awaiting = referral.status in codes.AWAITING_TRIAGE_STATUSES
    if not awaiting or referral.created_at > received_before:
        return False
    _transition(
        referral=referral,
        kind=codes.EventKind.EXPIRED,
        actor=None,
        system_reason=AuditSystemReason.DEADLINE_TASK,
        note=(
            f"No service accepted this referral within {settings.REFERRALS_AUTO_DECLINE_DAYS} "
            "days, so it was declined automatically. Please refer again if support is "
            "still needed."
        ),
        decline_reason=codes.DeclineReason.NOT_ACCEPTED_IN_TIME,
    )
    notifications.referrer_status_changed(referral=referral, kind=codes.EventKind.EXPIRED)
    notifications.person_status_changed(referral=referral, kind=codes.EventKind.EXPIRED)
    return True


@transaction.atomic
def referral_record_progress(
    *, referral: Referral, actor: User, kind: str, note: str = "", outcome: str = ""
) -> Referral:
    """First contact, in progress or closed: the link worker's side of the loop."""
    if kind not in (
        codes.EventKind.FIRST_CONTACT,
        codes.EventKind.IN_PROGRESS,
        codes.EventKind.CLOSED,
    ):
        raise ValidationError("Not a link worker status change")
    changes: dict[str, Any] = {}
    if kind == codes.EventKind.CLOSED:
        if outcome not in codes.ClosureOutcome.values:
            raise ValidationError({"outcome": ["Select the outcome"]})
        changes["closure_outcome"] = outcome
    referral = _locked(referral)
    _transition(referral=referral, kind=kind, actor=actor, note=note, **changes)
    if kind == codes.EventKind.CLOSED:
        notifications.referrer_status_changed(referral=referral, kind=kind)
    return referral


@transaction.atomic
def referral_withdraw(*, referral: Referral, actor: User, reason: str = "") -> Referral:
    """The referrer withdraws a referral before the person has been contacted; triage
    and the link worker are told. Only the referring organisation may withdraw."""
    referral = _locked(referral)
    if referral.referring_organisation not in actor.organisations_with_role(Role.REFERRER):
        raise PermissionDenied("Only the referring organisation can withdraw a referral.")
    _transition(
        referral=referral,
        kind=codes.EventKind.WITHDRAWN,
        actor=actor,
        note=reason.strip() or "Withdrawn by the referrer.",
    )
    notifications.staff_referral_withdrawn(referral=referral)
    return referral


@transaction.atomic
def referral_confirm_consent(*, referral: Referral, actor: User) -> Referral:
    """The person agreed to the referral and to sharing, asked at first contact or triage.

    Not a status change: the referral records who confirmed it and when, and it is audited.
    """
    referral = _locked(referral)
    if not referral.consent_to_confirm:
        raise ValidationError("Consent for this referral is already recorded")
    referral.consent_to_referral = referral.consent_to_share = True
    referral.consent_to_confirm = False
    referral.consent_recorded_on = timezone.localdate()
    referral.consent_recorded_by = actor.full_name or actor.email
    referral.save(
        update_fields=[
            "consent_to_referral",
            "consent_to_share",
            "consent_to_confirm",
            "consent_recorded_on",
            "consent_recorded_by",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=referral, detail={"consent": "confirmed"}
    )
    return referral

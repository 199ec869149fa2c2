"""Referral workflows: each one function, in one transaction, called by views, API and tasks.

Every status change goes through ``_transition``, which checks the one table of allowed
transitions in ``referrals.codes`` and writes the immutable event row with the actor.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from referrals import codes, notifications
from referrals.models import (
    Person,
    PersonKeptApart,
    Referral,
    ReferralReason,
    ReferralStatusEvent,
    TriageRoute,
    normalise_nhs_number,
    normalise_postcode,
    validate_not_future,
)
from socialrx.core.audit import audit_record
from socialrx.core.events import announce
from socialrx.core.models import AuditAction, Membership, Organisation, OrganisationType, Role, User

logger = logging.getLogger(__name__)


class IdempotencyConflict(Exception):
    """The same idempotency key was used before with a different request."""


@dataclasses.dataclass(frozen=True)
class PersonInput:
    given_name: str
    family_name: str
    date_of_birth: datetime.date
    nhs_number: str = ""
    sex: str = ""
    gender_identity: str = ""
    address: str = ""
    postcode: str = ""
    phone: str = ""
    email: str = ""
    preferred_contact_method: str = ""
    preferred_contact_times: str = ""
    interpreter_needed: bool = False
    language: str = ""
    accessibility_needs: str = ""
    ethnicity: str = ""
    registered_practice_id: int | None = None


@dataclasses.dataclass(frozen=True)
class ReferralInput:
    person: PersonInput
    reasons: tuple[str, ...]
    consent_to_referral: bool
    consent_to_share: bool
    consent_recorded_on: datetime.date
    consent_recorded_by: str
    source: str
    reason_other: str = ""
    what_matters: str = ""
    safeguarding_concerns: str = ""
    lone_working_risks: str = ""
    urgency: str = codes.Urgency.ROUTINE
    contact_consent: bool = False
    consent_to_confirm: bool = False
    requester_name: str = ""
    requester_identifier: str = ""
    requester_ods_code: str = ""
    sender_identifier_system: str = ""
    sender_identifier_value: str = ""

    def fingerprint(self) -> str:
        """A hash of the request, so a reused idempotency key can be compared."""
        canonical = json.dumps(dataclasses.asdict(self), sort_keys=True, default=str)
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclasses.dataclass(frozen=True)
class SubmitResult:
    referral: Referral
    created: bool


def triage_route_for(practice: Organisation | None) -> TriageRoute:
    """The route for the person's practice, else the county default."""
    routes = TriageRoute.objects.select_related("service", "default_team")
    route = routes.filter(practice=practice).first() if practice is not None else None
    route = route or routes.filter(is_default=True).first()
    if route is None:
        raise ValidationError("No link worker service covers this practice yet.")
    return route


def _validate(data: ReferralInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not (data.consent_to_referral and data.consent_to_share) and not data.consent_to_confirm:
        errors["consent"] = [
            "The person must agree to the referral and to information being shared"
        ]
    if not data.reasons:
        errors["reasons"] = ["Select at least one reason for the referral"]
    elif set(data.reasons) - set(codes.Reason.values):
        errors["reasons"] = ["Select reasons from the list"]
    elif codes.Reason.OTHER in data.reasons and not data.reason_other.strip():
        errors["reason_other"] = ["Describe the other reason"]
    if data.consent_recorded_on > timezone.localdate():
        errors["consent_recorded_on"] = ["Consent date must be today or in the past"]
    for field, validate in (
        ("nhs_number", lambda: normalise_nhs_number(data.person.nhs_number)),
        ("date_of_birth", lambda: validate_not_future(data.person.date_of_birth)),
    ):
        try:
            validate()
        except ValidationError as error:
            errors[field] = error.messages
    return errors


def _person_create(data: PersonInput) -> Person:
    fields = dataclasses.asdict(data)
    fields["nhs_number"] = normalise_nhs_number(data.nhs_number)
    fields["postcode"] = normalise_postcode(data.postcode)
    # A new record every time: possible duplicates are shown at triage, never merged here.
    return Person.objects.create(**fields)


def _existing_submission(
    *, referrer: User | None, idempotency_key: str, fingerprint: str
) -> Referral | None:
    if not idempotency_key:
        return None
    existing = Referral.objects.filter(referrer=referrer, idempotency_key=idempotency_key).first()
    if existing is not None and existing.request_fingerprint != fingerprint:
        raise IdempotencyConflict("This Idempotency-Key was already used for a different referral.")
    return existing


def referral_submit(
    *,
    data: ReferralInput,
    referrer: User | None,
    organisation: Organisation | None,
    idempotency_key: str = "",
    person: Person | None = None,
) -> SubmitResult:
    """Store a referral and put it in the right triage queue.

    Safe against double submission: the same ``idempotency_key`` from the same referrer
    returns the first referral; with a different request it raises ``IdempotencyConflict``.
    ``person`` is someone already known (a GP system may refer by NHS number); the caller
    has checked they may refer them. Otherwise a new person record is made from the input.
    """
    errors = _validate(data)
    if referrer is not None and (
        organisation is None or organisation not in referrer.organisations_with_role(Role.REFERRER)
    ):
        errors["organisation"] = ["You can only refer on behalf of your own organisation"]
    if errors:
        raise ValidationError(errors)
    fingerprint = data.fingerprint()
    existing = _existing_submission(
        referrer=referrer, idempotency_key=idempotency_key, fingerprint=fingerprint
    )
    if existing is not None:
        return SubmitResult(existing, created=False)
    try:
        with transaction.atomic():
            referral = _referral_create(
                data=data,
                referrer=referrer,
                organisation=organisation,
                idempotency_key=idempotency_key,
                fingerprint=fingerprint,
                person=person,
            )
    except IntegrityError:
        # A concurrent double click got there first: hand back the one it stored.
        existing = _existing_submission(
            referrer=referrer, idempotency_key=idempotency_key, fingerprint=fingerprint
        )
        if existing is None:
            raise
        return SubmitResult(existing, created=False)
    return SubmitResult(referral, created=True)


def _referral_create(
    *,
    data: ReferralInput,
    referrer: User | None,
    organisation: Organisation | None,
    idempotency_key: str,
    fingerprint: str,
    person: Person | None = None,
) -> Referral:
    person = person or _person_create(data.person)
    route = triage_route_for(person.registered_practice)
    fields = dataclasses.asdict(data)
    for name in ("person", "reasons"):
        fields.pop(name)
    if codes.Reason.OTHER not in data.reasons:
        # A description left in the form after "Other" was unticked is not a reason.
        fields["reason_other"] = ""
    referral = Referral.objects.create(
        person=person,
        referrer=referrer,
        referring_organisation=organisation,
        triage_service=route.service,
        idempotency_key=idempotency_key,
        request_fingerprint=fingerprint,
        **fields,
    )
    ReferralReason.objects.bulk_create(
        ReferralReason(referral=referral, reason=reason) for reason in dict.fromkeys(data.reasons)
    )
    ReferralStatusEvent.objects.create(
        referral=referral,
        kind=codes.EventKind.SUBMITTED,
        to_status=codes.Status.RECEIVED,
        actor=referrer,
        note=f"Sent to {route.service.name} for triage.",
    )
    audit_record(actor=referrer, action=AuditAction.CREATE, obj=referral)
    notifications.person_referral_received(referral=referral)
    return referral


def _transition(
    *,
    referral: Referral,
    kind: str,
    actor: User | None,
    note: str = "",
    detail: dict[str, Any] | None = None,
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
    )
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
        note=(
            f"No service accepted this referral within {settings.REFERRALS_AUTO_DECLINE_DAYS} "
            "days, so it was declined automatically. Please refer again if support is "
            "still needed."
        ),
        decline_reason=codes.DeclineReason.NOT_ACCEPTED_IN_TIME,
    )
    notifications.referrer_status_changed(referral=referral, kind=codes.EventKind.EXPIRED)
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


@transaction.atomic
def person_keep_apart(*, person: Person, other: Person, actor: User) -> PersonKeptApart:
    """Record that two possible duplicates are different people."""
    first, second = sorted((person, other), key=lambda p: p.pk)
    decision, _ = PersonKeptApart.objects.get_or_create(
        first=first, second=second, defaults={"decided_by": actor}
    )
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=person, detail={"kept_apart": other.pk}
    )
    return decision


@transaction.atomic
def person_merge(*, keep: Person, merge: Person, actor: User) -> Person:
    """Move ``merge``'s referrals to ``keep`` and mark ``merge`` as merged. Never automatic."""
    if keep.pk == merge.pk or merge.merged_into_id is not None:
        raise ValidationError("These records cannot be merged")
    moved = Referral.objects.filter(person=merge).update(person=keep)
    merge.merged_into = keep
    merge.save(update_fields=["merged_into", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=keep,
        detail={"merged_from": merge.pk, "referrals_moved": moved},
    )
    return keep


@dataclasses.dataclass(frozen=True)
class LinkWorkerLoad:
    user: User
    team: Organisation
    open_referrals: int
    target_caseload: int | None

    @property
    def label(self) -> str:
        target = f" of {self.target_caseload} a year" if self.target_caseload else ""
        return f"{self.user} ({self.team}): {self.open_referrals} open{target}"


def link_worker_loads(*, service: Organisation) -> list[LinkWorkerLoad]:
    """Each link worker in the service's teams, with open referrals against their caseload."""
    open_assigned = Q(user__referrals_assigned__status__in=codes.OPEN_STATUSES)
    memberships = (
        Membership.objects.active()
        .with_role(Role.LINK_WORKER)
        .filter(organisation__in=teams_for_service(service))
        .select_related("user", "organisation")
        .annotate(open_referrals=Count("user__referrals_assigned", filter=open_assigned))
        .order_by("organisation__name", "user__full_name")
    )
    return [
        # open_referrals is the annotation above, unknown to the type checker.
        LinkWorkerLoad(m.user, m.organisation, m.open_referrals, m.effective_target_caseload)  # type: ignore[attr-defined]
        for m in memberships
    ]

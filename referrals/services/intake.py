"""Receiving a referral: validation, the person, idempotent submission."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from referrals import codes, notifications
from referrals.models import (
    Person,
    Referral,
    ReferralReason,
    ReferralStatusEvent,
    TriageRoute,
    normalise_nhs_number,
    normalise_postcode,
    validate_not_future,
)
from socialrx.core.audit import audit_record
from socialrx.core.models import AuditAction, AuditSystemReason, Organisation, Role, User


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


NO_CONTACT_ROUTE = (
    "Enter a phone number, email address or address, or choose to contact them through "
    "their GP practice"
)


def has_contact_route(person: PersonInput | Person) -> bool:
    """At least one way to reach the person: their own, or explicitly through their practice.
    Asked of a new referral's answers and of a record being corrected alike."""
    if person.phone.strip() or person.email.strip() or person.address.strip():
        return True
    return (
        person.preferred_contact_method == codes.ContactMethod.GP_PRACTICE
        and person.registered_practice_id is not None
    )


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
    audit_record(
        actor=referrer,
        action=AuditAction.CREATE,
        obj=referral,
        system_reason="" if referrer else AuditSystemReason.SELF_REFERRAL,
    )
    notifications.person_told(referral=referral, message="referral_received")
    return referral

"""Recording contacts: attempts to reach the person and conversations with them."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from linkworkers import codes
from linkworkers.models import Case, Contact
from linkworkers.services.cases import case_for_work, case_move
from referrals import codes as referral_codes
from referrals.services import referral_record_progress
from socialrx.core.audit import audit_record
from socialrx.core.models import AuditAction, User


@transaction.atomic
def contact_record(
    *,
    case: Case,
    actor: User,
    occurred_at: datetime.datetime,
    mode: str,
    successful: bool,
    duration_minutes: int | None = None,
    note: str = "",
    next_appointment_at: datetime.datetime | None = None,
) -> Contact:
    """Record a contact. The first conversation is the referral's first contact: the
    referral moves on (and its SNOMED code is written) through referrals' own service."""
    case = case_for_work(case, actor)
    if occurred_at > timezone.now():
        raise ValidationError({"occurred_at": ["The contact must be in the past"]})
    # A call made before the case was opened on the system is still recorded, but not
    # one before the person was referred.
    if occurred_at < case.referral.created_at:
        raise ValidationError({"occurred_at": ["The contact must be after the referral"]})
    contact = Contact.objects.create(
        case=case,
        occurred_at=occurred_at,
        mode=mode,
        successful=successful,
        duration_minutes=duration_minutes if successful else None,
        note=note,
        recorded_by=actor,
    )
    if successful and case.status == codes.CaseStatus.AWAITING_CONTACT:
        _first_contact(case, actor, occurred_at)
    if next_appointment_at is not None:
        case.next_appointment_at = next_appointment_at
        case.save(update_fields=["next_appointment_at", "updated_at"])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=contact, detail={"case": case.pk})
    return contact


def _first_contact(case: Case, actor: User, occurred_at: datetime.datetime) -> None:
    case_move(
        case=case, kind=codes.CaseEventKind.FIRST_CONTACT, actor=actor, first_contact_at=occurred_at
    )
    if referral_codes.can_transition(case.referral.status, referral_codes.EventKind.FIRST_CONTACT):
        referral_record_progress(
            referral=case.referral, actor=actor, kind=referral_codes.EventKind.FIRST_CONTACT
        )


def unable_to_contact_suggested(case: Case) -> bool:
    """Enough attempts since the last conversation, spread over enough days (issue 5:
    three over at least ten; ``LINKWORKERS_UNABLE_TO_CONTACT_*``): several tries, at
    different times, before giving up on someone."""
    if not case.is_open:
        return False
    # One read of the case's contacts (the case page has them prefetched already).
    contacts = sorted(case.contacts.all(), key=lambda c: c.occurred_at)
    spoke = [c.occurred_at for c in contacts if c.successful]
    times = [
        c.occurred_at
        for c in contacts
        if not c.successful and (not spoke or c.occurred_at > spoke[-1])
    ]
    span = datetime.timedelta(days=settings.LINKWORKERS_UNABLE_TO_CONTACT_DAYS)
    return (
        len(times) >= max(settings.LINKWORKERS_UNABLE_TO_CONTACT_ATTEMPTS, 1)
        and times[-1] - times[0] >= span
    )

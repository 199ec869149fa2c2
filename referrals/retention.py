"""What referrals holds about people, for core's retention job and subject access export.

Registered from ``ReferralsConfig.ready``; see ``socialrx/core/data_protection/registry.py``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet

from referrals.codes import Status
from referrals.models import Person, PersonDetailsEvent, Referral, ReferralStatusEvent
from socialrx.core.data_protection.registry import (
    RetentionRule,
    SubjectRows,
    SubjectSection,
    delete_rows,
    purge_history,
    register_retention_rule,
    register_subject_section,
    value_rows,
)
from socialrx.core.models import Notification


def _referrals_without_case_due(today: datetime.date) -> QuerySet[Referral]:
    """Referrals that ended without a case (declined, or closed at triage) and have not
    changed for the period."""
    cutoff = REFERRAL_WITHOUT_CASE.cutoff(today)
    return Referral.objects.filter(
        status__in=[Status.DECLINED, Status.CLOSED], case__isnull=True, updated_at__date__lt=cutoff
    )


def delete_referrals(referrals: QuerySet[Referral]) -> int:
    """Delete referrals with their history, reasons and alerts (linkworkers calls this
    for a closed case's referral too)."""
    ids = list(referrals.values_list("pk", flat=True))
    purge_history(ReferralStatusEvent, referral_id__in=ids)
    return delete_rows(Referral.objects.filter(pk__in=ids))


def _people_without_referral_due(today: datetime.date) -> QuerySet[Person]:
    """People left with no referral, whose record has not changed for the period, and
    that no other record was merged into or from (the merge trail stays with its pair)."""
    cutoff = PERSON_WITHOUT_REFERRAL.cutoff(today)
    return Person.objects.filter(
        referrals__isnull=True,
        merged_from__isnull=True,
        merged_into__isnull=True,
        updated_at__date__lt=cutoff,
    )


def delete_people(people: QuerySet[Person]) -> int:
    """Delete people with the history of corrections to their details, which protects
    them from any other deletion."""
    ids = list(people.values_list("pk", flat=True))
    purge_history(PersonDetailsEvent, person_id__in=ids)
    return delete_rows(Person.objects.filter(pk__in=ids))


REFERRAL_WITHOUT_CASE = RetentionRule(
    record_type="referral_without_case",
    schedule_key="referral_without_case",
    action="delete",
    apply=lambda today: delete_referrals(_referrals_without_case_due(today)),
)
PERSON_WITHOUT_REFERRAL = RetentionRule(
    record_type="person_without_referral",
    schedule_key="person_without_referral",
    action="delete",
    apply=lambda today: delete_people(_people_without_referral_due(today)),
)


def person_ids(person_id: int) -> list[int]:
    """The person and any record merged into them: what is held about them is in both."""
    merged = Person.objects.filter(merged_into_id=person_id).values_list("pk", flat=True)
    return [person_id, *merged]


def _person_rows(person_id: int) -> SubjectRows:
    fields = [
        "id", "nhs_number", "given_name", "family_name", "date_of_birth", "sex",
        "gender_identity", "address", "postcode", "phone", "email", "preferred_contact_method",
        "preferred_contact_times", "interpreter_needed", "language", "accessibility_needs",
        "accessible_formats", "ethnicity", "registered_practice__name", "merged_into_id",
        "created_at", "updated_at",
    ]  # fmt: skip
    ids = person_ids(person_id)
    changes: dict[int, list[dict[str, Any]]] = {pk: [] for pk in ids}
    for event in PersonDetailsEvent.objects.filter(person_id__in=ids).select_related("actor"):
        changes[event.person_id].append(
            {
                "occurred_at": event.occurred_at,
                "by": event.actor.full_name if event.actor else "",
                # field -> [before, after], as corrected by staff
                "changes": event.changes,
                "note": event.note,
            }
        )
    rows = list(Person.objects.filter(pk__in=ids).values(*fields))
    for row in rows:
        row["corrections"] = changes[row["id"]]
    return rows


def _event_row(event: ReferralStatusEvent) -> dict[str, Any]:
    return {
        "occurred_at": event.occurred_at,
        "event": event.get_kind_display(),
        "from_status": event.from_status,
        "to_status": event.to_status,
        "by": event.actor.full_name if event.actor else "",
        "note": event.note,
    }


def _referral_rows(person_id: int) -> SubjectRows:
    referrals = (
        Referral.objects.filter(person_id__in=person_ids(person_id))
        .select_related("referrer", "referring_organisation", "triage_service", "assigned_team")
        .prefetch_related("reasons", "events__actor")
        .order_by("created_at", "id")
    )
    return [
        {
            "reference": r.reference,
            "received": r.created_at,
            "source": r.get_source_display(),
            "referred_by": r.referrer.full_name if r.referrer else "Self-referral",
            "referring_organisation": getattr(r.referring_organisation, "name", ""),
            "reasons": [reason.get_reason_display() for reason in r.reasons.all()],
            "reason_other": r.reason_other,
            "what_matters": r.what_matters,
            "safeguarding_concerns": r.safeguarding_concerns,
            "lone_working_risks": r.lone_working_risks,
            "urgency": r.get_urgency_display(),
            "consent_recorded_on": r.consent_recorded_on,
            "consent_recorded_by": r.consent_recorded_by,
            "triage_service": r.triage_service.name,
            "assigned_team": getattr(r.assigned_team, "name", ""),
            "status": r.get_status_display(),
            "closure_outcome": r.get_closure_outcome_display(),
            "decline_reason": r.get_decline_reason_display(),
            "history": [_event_row(event) for event in r.events.all()],
        }
        for r in referrals
    ]


def _emails_to_person(person_id: int) -> SubjectRows:
    """Emails sent to the person themselves (referral updates they agreed to)."""
    addresses = [
        e
        for e in Person.objects.filter(pk__in=person_ids(person_id)).values_list("email", flat=True)
        if e
    ]
    return value_rows(
        Notification.objects.filter(to_email__in=addresses)
        .order_by("created_at")
        .values("kind", "subject", "status", "created_at", "sent_at")
    )


def register() -> None:
    # Rules run in reverse of registration and a person goes only once their referrals
    # have gone, so the person rule is registered first.
    register_retention_rule(PERSON_WITHOUT_REFERRAL)
    register_retention_rule(REFERRAL_WITHOUT_CASE)
    register_subject_section(
        SubjectSection(
            record_type="person",
            title="Personal details",
            rows=_person_rows,
            audited=lambda pid: ("referrals.person", person_ids(pid)),
        )
    )
    register_subject_section(
        SubjectSection(
            record_type="referrals",
            title="Referrals and their history",
            rows=_referral_rows,
            audited=lambda pid: (
                "referrals.referral",
                list(
                    Referral.objects.filter(person_id__in=person_ids(pid)).values_list(
                        "pk", flat=True
                    )
                ),
            ),
        )
    )
    register_subject_section(
        SubjectSection(
            record_type="emails_to_person",
            title="Emails sent to the person",
            rows=_emails_to_person,
        )
    )

"""Closing a case with an outcome, and the PRSB "message back" to the GP and referrer."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from linkworkers import codes
from linkworkers.models import Case, MessageBack
from linkworkers.services.cases import case_for_work, case_move
from linkworkers.services.contacts import unable_to_contact_rule_met
from referrals import codes as referral_codes
from referrals.presenters import ReferralPresenter
from referrals.services import referral_record_progress
from socialrx.core.audit import audit_record
from socialrx.core.links import absolute_url
from socialrx.core.models import AuditAction, User

# Needs at this level or above in the latest assessment are reported as needs and concerns.
REPORTED_NEED = codes.NeedLevel.MEDIUM


def message_back_url(case: Case) -> str:
    return absolute_url(reverse("linkworkers:message_back", args=[case.pk]))


def message_back_pdf_url(case: Case) -> str:
    return absolute_url(reverse("linkworkers:message_back_pdf", args=[case.pk]))


def _needs_and_concerns(case: Case) -> str:
    lines = [f"Referred for: {ReferralPresenter(case.referral).reasons}."]
    latest = case.assessments.prefetch_related("domains").last()
    if latest is not None:
        lines += [
            f"{d.get_domain_display()}: {d.get_need_level_display().lower()}."
            for d in latest.domains.all()
            if d.need_level >= REPORTED_NEED
        ]
    return "\n".join(lines)


def _support_offered(case: Case, summary: str) -> str:
    plan = getattr(case, "plan", None)
    goals = (
        [f"Goal: {g.description} ({g.get_status_display().lower()})." for g in plan.goals.all()]
        if plan
        else []
    )
    return "\n".join(line for line in [summary.strip(), *goals] if line)


def _activities(case: Case) -> list[dict[str, str]]:
    """Services the person was connected to; suggestions never taken up are left out."""
    return [
        {"service": c.service.name, "status": c.get_status_display()}
        for c in case.connections.select_related("service").exclude(
            status=codes.ConnectionStatus.SUGGESTED
        )
    ]


UNABLE_TO_CONTACT_NEEDS_REASON = (
    "The attempts to contact them do not yet meet the rule ({attempts} attempts over "
    "{days} days, by different methods or at different times): give the reason for closing now"
)


def _unable_to_contact_override(case: Case, outcome: str, override_reason: str) -> str:
    """The reason kept with the closure: needed only when closing as unable to contact
    before the attempts rule is met; otherwise nothing is kept."""
    if outcome != referral_codes.ClosureOutcome.UNABLE_TO_CONTACT:
        return ""
    if unable_to_contact_rule_met(case):
        return ""
    if not override_reason.strip():
        message = UNABLE_TO_CONTACT_NEEDS_REASON.format(
            attempts=settings.LINKWORKERS_UNABLE_TO_CONTACT_ATTEMPTS,
            days=settings.LINKWORKERS_UNABLE_TO_CONTACT_DAYS,
        )
        raise ValidationError({"override_reason": [message]})
    return override_reason.strip()


def _override_line(override: str) -> str:
    return (
        "Closed as unable to contact before the usual attempts "
        f"({settings.LINKWORKERS_UNABLE_TO_CONTACT_ATTEMPTS} over "
        f"{settings.LINKWORKERS_UNABLE_TO_CONTACT_DAYS} days) were made, because: {override}"
    )


@transaction.atomic
def case_close(
    *,
    case: Case,
    actor: User,
    outcome: str,
    support_summary: str = "",
    override_reason: str = "",
) -> MessageBack:
    """Close the case and its referral (the referrer is told by referrals' service), and
    write the message back: a snapshot, so it stays what was sent.

    "Unable to contact" needs the attempts rule met (``unable_to_contact_rule_met``) or
    an ``override_reason``, which is kept on the case, reported in the message back to
    the GP and referrer, and counted in the activity report.
    """
    if outcome not in referral_codes.ClosureOutcome.values:
        raise ValidationError({"outcome": ["Select the outcome"]})
    case = case_for_work(case, actor)
    override = _unable_to_contact_override(case, outcome, override_reason)
    case_move(
        case=case,
        kind=codes.CaseEventKind.CLOSED,
        actor=actor,
        closed_at=timezone.now(),
        closure_outcome=outcome,
        next_appointment_at=None,
        unable_to_contact_override=override,
    )
    referral_record_progress(
        referral=case.referral,
        actor=actor,
        kind=referral_codes.EventKind.CLOSED,
        outcome=outcome,
        # Shown on the referrer's page, where the addresses become links.
        note=f"The link worker's message back: {message_back_url(case)} "
        f"(PDF: {message_back_pdf_url(case)})",
    )
    latest = case.assessments.last()
    if override:
        # Reported to the GP and referrer with the closure, in the message back's own
        # words; counted for commissioners in the activity report.
        support_summary = "\n".join(
            line for line in [support_summary.strip(), _override_line(override)] if line
        )
    message = MessageBack.objects.create(
        case=case,
        closure_outcome=outcome,
        needs_and_concerns=_needs_and_concerns(case),
        what_matters=(latest.what_matters if latest and latest.what_matters else "")
        or case.referral.what_matters,
        support_offered=_support_offered(case, support_summary),
        activities=_activities(case),
        snomed_codes=sorted({e.snomed_code for e in case.referral.events.all() if e.snomed_code}),
        written_by=actor,
    )
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=case, detail={"closed": outcome})
    return message

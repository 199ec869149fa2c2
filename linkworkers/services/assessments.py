"""Holistic "what matters to me" assessments, repeated over time."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from linkworkers import codes
from linkworkers.models import Assessment, AssessmentDomain, Case
from linkworkers.services.cases import case_for_work
from referrals import codes as referral_codes
from referrals.services import referral_record_progress
from socialrx.core.audit import audit_record
from socialrx.core.models import AuditAction, User


@dataclass(frozen=True)
class DomainInput:
    domain: str
    need_level: int
    strengths: str = ""
    notes: str = ""


@transaction.atomic
def assessment_record(
    *,
    case: Case,
    actor: User,
    assessed_on: datetime.date,
    domains: list[DomainInput],
    what_matters: str = "",
    goals: str = "",
) -> Assessment:
    """Record an assessment of every life domain. The first one after first contact
    means support is under way: the referral moves to "in progress"."""
    case = case_for_work(case, actor)
    if case.status != codes.CaseStatus.ACTIVE:
        raise ValidationError("Record a conversation with the person before assessing")
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": ["The assessment date must be today or earlier"]})
    if sorted(d.domain for d in domains) != sorted(codes.LifeDomain.values):
        raise ValidationError("Rate every life domain, once each")
    assessment = Assessment.objects.create(
        case=case,
        assessed_on=assessed_on,
        assessed_by=actor,
        what_matters=what_matters,
        goals=goals,
    )
    AssessmentDomain.objects.bulk_create(
        AssessmentDomain(
            assessment=assessment,
            domain=d.domain,
            need_level=d.need_level,
            strengths=d.strengths,
            notes=d.notes,
        )
        for d in domains
    )
    _support_under_way(case, actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=assessment, detail={"case": case.pk})
    return assessment


def _support_under_way(case: Case, actor: User) -> None:
    if referral_codes.can_transition(case.referral.status, referral_codes.EventKind.IN_PROGRESS):
        referral_record_progress(
            referral=case.referral, actor=actor, kind=referral_codes.EventKind.IN_PROGRESS
        )

"""Audit entries for lists of cases: which records a user was shown, never their contents.

A caseload shows names and NHS numbers, so it is a view of each person on it; one entry
per page shown (not one per row) keeps the audit table proportionate.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest

from linkworkers.models import Case
from socialrx.core.audit import audit_record
from socialrx.core.models import AuditAction


def audit_cases_listed(*, request: HttpRequest, cases: Iterable[Case], listing: str) -> None:
    cases = list(cases)
    if not cases:
        return
    audit_record(
        actor=request.user,  # type: ignore[arg-type]
        action=AuditAction.VIEW,
        object_type=Case._meta.label_lower,
        request=request,
        detail={
            "listing": listing,
            "cases": [c.pk for c in cases],
            "people": sorted({c.referral.person_id for c in cases}),
        },
    )

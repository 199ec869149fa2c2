"""Audit entries for lists of referrals: which records a user was shown, never their contents.

A list shows names and reasons, so it is a view of each person on it; one entry per page
shown (not one per row) keeps the audit table proportionate.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest

from referrals.models import Referral
from socialrx.core.audit import audit_record
from socialrx.core.models import AuditAction


def audit_listed(*, request: HttpRequest, referrals: Iterable[Referral], listing: str) -> None:
    """Record the referrals (and people) on the page the user was shown, if any."""
    referrals = list(referrals)
    if not referrals:
        return
    audit_record(
        actor=request.user,  # type: ignore[arg-type]
        action=AuditAction.VIEW,
        object_type=Referral._meta.label_lower,
        request=request,
        detail={
            "listing": listing,
            "referrals": [r.pk for r in referrals],
            "people": sorted({r.person_id for r in referrals}),
        },
    )

"""Access reports for a person and for a referral: who looked, when, from where, through
which page or API (issue 13). For information governance and system administrators; the
report itself is a view of the record and is audited like one."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import models
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from referrals.permissions import person_for_access_report, referral_for_access_report
from socialrx.core.access_report import (
    HEADERS,
    AccessRow,
    access_csv,
    access_entries,
)
from socialrx.core.audit import audit_record
from socialrx.core.http import AuthenticatedHttpRequest
from socialrx.core.models import AuditAction
from socialrx.core.permissions import GOVERNANCE_ROLES, role_required

PAGE_SIZE = 50


@role_required(*GOVERNANCE_ROLES)
def person_access_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = person_for_access_report(request.user, pk)
    return _report(request, person, subject=f"{person.full_name} (person {person.pk})")


@role_required(*GOVERNANCE_ROLES)
def referral_access_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = referral_for_access_report(request.user, pk)
    return _report(request, referral, subject=f"referral {referral.reference}")


def _report(
    request: AuthenticatedHttpRequest, record: models.Model, *, subject: str
) -> HttpResponse:
    """The page (50 entries a page) or, with ``?format=csv``, every entry as CSV."""
    label = record._meta.label_lower
    entries = access_entries(label, record.pk)
    if request.GET.get("format") == "csv":
        audit_record(
            actor=request.user,
            action=AuditAction.EXPORT,
            obj=record,
            request=request,
            detail={"access_report": "csv"},
        )
        response = HttpResponse(access_csv(entries), content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().strftime("%Y%m%d")
        name = f"access-{record._meta.model_name}-{record.pk}-{stamp}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    # Counted and listed before this look is written: the page shows what came before it.
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [AccessRow(event) for event in page]
    audit_record(
        actor=request.user,
        action=AuditAction.VIEW,
        obj=record,
        request=request,
        detail={"access_report": "page"},
    )
    return render(
        request,
        "referrals/access_report.html",
        {"subject": subject, "page": page, "rows": rows, "headers": HEADERS},
    )

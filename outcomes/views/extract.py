"""The referral data extract: a page saying what the file holds, and the streamed CSV.

Record-level and pseudonymised (see ``outcomes.extract``): service managers get their
own service's referrals, system administrators the county's; everyone else 403. The
file asks for the password or second factor again unless the session proved who it is
in the last few minutes (ADR 0024).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from outcomes import extract
from outcomes.permissions import extract_referrals_for, extract_scope_for
from socialrx.core.audit import audit_record
from socialrx.core.http import AuthenticatedHttpRequest
from socialrx.core.models import AuditAction
from socialrx.core.signin import recent_authentication_required


@login_required
def extract_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = extract_scope_for(request.user)
    return render(
        request,
        "outcomes/extract.html",
        {"scope": scope, "columns": extract.columns(), "filename": extract.filename()},
    )


@login_required
@recent_authentication_required
def extract_csv(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    scope = extract_scope_for(request.user)
    referrals = extract_referrals_for(request.user, scope)
    # One entry for the file, written before the first byte: the rows stream after it
    # and are not known yet, and a row each would swamp the audit log.
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type="outcomes.referral_extract",
        request=request,
        detail={
            "export": "referral_extract",
            "format": "csv",
            "scope": "county" if scope.county else "services",
            "organisations": list(scope.organisations),
        },
    )
    response = StreamingHttpResponse(
        extract.stream(referrals), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{extract.filename()}"'
    # Personal data: never kept by a browser or proxy cache.
    response["Cache-Control"] = "no-store"
    return response

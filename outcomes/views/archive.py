"""Large reports run by the worker (confirm, progress, streamed download), the report
archive and scheduled report subscriptions."""

from __future__ import annotations

from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from outcomes import exports
from outcomes.forms import SubscriptionForm
from outcomes.models import RunStatus
from outcomes.permissions import (
    REPORT_ROLES,
    report_choices_for,
    report_file_for,
    report_files_for,
    report_scope_for,
    subscriptions_for,
)
from outcomes.presenters import subscription_rows
from outcomes.reports import REPORTS, report_kind_for, reports_for
from outcomes.services.archive import report_run_request, subscription_create
from outcomes.views.reports import _filters
from socialrx.core.audit import audit_record
from socialrx.core.http import AuthenticatedHttpRequest
from socialrx.core.models import AuditAction
from socialrx.core.permissions import role_required

CHUNK = 64 * 1024


@role_required(*REPORT_ROLES)
def report_run_start(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    """GET: say the report is large; POST: queue it and follow its progress."""
    fmt = request.GET.get("format", "xlsx")
    if key not in REPORTS or fmt not in exports.FORMATS:
        return render(request, "404.html", status=404)
    scope = report_scope_for(request.user)
    report_kind_for(scope, key)
    _form, filters = _filters(request, scope)
    if request.method == "POST":
        run = report_run_request(user=request.user, key=key, filters=filters, fmt=fmt)
        return redirect("outcomes:report_file", pk=run.pk)
    return render(
        request,
        "outcomes/reports/run_start.html",
        {"kind": REPORTS[key], "filters": filters, "fmt": fmt},
    )


@role_required(*REPORT_ROLES)
def report_file(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Progress, then the download link. htmx polls the fragment until it is ready."""
    run = report_file_for(request.user, pk)
    context = {"run": run, "kind": REPORTS.get(run.report), "done": run.status == RunStatus.DONE}
    if getattr(request, "htmx", False):
        return render(request, "outcomes/reports/includes/run_progress.html", context)
    return render(request, "outcomes/reports/run.html", context)


# core's role_required is typed for HttpResponse views only; a streamed download is an
# HttpResponseBase. Widening ViewFunc in socialrx/core/permissions.py would remove this.
@role_required(*REPORT_ROLES)
def report_file_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    run = report_file_for(request.user, pk)
    if run.status != RunStatus.DONE:
        return redirect("outcomes:report_file", pk=run.pk)
    audit_record(
        actor=request.user, action=AuditAction.EXPORT, obj=run, request=request,
        detail={"report": run.report, "format": run.fmt, **run.params},
    )  # fmt: skip
    content = bytes(run.content)
    response = StreamingHttpResponse(
        (content[i : i + CHUNK] for i in range(0, len(content), CHUNK)),
        content_type=exports.FORMATS[run.fmt][0],
    )
    response["Content-Disposition"] = f'attachment; filename="{run.filename}"'
    response["Content-Length"] = str(len(content))
    return response


def _subscription_form(request: AuthenticatedHttpRequest) -> SubscriptionForm:
    scope = report_scope_for(request.user)
    return SubscriptionForm(
        request.POST if request.method == "POST" else None,
        reports=[(k, r.title) for k, r in reports_for(scope).items()],
        choices=report_choices_for(scope),
    )


def _archive(request: AuthenticatedHttpRequest, form: SubscriptionForm) -> HttpResponse:
    subscriptions = subscriptions_for(request.user)
    return render(
        request,
        "outcomes/reports/archive.html",
        {
            "files": report_files_for(request.user)[:50],
            "subscriptions": subscription_rows(subscriptions),
            "form": form,
            "titles": {k: r.title for k, r in REPORTS.items()},
        },
    )


@role_required(*REPORT_ROLES)
def archive(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _archive(request, _subscription_form(request))


@require_POST
@role_required(*REPORT_ROLES)
def subscribe(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = _subscription_form(request)
    if not form.is_valid():
        return _archive(request, form)
    subscription_create(
        user=request.user,
        report=form.cleaned_data["report"],
        frequency=form.cleaned_data["frequency"],
        fmt=form.cleaned_data["fmt"],
        filters=form.filters(),
    )
    return redirect("outcomes:archive")

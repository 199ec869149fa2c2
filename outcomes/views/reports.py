"""The commissioner dashboard, each report's page, and its downloads (plain GET links).
Everything shown comes from ``outcomes.reports.build_disclosed``: aggregates that have
been through disclosure control."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from outcomes import exports
from outcomes.forms import ReportFilterForm
from outcomes.permissions import (
    REPORT_ROLES,
    ReportScope,
    report_choices_for,
    report_scope_for,
)
from outcomes.presenters import data_source, table_views
from outcomes.reports import ReportKind, build_disclosed, report_kind_for, reports_for
from outcomes.reports.base import ReportFilters, default_range
from socialrx.core.audit import audit_record
from socialrx.core.http import AuthenticatedHttpRequest
from socialrx.core.models import AuditAction
from socialrx.core.permissions import role_required
from socialrx.db_routers import replica_status

FILTER_PARAMS = ("start", "end", "period", "service", "pcn", "practice", "group", "neighbourhood")


def _filters(
    request: AuthenticatedHttpRequest, scope: ReportScope, kind: ReportKind | None = None
) -> tuple[ReportFilterForm, ReportFilters]:
    """The filters asked for, or the default (last four quarters, all of the area).
    Any one filter applies on its own (a PCN alone gives that PCN over the default
    dates); a date left out or blank takes its default. The caller passes the scope it
    already has: working it out costs queries. A choice that would change nothing on
    the page (``kind``: one report's; none: the dashboard) is not offered."""
    start, end = default_range()
    data = None
    if any(key in request.GET for key in FILTER_PARAMS):
        data = request.GET.copy()
        for key, default in (("start", start), ("end", end)):
            if not data.get(key, "").strip():
                data[key] = default.isoformat()
    form = ReportFilterForm(
        data, initial={"start": start, "end": end}, choices=report_choices_for(scope)
    )
    if kind is not None and not kind.follows_grouping:
        del form.fields["period"]
    if kind is None or not kind.by_neighbourhood:
        del form.fields["neighbourhood"]
    if data is not None and form.is_valid():
        d = form.cleaned_data
        filters = ReportFilters(
            start=d["start"], end=d["end"], period=d.get("period") or "quarter",
            service=d["service"], pcn=d["pcn"], practice=d["practice"],
            group=d.get("group") or "", neighbourhood=d.get("neighbourhood") or "",
        )  # fmt: skip
    else:
        filters = ReportFilters(start=start, end=end)
    return form, filters


def _links(key: str, filters: ReportFilters) -> dict[str, str]:
    query = urlencode(filters.as_params())
    return {
        fmt: f"{reverse('outcomes:report_download', args=[key, fmt])}?{query}"
        for fmt in exports.FORMATS
    } | {"page": f"{reverse('outcomes:report', args=[key])}?{query}"}


@role_required(*REPORT_ROLES)
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = report_scope_for(request.user)
    form, filters = _filters(request, scope)
    source = data_source(replica_status())  # asked first: a dead replica is set aside
    sections = []
    for key, kind in reports_for(scope).items():
        report = build_disclosed(key, scope=scope, filters=filters)
        views = table_views(report)
        sections.append(
            {"kind": kind, "report": report, "first": views[0], "links": _links(key, filters)}
        )
    return render(
        request,
        "outcomes/reports/dashboard.html",
        {
            "form": form,
            "filters": filters,
            "sections": sections,
            "area": scope.area,
            "data_source": source,
        },
    )


@role_required(*REPORT_ROLES)
def report(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    scope = report_scope_for(request.user)
    kind = report_kind_for(scope, key)
    form, filters = _filters(request, scope, kind)
    source = data_source(replica_status())  # asked first: a dead replica is set aside
    built = build_disclosed(key, scope=scope, filters=filters)
    return render(
        request,
        "outcomes/reports/report.html",
        {
            "form": form,
            "report": built,
            "kind": kind,
            "tables": table_views(built),
            "links": _links(key, filters),
            "data_source": source,
        },
    )


@role_required(*REPORT_ROLES)
def report_download(request: AuthenticatedHttpRequest, key: str, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404("No such report")
    scope = report_scope_for(request.user)
    report_kind_for(scope, key)
    _form, filters = _filters(request, scope)
    if (filters.end - filters.start).days > settings.OUTCOMES_LARGE_REPORT_DAYS:
        # A county's full year and more runs in the worker, with a progress page.
        query = urlencode(filters.as_params() | {"format": fmt})
        return redirect(f"{reverse('outcomes:report_run_start', args=[key])}?{query}")
    built = build_disclosed(key, scope=scope, filters=filters)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type="outcomes.report",
        object_id=key,
        request=request,
        detail={"format": fmt, **filters.as_params()},
    )
    content_type, _ext = exports.FORMATS[fmt]
    response = HttpResponse(exports.render(built, fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(built, fmt)}"'
    return response

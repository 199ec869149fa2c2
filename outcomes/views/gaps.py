"""The gap map (commissioners and service managers) and "needs near you" (VCSE
editors): report pages of their own, built like every report from
``outcomes.reports.build_disclosed`` and downloaded through the same links."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from outcomes.forms import SubscriptionForm
from outcomes.permissions import REPORT_ROLES, report_choices_for, report_scope_for
from outcomes.presenters import heat_grid, table_views
from outcomes.reports import build_disclosed, report_kind_for, reports_for
from outcomes.views.reports import _filters, _links
from socialrx.core.http import AuthenticatedHttpRequest
from socialrx.core.permissions import role_required


def _page(request: AuthenticatedHttpRequest, key: str, template: str) -> HttpResponse:
    scope = report_scope_for(request.user)
    kind = report_kind_for(scope, key)
    form, filters = _filters(request, scope, kind)
    built = build_disclosed(key, scope=scope, filters=filters)
    subscribe = SubscriptionForm(
        initial={"report": key, "group": filters.group, "neighbourhood": filters.neighbourhood},
        reports=[(k, r.title) for k, r in reports_for(scope).items()],
        choices=report_choices_for(scope),
    )
    return render(
        request,
        template,
        {
            "form": form,
            "report": built,
            "kind": kind,
            "tables": table_views(built),
            "links": _links(key, filters),
            "grid": heat_grid(built.tables[0]) if key == "gaps" else None,
            "subscribe": subscribe,
        },
    )


@role_required(*REPORT_ROLES)
def gap_map(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _page(request, "gaps", "outcomes/reports/gap_map.html")


@role_required(*REPORT_ROLES)
def needs_near_you(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _page(request, "needs", "outcomes/reports/needs.html")

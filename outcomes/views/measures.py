"""Outcome measures on a case: the list (a full page, or a fragment the case page loads
with htmx), the form for each measure, and one completed record."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from outcomes import permissions, schedule
from outcomes.forms import MeasureForm
from outcomes.presenters import RecordPresenter, measure_cards
from outcomes.services.measures import (
    follow_up_weeks,
    measure_record_create,
    next_timepoint,
    outside_window_message,
)
from socialrx.core.audit import audit_record
from socialrx.core.forms import add_service_errors
from socialrx.core.http import AuthenticatedHttpRequest
from socialrx.core.models import AuditAction
from socialrx.core.permissions import role_required


@role_required(*permissions.MEASURE_ROLES)
def case_measures(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = permissions.case_for(request.user, case_pk)
    records = list(permissions.measure_records_for_case(request.user, case.pk).with_details())
    cards = measure_cards(
        measures=permissions.measures_for_team(case.team),
        records=records,
        weeks=follow_up_weeks(),
    )
    audit_record(
        actor=request.user,
        action=AuditAction.VIEW,
        obj=case,
        request=request,
        detail={"page": "outcome measures", "records": [r.pk for r in records]},
    )
    context = {"case": case, "cards": cards}
    if getattr(request, "htmx", False):
        return render(request, "outcomes/includes/case_measures.html", context)
    return render(request, "outcomes/case_measures.html", context)


@role_required(*permissions.MEASURE_ROLES)
def measure_record(request: AuthenticatedHttpRequest, case_pk: int, code: str) -> HttpResponse:
    case = permissions.case_for(request.user, case_pk)
    measure = permissions.measure_for_case(case, code)
    point = next_timepoint(case=case, measure=measure)
    if point is None:
        raise Http404("Every scheduled follow-up is recorded")
    items = list(measure.items.order_by("position"))
    window = schedule.window_for(case=case, measure=measure, follow_up_week=point[1])
    outside = window is not None and not window.contains(timezone.localdate())
    form = MeasureForm(
        request.POST or None,
        measure=measure,
        items=items,
        outside_window=outside_window_message(window) if window and outside else "",
    )
    if request.method == "POST" and form.is_valid():
        try:
            measure_record_create(
                case=case,
                measure=measure,
                answers=form.answers(),
                actor=request.user,
                out_of_window_reason=form.out_of_window_reason(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("outcomes:case_measures", case_pk=case.pk)
    audit_record(
        actor=request.user,
        action=AuditAction.VIEW,
        obj=case,
        request=request,
        detail={"page": f"record {measure.code}"},
    )
    timepoint = "Baseline" if point[1] == 0 else f"{point[1]}-week follow-up"
    return render(
        request,
        "outcomes/measure_form.html",
        {
            "case": case,
            "measure": measure,
            "form": form,
            "timepoint": timepoint,
            "window": window,
            "outside": outside,
        },
    )


@role_required(*permissions.MEASURE_ROLES)
def measure_record_detail(request: AuthenticatedHttpRequest, case_pk: int, pk: int) -> HttpResponse:
    records = permissions.measure_records_for_case(request.user, case_pk).with_details()
    record = records.select_related("case").filter(pk=pk).first()
    if record is None:
        raise Http404("No such record")
    audit_record(actor=request.user, action=AuditAction.VIEW, obj=record, request=request)
    return render(
        request,
        "outcomes/measure_record.html",
        {"record": RecordPresenter(record), "measure": record.measure, "case": record.case},
    )

"""Holistic assessments: record one, and see them side by side."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from linkworkers.forms.assessments import AssessmentForm
from linkworkers.permissions import CASE_ROLES, can_work_on_case, case_for
from linkworkers.presenters.assessments import AssessmentComparison
from linkworkers.services.assessments import assessment_record
from socialrx.core.audit import audit_view
from socialrx.core.forms import add_service_errors
from socialrx.core.http import AuthenticatedHttpRequest
from socialrx.core.models import Role
from socialrx.core.permissions import role_required


@role_required(Role.LINK_WORKER)
def assessment_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = case_for(request.user, pk)
    if not can_work_on_case(request.user, case):
        raise PermissionDenied("Only the case's team records assessments")
    audit_view(request=request, obj=case)
    previous = case.assessments.prefetch_related("domains").last()
    form = AssessmentForm(
        request.POST if request.method == "POST" else None,
        previous=previous,
        initial={"assessed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment_record(
                case=case,
                actor=request.user,
                assessed_on=data["assessed_on"],
                what_matters=data["what_matters"],
                goals=data["goals"],
                domains=form.domain_inputs(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Assessment saved")
            return redirect("linkworkers:assessments", pk=case.pk)
    return render(
        request,
        "linkworkers/assessment_form.html",
        {"case": case, "form": form},
        status=400 if form.errors else 200,
    )


@role_required(*CASE_ROLES)
def assessment_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Every assessment of the case side by side, with the change from first to latest."""
    case = case_for(request.user, pk)
    audit_view(request=request, obj=case)
    assessments = list(case.assessments.prefetch_related("domains").select_related("assessed_by"))
    return render(
        request,
        "linkworkers/assessments.html",
        {
            "case": case,
            "assessments": assessments,
            "comparison": AssessmentComparison(assessments),
            "can_work": can_work_on_case(request.user, case) and case.is_open,
        },
    )

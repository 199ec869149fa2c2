"""The support plan: goals, steps, who does what, and their review."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from linkworkers.forms.plans import GoalForm, GoalOutcomeForm
from linkworkers.models import Case
from linkworkers.permissions import CASE_ROLES, can_work_on_case, case_for, goal_of
from linkworkers.presenters.plans import PlanPresenter
from linkworkers.services.plans import plan_goal_add, plan_goal_mark
from socialrx.core.audit import audit_view
from socialrx.core.forms import add_service_errors
from socialrx.core.http import AuthenticatedHttpRequest
from socialrx.core.models import Role
from socialrx.core.permissions import role_required


def _workable_case(request: AuthenticatedHttpRequest, pk: int) -> Case:
    case = case_for(request.user, pk)
    if not can_work_on_case(request.user, case):
        raise PermissionDenied("Only the case's team changes the plan")
    audit_view(request=request, obj=case)
    return case


@role_required(*CASE_ROLES)
def plan_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = case_for(request.user, pk)
    audit_view(request=request, obj=case)
    return render(
        request,
        "linkworkers/plan.html",
        {
            "case": case,
            "plan": PlanPresenter(case),
            "can_work": can_work_on_case(request.user, case) and case.is_open,
        },
    )


@role_required(Role.LINK_WORKER)
def goal_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = _workable_case(request, pk)
    form = GoalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan_goal_add(
                case=case,
                actor=request.user,
                description=data["description"],
                domain=data["domain"],
                review_on=data["review_on"],
                steps=form.steps(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Goal added to the support plan")
            return redirect("linkworkers:plan", pk=case.pk)
    return render(
        request,
        "linkworkers/goal_form.html",
        {"case": case, "form": form},
        status=400 if form.errors else 200,
    )


@role_required(Role.LINK_WORKER)
def goal_outcome(request: AuthenticatedHttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    case = _workable_case(request, pk)
    goal = goal_of(case, goal_pk)
    form = GoalOutcomeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            plan_goal_mark(
                goal=goal,
                actor=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Goal review saved")
            return redirect("linkworkers:plan", pk=case.pk)
    return render(
        request,
        "linkworkers/goal_outcome_form.html",
        {"case": case, "goal": goal, "form": form},
        status=400 if form.errors else 200,
    )

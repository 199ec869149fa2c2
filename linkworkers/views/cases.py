"""My caseload, opening a case, and the team lead's page."""

from __future__ import annotations

from crispy_forms.utils import render_crispy_form
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from linkworkers.forms.cases import CaseloadFilterForm
from linkworkers.permissions import (
    CASE_ROLES,
    LEAD_ROLES,
    can_correct_person_on_case,
    can_work_on_case,
    case_page_for,
    caseload_pages,
    managed_teams_for,
    referral_to_open_for,
    referrals_to_open_list,
)
from linkworkers.presenters.cases import CaseloadRow, CasePresenter
from linkworkers.services.cases import case_open, team_loads
from linkworkers.services.contacts import unable_to_contact_suggested
from referrals.presenters import person_messages_context
from socialrx.core.audit import audit_list, audit_views
from socialrx.core.filter_forms import RenderedFilters
from socialrx.core.http import AuthenticatedHttpRequest
from socialrx.core.links import path_for_each
from socialrx.core.models import Role
from socialrx.core.permissions import role_required

PAGE_SIZE = 25
CASELOAD_FILTERS = RenderedFilters(render_crispy_form)


@role_required(Role.LINK_WORKER)
def caseload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The link worker's open cases with what needs doing next, and referrals to open."""
    user = request.user
    form = CaseloadFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    cases = caseload_pages(
        user,
        today=today,
        status=data.get("status") or "",
        overdue=bool(data.get("overdue")),
        text=data.get("q") or "",
        sort=data.get("sort") or "due",
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    to_open = referrals_to_open_list(user)
    audit_list(
        request=request,
        listing="caseload",
        records=page.object_list,
        person_of=lambda c: c.referral.person_id,
    )
    audit_list(request=request, listing="to_open", records=to_open, person_of=lambda r: r.person_id)
    case_path = path_for_each("linkworkers:case")
    return render(
        request,
        "linkworkers/caseload.html",
        {
            "form": form,
            "filters_html": CASELOAD_FILTERS(form),
            "page": page,
            "rows": [CaseloadRow(case, today, url=case_path(case.pk)) for case in page],
            "to_open": to_open,
        },
    )


@require_POST
@role_required(Role.LINK_WORKER)
def case_open_view(request: AuthenticatedHttpRequest, referral_pk: int) -> HttpResponse:
    referral = referral_to_open_for(request.user, referral_pk)
    try:
        case = case_open(referral=referral, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("linkworkers:caseload")
    messages.success(request, f"Case opened for {referral.reference}")
    return redirect("linkworkers:case", pk=case.pk)


@role_required(*LEAD_ROLES)
def team_caseloads(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Each worker's open cases, overdue work and capacity against their target."""
    loads = team_loads(teams=list(managed_teams_for(request.user)))
    return render(request, "linkworkers/team.html", {"loads": loads})


@role_required(*CASE_ROLES)
def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One case: next actions, the person, the referral, contacts and history."""
    case = case_page_for(request.user, pk)
    audit_views(request=request, objs=[case, case.referral.person])
    return render(
        request,
        "linkworkers/case.html",
        {
            "case": case,
            "presenter": CasePresenter(case),
            "suggest_unable_to_contact": unable_to_contact_suggested(case),
            "unable_to_contact_attempts": settings.LINKWORKERS_UNABLE_TO_CONTACT_ATTEMPTS,
            "unable_to_contact_days": settings.LINKWORKERS_UNABLE_TO_CONTACT_DAYS,
            "can_work": can_work_on_case(request.user, case) and case.is_open,
            "can_correct_person": can_correct_person_on_case(request.user, case),
            **person_messages_context(case.referral),
        },
    )

"""The link worker corrects the person's details from the case (the page is referrals')."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse

from linkworkers.permissions import can_correct_person_on_case, case_for
from referrals.views_people import person_details_page
from socialrx.core.http import AuthenticatedHttpRequest
from socialrx.core.models import Role
from socialrx.core.permissions import role_required


@role_required(Role.LINK_WORKER)
def case_person_details(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = case_for(request.user, pk)
    if not can_correct_person_on_case(request.user, case):
        raise PermissionDenied("Only a link worker of the case's team can change these details")
    return person_details_page(
        request,
        person=case.referral.person,
        back_url=reverse("linkworkers:case", args=[case.pk]),
        back_text=f"Case {case.reference}",
    )

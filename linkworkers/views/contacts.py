"""Recording a contact with the person."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from linkworkers.forms.contacts import ContactForm
from linkworkers.permissions import can_work_on_case, case_for
from linkworkers.services.contacts import contact_record
from socialrx.core.audit import audit_view
from socialrx.core.forms import add_service_errors
from socialrx.core.http import AuthenticatedHttpRequest
from socialrx.core.models import Role
from socialrx.core.permissions import role_required


@role_required(Role.LINK_WORKER)
def contact_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = case_for(request.user, pk)
    if not can_work_on_case(request.user, case):
        raise PermissionDenied("Only the case's team records contacts")
    audit_view(request=request, obj=case)
    now = timezone.localtime()
    form = ContactForm(
        request.POST if request.method == "POST" else None,
        initial={"occurred_on": now.date(), "occurred_time": now.strftime("%H:%M")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            contact = contact_record(case=case, actor=request.user, **form.contact_values())
        except ValidationError as error:
            add_service_errors(form, error, {"occurred_at": "occurred_on"})
        else:
            messages.success(request, "Contact saved" if contact.successful else "Attempt saved")
            return redirect("linkworkers:case", pk=case.pk)
    return render(
        request,
        "linkworkers/contact_form.html",
        {"case": case, "form": form},
        status=400 if form.errors else 200,
    )

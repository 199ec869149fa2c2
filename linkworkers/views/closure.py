"""Closing a case, and the message back to the GP and referrer (HTML and PDF)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from linkworkers.forms.closure import CloseForm
from linkworkers.pdf import message_back_pdf
from linkworkers.permissions import MESSAGE_BACK_ROLES, can_work_on_case, case_for, message_back_for
from linkworkers.presenters.closure import MessageBackPresenter
from linkworkers.services.closure import case_close
from linkworkers.services.contacts import unable_to_contact_suggested
from socialrx.core.audit import audit_record, audit_view, audit_views
from socialrx.core.forms import add_service_errors
from socialrx.core.http import AuthenticatedHttpRequest
from socialrx.core.models import AuditAction, Role
from socialrx.core.permissions import role_required


@role_required(Role.LINK_WORKER)
def case_close_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = case_for(request.user, pk)
    if not can_work_on_case(request.user, case):
        raise PermissionDenied("Only the case's team closes it")
    audit_view(request=request, obj=case)
    if not case.is_open:
        return redirect("linkworkers:message_back", pk=case.pk)
    suggested = "unable_to_contact" if unable_to_contact_suggested(case) else None
    form = CloseForm(
        request.POST if request.method == "POST" else None, initial={"outcome": suggested}
    )
    if request.method == "POST" and form.is_valid():
        try:
            case_close(
                case=case,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                support_summary=form.cleaned_data["support_summary"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Case closed. The referrer has been told.")
            return redirect("linkworkers:message_back", pk=case.pk)
    return render(
        request,
        "linkworkers/close_form.html",
        {"case": case, "form": form},
        status=400 if form.errors else 200,
    )


@role_required(*MESSAGE_BACK_ROLES)
def message_back(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The message back, for the case team, the referring organisation and the practice."""
    message = message_back_for(request.user, pk)
    # The message names the person (name, date of birth, NHS number): a view of both.
    audit_views(request=request, objs=[message, message.case.referral.person])
    return render(
        request,
        "linkworkers/message_back.html",
        {"message": message, "presenter": MessageBackPresenter(message)},
    )


@role_required(*MESSAGE_BACK_ROLES)
def message_back_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    message = message_back_for(request.user, pk)
    for record in (message, message.case.referral.person):
        audit_record(
            actor=request.user,
            action=AuditAction.EXPORT,
            obj=record,
            request=request,
            detail={"format": "pdf"},
        )
    response = HttpResponse(message_back_pdf(message), content_type="application/pdf")
    filename = f"message-back-{message.case.referral.reference}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

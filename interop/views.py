"""The practice inbox (messages back for every patient registered at the user's practice,
not only those the practice referred; any role at the practice may read and file them),
and the launch of a referral from the GP record."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from interop.documents import sections_of
from interop.launch import LaunchRefused, form_initial, verify_launch
from interop.pdf import practice_message_pdf
from interop.permissions import practice_message_for, practice_messages_for, practice_staff
from interop.services import practice_message_file
from referrals.views import referral_prefill, referral_prefill_clear
from socialrx.core.audit import audit_record, audit_views
from socialrx.core.http import AuthenticatedHttpRequest
from socialrx.core.models import AuditAction, Role
from socialrx.core.permissions import role_required

PAGE_SIZE = 25


def _require_practice_staff(request: AuthenticatedHttpRequest) -> None:
    if not practice_staff(request.user):
        raise PermissionDenied("Only staff of a GP practice have a practice inbox.")


@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_practice_staff(request)
    show_all = request.GET.get("show") == "all"
    messages = practice_messages_for(request.user).select_related("referral__person", "practice")
    if not show_all:
        messages = messages.unfiled()
    page = Paginator(messages, PAGE_SIZE).get_page(request.GET.get("page"))
    # The list names people: each person shown is a view of their record.
    audit_views(request=request, objs=[m.referral.person for m in page])
    return render(request, "interop/inbox.html", {"page": page, "show_all": show_all})


@login_required
def inbox_message(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_practice_staff(request)
    message = practice_message_for(request.user, pk)
    audit_views(request=request, objs=[message, message.referral.person])
    return render(
        request,
        "interop/inbox_message.html",
        {"message": message, "sections": sections_of(message.document)},
    )


@login_required
def inbox_message_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_practice_staff(request)
    message = practice_message_for(request.user, pk)
    audit_record(actor=request.user, action=AuditAction.EXPORT, obj=message, request=request)
    response = HttpResponse(practice_message_pdf(message), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="message-{message.uuid}.pdf"'
    return response


@require_POST
@login_required
def inbox_message_file(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_practice_staff(request)
    message = practice_message_for(request.user, pk)
    practice_message_file(message=message, actor=request.user)
    return redirect("interop:inbox")


@role_required(Role.REFERRER)
def gp_launch(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Open the referral form pre-filled from a signed launch link from the GP record.
    A bad, expired or foreign link is refused with a page saying why; nothing is kept."""
    referral_prefill_clear(request)
    try:
        practice, context = verify_launch(
            practice_code=request.GET.get("practice", ""),
            ctx=request.GET.get("ctx", ""),
            sig=request.GET.get("sig", ""),
        )
        if practice not in request.user.organisations_with_role(Role.REFERRER):
            raise LaunchRefused("This launch link is for a practice you do not refer for.")
    except LaunchRefused as refused:
        return render(request, "interop/launch_refused.html", {"reason": str(refused)}, status=400)
    clinician = str(context.get("clinician") or "")[:100]
    referral_prefill(
        request,
        initial=form_initial(practice, context),
        note=f"Details from the GP record at {practice.name}"
        + (f", opened by {clinician}." if clinician else "."),
    )
    return redirect("referrals:create")

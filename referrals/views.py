"""Thin views: check the role, reach data through ``referrals.permissions``, call a service."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from referrals import codes
from referrals.forms import (
    AssignForm,
    DeclineForm,
    ProvideInfoForm,
    QueueFilterForm,
    RedirectForm,
    ReferralForm,
    RequestInfoForm,
)
from referrals.models import Referral
from referrals.permissions import (
    REFERRAL_ROLES,
    can_answer_info_request,
    identity_conflicts_for,
    open_referrals_for_nhs_number,
    possible_duplicate_for,
    possible_duplicates_for,
    referral_for,
    referral_made_by_for,
    referral_submitted_with_key,
    referrals_made_by_organisations_of,
    triage_queue_pages,
    triage_referral_for,
)
from referrals.presenters import (
    QueueRow,
    ReferralPresenter,
    answer_rows,
    person_messages_context,
    person_rows,
)
from referrals.services import (
    IdempotencyConflict,
    link_worker_loads,
    person_keep_apart,
    person_merge,
    referral_assign,
    referral_confirm_consent,
    referral_decline,
    referral_provide_info,
    referral_redirect,
    referral_request_info,
    referral_submit,
    teams_for_service,
)
from socialrx.core.audit import audit_list, audit_views
from socialrx.core.filter_forms import RenderedFilters
from socialrx.core.forms import add_service_errors
from socialrx.core.http import AuthenticatedHttpRequest
from socialrx.core.links import path_for_each
from socialrx.core.models import Role, User
from socialrx.core.permissions import role_required

PAGE_SIZE = 25
QUEUE_FILTERS = RenderedFilters(
    lambda form: render_to_string("referrals/triage/queue_filters.html", {"filters": form}).strip()
)
DRAFT_SESSION_KEY = "referral-draft-{}"
DRAFT_TOKEN = re.compile(r"[0-9a-f]{32}")
PREFILL_SESSION_KEY = "referral-prefill"


def referral_prefill(request: HttpRequest, *, initial: dict[str, Any], note: str) -> None:
    """Pre-fill the next referral form this user opens, once (a launch from the GP
    record). ``initial`` holds form field names and JSON values; ``note`` says where the
    details came from, shown above the form so the referrer checks them."""
    request.session[PREFILL_SESSION_KEY] = {"initial": initial, "note": note}


def referral_prefill_clear(request: HttpRequest) -> None:
    request.session.pop(PREFILL_SESSION_KEY, None)


def _draft(request: AuthenticatedHttpRequest, token: str) -> MultiValueDict[str, str] | None:
    stored = request.session.get(DRAFT_SESSION_KEY.format(token))
    return MultiValueDict(stored) if stored is not None else None


@role_required(Role.REFERRER)
def referral_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The referral on one page; answers are kept in the session until checked.

    The form carries a one-time token from its first display (in its address): answers sent
    again under a token already used (going back after sending) find the referral already
    sent rather than making a second one.
    """
    user: User = request.user
    token = request.GET.get("draft", "")
    if not DRAFT_TOKEN.fullmatch(token):
        token = ""
    if token and request.method == "POST":
        submitted = referral_submitted_with_key(user, token)
        if submitted is not None:
            messages.info(request, f"You have already sent this referral ({submitted.reference})")
            return redirect("referrals:detail", pk=submitted.pk)
    data = request.POST if request.method == "POST" else _draft(request, token)
    prefill = request.session.pop(PREFILL_SESSION_KEY, None) if data is None else None
    form = ReferralForm(data, referrer=user, initial=prefill["initial"] if prefill else None)
    if request.method == "POST" and form.is_valid():
        token = token or uuid.uuid4().hex
        request.session[DRAFT_SESSION_KEY.format(token)] = {
            key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"
        }
        return redirect("referrals:check", token=token)
    return render(
        request,
        "referrals/create.html",
        {
            "form": form,
            "token": token or uuid.uuid4().hex,
            "prefill_note": prefill["note"] if prefill else "",
        },
    )


@role_required(Role.REFERRER)
def referral_check(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    """Check your answers, then submit. The token makes a double click store one referral;
    open referrals for the same NHS number are shown first, with links, before sending."""
    user: User = request.user
    data = _draft(request, token)
    if data is None:
        # Already submitted (a second click after the draft was cleared): show that one.
        submitted = referral_submitted_with_key(user, token)
        if submitted is not None:
            return redirect("referrals:detail", pk=submitted.pk)
        messages.info(request, "Your answers have expired. Please start again.")
        return redirect("referrals:create")
    form = ReferralForm(data, referrer=user)
    if not form.is_valid():
        return redirect(reverse("referrals:create") + f"?draft={token}")
    if request.method == "POST":
        try:
            result = referral_submit(
                data=form.referral_input(),
                referrer=user,
                organisation=form.cleaned_data["organisation"],
                idempotency_key=token,
            )
        except (ValidationError, IdempotencyConflict) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect(reverse("referrals:create") + f"?draft={token}")
        request.session.pop(DRAFT_SESSION_KEY.format(token), None)
        messages.success(request, f"Referral {result.referral.reference} sent")
        return redirect("referrals:detail", pk=result.referral.pk)
    change_url = reverse("referrals:create") + f"?draft={token}"
    open_referrals = list(open_referrals_for_nhs_number(user, form.cleaned_data["nhs_number"]))
    # The warning names each open referral: a list of them shown to the referrer.
    audit_list(
        request=request,
        listing="open_referrals_warning",
        records=open_referrals,
        person_of=lambda r: r.person_id,
    )
    return render(
        request,
        "referrals/check.html",
        {
            "answers": answer_rows(form, change_url),
            "token": token,
            "open_referrals": [ReferralPresenter(r) for r in open_referrals],
        },
    )


@role_required(Role.REFERRER)
def referral_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Referrals made by the user's organisations, newest first, with current status."""
    user: User = request.user
    referrals = referrals_made_by_organisations_of(user).with_list_details()
    status = request.GET.get("status", "")
    if status in codes.Status.values:
        referrals = referrals.matching(status=status)
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_list(
        request=request,
        listing="referrer",
        records=page.object_list,
        person_of=lambda r: r.person_id,
    )
    return render(
        request,
        "referrals/list.html",
        {
            "page": page,
            "rows": [ReferralPresenter(r) for r in page],
            "statuses": codes.Status.choices,
            "status": status,
        },
    )


def _detail_page(
    request: AuthenticatedHttpRequest, referral: Referral, info_form: ProvideInfoForm | None = None
) -> HttpResponse:
    audit_views(request=request, objs=[referral, referral.person])
    can_answer = can_answer_info_request(request.user, referral)
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "presenter": ReferralPresenter(referral),
            "person_rows": person_rows(referral.person),
            "info_form": (info_form or ProvideInfoForm()) if can_answer else None,
        },
        status=400 if info_form is not None and info_form.errors else 200,
    )


@role_required(*REFERRAL_ROLES)
def referral_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One referral, its person and its history: the referrer's closed loop."""
    referral = referral_for(request.user, pk)
    return _detail_page(request, referral)


@require_POST
@role_required(Role.REFERRER)
def referral_provide_info_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The referrer answers the triage team's question from the referral page."""
    user: User = request.user
    referral = referral_made_by_for(user, pk)
    if not can_answer_info_request(user, referral):
        # Most often a colleague answered first, or a second click: say so, plainly.
        messages.info(request, "This referral is not waiting for more information")
        return redirect("referrals:detail", pk=referral.pk)
    form = ProvideInfoForm(request.POST)
    if form.is_valid():
        try:
            referral_provide_info(referral=referral, actor=user, answer=form.cleaned_data["answer"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Your answer was sent to {referral.triage_service}")
            return redirect("referrals:detail", pk=referral.pk)
    # Read again with its history (and its actors) loaded, as the detail page does.
    return _detail_page(request, referral_for(user, referral.pk), info_form=form)


@role_required(Role.TRIAGE_LEAD)
def triage_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The service's queue, urgent first and then oldest, with urgency and waiting time."""
    filters = QueueFilterForm(request.GET)
    data = filters.cleaned_data if filters.is_valid() else {}
    referrals = triage_queue_pages(
        request.user,
        urgency=data.get("urgency", ""),
        source=data.get("source", ""),
        reason=data.get("reason", ""),
    )
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_list(
        request=request,
        listing="triage",
        records=page.object_list,
        person_of=lambda r: r.person_id,
    )
    detail_path = path_for_each("referrals:triage_detail")
    now = timezone.now()
    return render(
        request,
        "referrals/triage/queue.html",
        {
            "page": page,
            "rows": [QueueRow(r, now, url=detail_path(r.pk)) for r in page],
            "filters": filters,
            "filters_html": QUEUE_FILTERS(filters),
        },
    )


def _triage_forms(referral: Referral, bound: dict[str, Form]) -> dict[str, Form]:
    service = referral.triage_service
    forms: dict[str, Form] = {
        "assign_form": AssignForm(
            teams=teams_for_service(service), loads=link_worker_loads(service=service)
        ),
        "decline_form": DeclineForm(),
        "redirect_form": RedirectForm(current=service),
        "info_form": RequestInfoForm(),
    }
    forms.update(bound)
    return forms


def _triage_page(
    request: AuthenticatedHttpRequest, referral: Referral, **bound: Form
) -> HttpResponse:
    # The possible duplicates are people too: each shown is a view of their record.
    duplicates = list(possible_duplicates_for(request.user, referral.person))
    conflicts = list(identity_conflicts_for(request.user, referral.person))
    audit_views(request=request, objs=[referral, referral.person, *duplicates, *conflicts])
    context = {
        "referral": referral,
        "presenter": ReferralPresenter(referral),
        "person_rows": person_rows(referral.person),
        "duplicates": duplicates,
        "conflicts": conflicts,
        **person_messages_context(referral),
        **_triage_forms(referral, bound),
    }
    return render(request, "referrals/triage/detail.html", context)


@role_required(Role.TRIAGE_LEAD)
def triage_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = triage_referral_for(request.user, pk, page=True)
    return _triage_page(request, referral)


def _triage_action(
    request: AuthenticatedHttpRequest,
    pk: int,
    name: str,
    form: Form | Callable[[Referral], Form],
    act: Callable[[Referral, dict[str, Any]], object],
) -> HttpResponse:
    """Validate the form, run the service, and show the page again with any errors."""
    referral = triage_referral_for(request.user, pk)
    bound = form(referral) if callable(form) else form
    if bound.is_valid():
        try:
            act(referral, bound.cleaned_data)
        except ValidationError as error:
            add_service_errors(bound, error)
        else:
            messages.success(request, f"Referral {referral.reference} updated")
            return redirect("referrals:triage")
    # Shown again with its errors: read with everything the page shows.
    page = triage_referral_for(request.user, pk, page=True)
    return _triage_page(request, page, **{name: bound})


@require_POST
@role_required(Role.TRIAGE_LEAD)
def triage_assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def form(referral: Referral) -> AssignForm:
        service = referral.triage_service
        return AssignForm(
            request.POST,
            teams=teams_for_service(service),
            loads=link_worker_loads(service=service),
        )

    return _triage_action(
        request,
        pk,
        "assign_form",
        form,
        lambda referral, data: referral_assign(
            referral=referral,
            team=data["team"],
            link_worker=data["link_worker"],
            actor=request.user,
            note=data["note"],
        ),
    )


@require_POST
@role_required(Role.TRIAGE_LEAD)
def triage_decline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _triage_action(
        request,
        pk,
        "decline_form",
        DeclineForm(request.POST),
        lambda referral, data: referral_decline(referral=referral, actor=request.user, **data),
    )


@require_POST
@role_required(Role.TRIAGE_LEAD)
def triage_redirect(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _triage_action(
        request,
        pk,
        "redirect_form",
        lambda referral: RedirectForm(request.POST, current=referral.triage_service),
        lambda referral, data: referral_redirect(referral=referral, actor=request.user, **data),
    )


@require_POST
@role_required(Role.TRIAGE_LEAD)
def triage_request_info(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _triage_action(
        request,
        pk,
        "info_form",
        RequestInfoForm(request.POST),
        lambda referral, data: referral_request_info(referral=referral, actor=request.user, **data),
    )


@require_POST
@role_required(Role.TRIAGE_LEAD)
def triage_duplicate(request: AuthenticatedHttpRequest, pk: int, other_pk: int) -> HttpResponse:
    """Merge the referral's person with a possible duplicate, or record them as different."""
    referral = triage_referral_for(request.user, pk)
    other = possible_duplicate_for(request.user, referral.person, other_pk)
    if request.POST.get("decision") == "merge":
        person_merge(keep=other, merge=referral.person, actor=request.user)
        messages.success(request, "Records merged")
    else:
        person_keep_apart(person=referral.person, other=other, actor=request.user)
        messages.success(request, "Recorded as different people")
    return redirect("referrals:triage_detail", pk=referral.pk)


@require_POST
@role_required(Role.TRIAGE_LEAD, Role.LINK_WORKER)
def referral_confirm_consent_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Triage or the link worker records the consent a GP system's referral came without."""
    referral = referral_for(request.user, pk)
    try:
        referral_confirm_consent(referral=referral, actor=request.user)
        messages.success(request, "Consent recorded.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("referrals:detail", args=[referral.pk])
    return redirect(target)

"""Correcting a person's details: one page, reached from the referral (triage) and from the
case (link worker, ``linkworkers.views.people``); each caller checks who may use it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from referrals.forms import PersonDetailsForm, TriagePersonDetailsForm
from referrals.models import Person
from referrals.notifications import undelivered_to_person
from referrals.permissions import can_correct_person_from_referral, triage_referral_for
from referrals.presenters import details_history
from referrals.services import person_update_details
from socialrx.core.audit import audit_view
from socialrx.core.forms import add_service_errors
from socialrx.core.http import AuthenticatedHttpRequest
from socialrx.core.models import Role
from socialrx.core.permissions import role_required
from socialrx.core.presenters import message_presenters


def person_details_page(
    request: AuthenticatedHttpRequest,
    *,
    person: Person,
    back_url: str,
    back_text: str,
    form_class: type[PersonDetailsForm] = PersonDetailsForm,
) -> HttpResponse:
    """The form and the history of corrections; a valid change goes through the service
    (history and audit) and returns to where the user came from."""
    audit_view(request=request, obj=person)
    form = form_class(request.POST if request.method == "POST" else None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            event = person_update_details(
                person=person,
                actor=request.user,
                details=form.details(),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)  # type: ignore[arg-type]  # a ModelForm
        else:
            messages.success(
                request, "Details updated" if event is not None else "No details were changed"
            )
            return redirect(back_url)
    history = details_history(person.detail_events.select_related("actor"))
    return render(
        request,
        "referrals/person_details.html",
        {
            "person": person,
            "form": form,
            "history": history,
            "back_url": back_url,
            "back_text": back_text,
            # Numbers and addresses that did not work, and when: what to correct.
            "undelivered": message_presenters(undelivered_to_person(person)),
        },
        status=400 if form.errors else 200,
    )


@role_required(Role.TRIAGE_LEAD)
def triage_person_details(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The triage lead corrects the referred person's details (say, a missing postcode)."""
    referral = triage_referral_for(request.user, pk)
    if not can_correct_person_from_referral(request.user, referral):
        raise PermissionDenied("Only the triage team can change these details here")
    return person_details_page(
        request,
        person=referral.person,
        back_url=reverse("referrals:triage_detail", args=[referral.pk]),
        back_text=f"Referral {referral.reference}",
        form_class=TriagePersonDetailsForm,
    )

"""The payment evidence extract: a page saying what the file holds with the period to
choose, and the streamed CSV (``outcomes.payments_evidence``). Commissioners only, for
their own tariffs; everyone else 403. Record-level, so the file asks for the password
or second factor again after a while (as the referral extract does), and each download
is audited."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse

from outcomes import payments_evidence
from outcomes.forms import DateInput
from outcomes.permissions import report_scope_for
from outcomes.reports.base import ReportFilters, default_range
from socialrx.core.audit import audit_record
from socialrx.core.http import AuthenticatedHttpRequest
from socialrx.core.models import AuditAction, Role
from socialrx.core.permissions import role_required
from socialrx.core.signin import recent_authentication_required


class PeriodForm(forms.Form):
    start = forms.DateField(
        label="From",
        widget=DateInput,
        error_messages={"required": "Enter the first day"},
    )
    end = forms.DateField(
        label="To", widget=DateInput, error_messages={"required": "Enter the last day"}
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_action = reverse("outcomes:payment_evidence_csv")
        self.helper.add_input(Submit("submit", "Download the payment evidence (CSV)"))

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end date must be on or after the start date")
        return data


def _page(request: AuthenticatedHttpRequest, form: PeriodForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "outcomes/payment_evidence.html",
        {"form": form, "columns": payments_evidence.COLUMNS},
        status=status,
    )


@role_required(Role.COMMISSIONER)
def payment_evidence_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    start, end = default_range()
    return _page(request, PeriodForm(initial={"start": start, "end": end}))


@role_required(Role.COMMISSIONER)
@recent_authentication_required
def payment_evidence_csv(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    form = PeriodForm(request.GET)
    if not form.is_valid():
        # Dates typed wrong come back to the page with the errors, never a broken file.
        return _page(request, form, status=400)
    filters = ReportFilters(start=form.cleaned_data["start"], end=form.cleaned_data["end"])
    commissioners = [o.pk for o in request.user.organisations_with_role(Role.COMMISSIONER)]
    tariffs = payments_evidence.commissioned_tariffs(commissioners, filters)
    scope = report_scope_for(request.user)
    # One entry for the file, before the first byte: the rows are not known yet.
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type="outcomes.payment_evidence",
        request=request,
        detail={
            "export": "payment_evidence",
            "format": "csv",
            **filters.as_params(),
            "tariffs": [t.pk for t in tariffs],
        },
    )
    response = StreamingHttpResponse(
        payments_evidence.stream(scope, filters, tariffs), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{payments_evidence.filename(filters)}"'
    )
    response["Cache-Control"] = "no-store"
    return response

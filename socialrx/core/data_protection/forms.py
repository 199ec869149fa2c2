"""Forms for the information governance pages."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone

from socialrx.core.data_protection.models import (
    RightsDecision,
    RightsRequest,
    RightsRequestKind,
)


class RightsRequestForm(forms.ModelForm):
    person_id = forms.IntegerField(
        label="Person record number",
        min_value=1,
        help_text="The number at the end of the person's record address.",
    )

    class Meta:
        model = RightsRequest
        fields = ("kind", "received_on", "request_detail", "decision", "reason")
        labels = {"kind": "What the person asked for", "received_on": "Date received"}
        widgets = {"received_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget = forms.RadioSelect(choices=RightsRequestKind.choices)
        self.fields["decision"].widget = forms.RadioSelect(choices=RightsDecision.choices)
        self.fields["reason"].help_text = (
            "Required with a decision. For a refusal give the exemption, for example "
            "UK GDPR Article 17(3)(c), public health."
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Record request"))

    def clean_received_on(self) -> Any:
        received = self.cleaned_data["received_on"]
        if received > timezone.localdate():
            raise forms.ValidationError("Date received must be today or in the past")
        return received

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decision = data.get("decision")
        if decision and decision != RightsDecision.PENDING and not data.get("reason", "").strip():
            self.add_error("reason", "Enter the reason for the decision")
        return data


class SubjectAccessForm(forms.Form):
    person_id = forms.IntegerField(label="Person record number", min_value=1)
    format = forms.ChoiceField(
        label="Format",
        choices=[("pdf", "Readable PDF"), ("json", "Machine-readable JSON")],
        widget=forms.RadioSelect,
        initial="pdf",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.add_input(Submit("submit", "Download"))

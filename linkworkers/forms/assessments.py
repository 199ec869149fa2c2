from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout, Submit
from django import forms

from linkworkers import codes
from linkworkers.models import Assessment
from linkworkers.services.assessments import DomainInput
from socialrx.core.widgets import NHSDateField

NEED_CHOICES = [(str(value), label) for value, label in codes.NeedLevel.choices]


class AssessmentForm(forms.Form):
    """One fieldset per life domain: the need level, and strengths in the person's words.

    The previous assessment's need level is given as a hint, so change is easy to see
    while talking, without prefilling an answer the person has not given today."""

    assessed_on = NHSDateField(
        label="Date of the assessment",
        help_text="For example, 15 3 2026",
        error_messages={"required": "Enter the date of the assessment"},
    )
    what_matters = forms.CharField(
        label="What matters to the person",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In their own words.",
    )

    def __init__(self, *args: Any, previous: Assessment | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        before = {d.domain: d for d in previous.domains.all()} if previous else {}
        fieldsets = []
        for domain, label in codes.LifeDomain.choices:
            last = before.get(domain)
            hint = f"Last time: {last.get_need_level_display().lower()}." if last else ""
            self.fields[f"need_{domain}"] = forms.ChoiceField(
                label="Level of need",
                choices=NEED_CHOICES,
                widget=forms.RadioSelect,
                help_text=hint,
                error_messages={"required": f"Select the level of need for {label.lower()}"},
            )
            self.fields[f"strengths_{domain}"] = forms.CharField(
                label="Strengths and assets",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="In the person's words: what they are good at, who and what helps.",
            )
            fieldsets.append(Fieldset(label, Field(f"need_{domain}"), Field(f"strengths_{domain}")))
        self.fields["goals"] = forms.CharField(
            label="The person's goals",
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text="What they would like to change, in their words.",
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("assessed_on"),
            Field("what_matters"),
            *fieldsets,
            Field("goals"),
            Submit("save", "Save assessment"),
        )

    def domain_inputs(self) -> list[DomainInput]:
        data = self.cleaned_data
        return [
            DomainInput(
                domain=domain,
                need_level=int(data[f"need_{domain}"]),
                strengths=data.get(f"strengths_{domain}", ""),
            )
            for domain in codes.LifeDomain.values
        ]

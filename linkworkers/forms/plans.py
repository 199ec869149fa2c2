from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout, Submit
from django import forms

from linkworkers import codes
from linkworkers.services.plans import GOAL_OUTCOMES, StepInput
from socialrx.core.widgets import NHSDateField

STEPS = 3


class GoalForm(forms.Form):
    description = forms.CharField(
        label="Goal",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="As the person put it, for example, 'Get out of the house twice a week'.",
        error_messages={"required": "Enter the goal"},
    )
    domain = forms.ChoiceField(
        label="Part of life (optional)",
        required=False,
        choices=[("", "Choose a part of life"), *codes.LifeDomain.choices],
    )
    review_on = NHSDateField(
        label="Review date",
        help_text="When you will look at this goal together, for example, 15 4 2026",
        error_messages={"required": "Enter the review date"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fieldsets = []
        for n in range(1, STEPS + 1):
            self.fields[f"step_{n}"] = forms.CharField(
                label="What will be done", required=False, max_length=300
            )
            self.fields[f"step_{n}_owner"] = forms.ChoiceField(
                label="Who will do it",
                required=False,
                choices=[("", "Choose who"), *codes.StepOwner.choices],
            )
            self.fields[f"step_{n}_owner_name"] = forms.CharField(
                label="Name (optional)", required=False, max_length=150
            )
            fieldsets.append(
                Fieldset(
                    f"Step {n}",
                    Field(f"step_{n}"),
                    Field(f"step_{n}_owner"),
                    Field(f"step_{n}_owner_name"),
                )
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("description"),
            Field("domain"),
            Field("review_on"),
            *fieldsets,
            Submit("save", "Save goal"),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(1, STEPS + 1):
            if data.get(f"step_{n}") and not data.get(f"step_{n}_owner"):
                self.add_error(f"step_{n}_owner", f"Select who will do step {n}")
        if not any(data.get(f"step_{n}") for n in range(1, STEPS + 1)):
            self.add_error("step_1", "Enter at least one step")
        return data

    def steps(self) -> list[StepInput]:
        data = self.cleaned_data
        return [
            StepInput(
                description=data[f"step_{n}"],
                owner=data[f"step_{n}_owner"],
                owner_name=data.get(f"step_{n}_owner_name", ""),
            )
            for n in range(1, STEPS + 1)
            if data.get(f"step_{n}")
        ]


class GoalOutcomeForm(forms.Form):
    status = forms.ChoiceField(
        label="How far was the goal achieved?",
        choices=[(s.value, s.label) for s in GOAL_OUTCOMES],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how far the goal was achieved"},
    )
    note = forms.CharField(
        label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("save", "Save"))

from __future__ import annotations

import datetime
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout, Submit
from django import forms
from django.utils import timezone

from linkworkers import codes
from socialrx.core.widgets import NHSDateField

TIME_HINT = "Use the 24-hour clock, for example, 14:30"


class ContactForm(forms.Form):
    successful = forms.TypedChoiceField(
        label="Did you speak to the person?",
        choices=[("yes", "Yes, we spoke"), ("no", "No, I could not reach them")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you spoke to the person"},
    )
    occurred_on = NHSDateField(
        label="Date",
        help_text="For example, 15 3 2026",
        error_messages={"required": "Enter the date of the contact"},
    )
    occurred_time = forms.TimeField(
        label="Time",
        help_text=TIME_HINT,
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "nhsuk-input--width-5"}),
        error_messages={"required": "Enter the time of the contact", "invalid": TIME_HINT},
    )
    mode = forms.ChoiceField(
        label="How",
        choices=codes.ContactMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you contacted the person"},
    )
    duration_minutes = forms.IntegerField(
        label="Duration in minutes",
        required=False,
        min_value=1,
        max_value=720,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-3", "inputmode": "numeric"}),
        help_text="For a conversation",
    )
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Private to your team. Never shown to the referrer or to services.",
    )
    next_appointment_on = NHSDateField(
        label="Next appointment (optional)", required=False, help_text="For example, 22 3 2026"
    )
    next_appointment_time = forms.TimeField(
        label="Next appointment time",
        required=False,
        help_text=TIME_HINT,
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "nhsuk-input--width-5"}),
        error_messages={"invalid": TIME_HINT},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("successful"),
            Fieldset("When", Field("occurred_on"), Field("occurred_time")),
            Field("mode"),
            Field("duration_minutes"),
            Field("note"),
            Fieldset(
                "Next appointment", Field("next_appointment_on"), Field("next_appointment_time")
            ),
            Submit("save", "Save contact"),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("successful") and not data.get("duration_minutes"):
            self.add_error("duration_minutes", "Enter how long you spoke for, in minutes")
        if data.get("next_appointment_on") and not data.get("next_appointment_time"):
            self.add_error("next_appointment_time", "Enter the time of the next appointment")
        return data

    @staticmethod
    def _moment(day: datetime.date | None, time: datetime.time | None) -> datetime.datetime | None:
        if day is None or time is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(day, time))

    def contact_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "occurred_at": self._moment(data["occurred_on"], data["occurred_time"]),
            "mode": data["mode"],
            "successful": data["successful"],
            "duration_minutes": data.get("duration_minutes"),
            "note": data.get("note", ""),
            "next_appointment_at": self._moment(
                data.get("next_appointment_on"), data.get("next_appointment_time")
            ),
        }

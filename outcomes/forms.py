"""Forms on the NHS.UK crispy pack: ``{% crispy form %}`` renders them."""

from __future__ import annotations

from typing import Any

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout, Submit
from django import forms

from outcomes.models import Measure, MeasureItem
from outcomes.reports import REPORTS
from outcomes.reports.gaps import NEIGHBOURHOODS
from outcomes.reports.groups import group_choices
from socialrx.core.models import Organisation

FILTER_KEYS = ("service", "pcn", "practice")

# More answer options than this are laid out inline (ONS4's 0-10), fewer stacked.
INLINE_FROM = 6


class MeasureForm(forms.Form):
    """One radio group per item of the measure, in the published order and wording."""

    def __init__(
        self,
        *args: Any,
        measure: Measure,
        items: list[MeasureItem],
        outside_window: str = "",
        **kwargs: Any,
    ):
        """``outside_window`` says why today is outside the timepoint's window: the form
        then asks for the reason (outcomes.services.measures checks it is given)."""
        super().__init__(*args, **kwargs)
        self.measure = measure
        layout = []
        for item in items:
            self.fields[item.code] = forms.TypedChoiceField(
                label=item.text,
                choices=[(value, label) for value, label in item.answers],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": f"Select an answer to '{item.text}'"},
            )
            inline = len(item.answers) > INLINE_FROM
            layout.append(InlineRadios(item.code) if inline else Field(item.code))
        if outside_window:
            self.fields["out_of_window_reason"] = forms.CharField(
                label="Why are you recording it outside its window?",
                help_text=outside_window,
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=1000,
                error_messages={"required": "Give the reason for recording it outside its window"},
            )
            layout.append(Field("out_of_window_reason"))
        self.helper = FormHelper()
        self.helper.layout = Layout(*layout)
        self.helper.add_input(Submit("submit", f"Save {measure.short_name}"))

    def answers(self) -> dict[str, int]:
        return {
            code: int(value)
            for code, value in self.cleaned_data.items()
            if code != "out_of_window_reason"
        }

    def out_of_window_reason(self) -> str:
        return str(self.cleaned_data.get("out_of_window_reason", ""))


class DateInput(forms.DateInput):
    """A native date box, which takes and shows only ISO dates (2026-04-01): Django's
    default format for the locale (01/04/2026) leaves it blank."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class ReportFilterForm(forms.Form):
    """Date range, grouping and filters for a report, read from the query string so
    every report and download is a plain GET link."""

    start = forms.DateField(label="From", widget=DateInput)
    end = forms.DateField(label="To", widget=DateInput)
    period = forms.ChoiceField(
        label="Group by",
        help_text="For the activity report; the other reports say how they are grouped.",
        choices=[("quarter", "Quarter"), ("month", "Month")],
        initial="quarter",
        required=False,
    )
    # Querysets are set per user in __init__ (the services, PCNs and practices of the area).
    service: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="Link worker service", queryset=None, required=False, empty_label="All"
    )
    pcn: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="PCN", queryset=None, required=False, empty_label="All"
    )
    practice: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="GP practice", queryset=None, required=False, empty_label="All"
    )
    group = forms.ChoiceField(label="Population group", choices=group_choices, required=False)
    neighbourhood = forms.ChoiceField(
        label="Neighbourhoods",
        help_text="LSOAs where the postcode lookup is imported (import_postcode_lsoa).",
        choices=NEIGHBOURHOODS,
        required=False,
    )

    def __init__(self, *args: Any, choices: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in choices.items():
            self.fields[name].queryset = queryset  # type: ignore[attr-defined]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.add_input(Submit("submit", "Show report"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end date must be on or after the start date")
        return data


class SubscriptionForm(forms.Form):
    report = forms.ChoiceField(label="Report", choices=[])
    frequency = forms.ChoiceField(
        label="How often", choices=[("monthly", "Monthly"), ("quarterly", "Quarterly")],
        widget=forms.RadioSelect,
    )  # fmt: skip
    fmt = forms.ChoiceField(
        label="Format",
        choices=[("xlsx", "Excel"), ("csv", "CSV"), ("pdf", "PDF")],
        widget=forms.RadioSelect,
        initial="xlsx",
    )

    # Applied each time the scheduled report runs; the choices are those of the user's
    # area (as on the report pages), set in __init__.
    service: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="Link worker service", queryset=None, required=False,
        empty_label="All in your area",
    )  # fmt: skip
    pcn: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="PCN", queryset=None, required=False, empty_label="All in your area"
    )
    practice: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="GP practice", queryset=None, required=False, empty_label="All in your area"
    )
    group = forms.ChoiceField(label="Population group", choices=group_choices, required=False)
    neighbourhood = forms.ChoiceField(
        label="Neighbourhoods (gap map)", choices=NEIGHBOURHOODS, required=False
    )

    def __init__(
        self, *args: Any, reports: list[tuple[str, str]], choices: dict[str, Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["report"].choices = reports  # type: ignore[attr-defined]
        if not any(REPORTS[key].by_neighbourhood for key, _ in reports):
            del self.fields["neighbourhood"]
        for name, queryset in choices.items():
            self.fields[name].queryset = queryset  # type: ignore[attr-defined]
        self.helper = FormHelper()
        self.helper.form_action = "outcomes:subscribe"
        self.helper.add_input(Submit("submit", "Subscribe"))

    def filters(self) -> dict[str, int | str]:
        """The chosen filters as ids (and the population group's key), as the
        subscription stores them."""
        chosen: dict[str, int | str] = {
            key: self.cleaned_data[key].pk
            for key in FILTER_KEYS
            if self.cleaned_data.get(key) is not None
        }
        for key in ("group", "neighbourhood"):
            if self.cleaned_data.get(key):
                chosen[key] = self.cleaned_data[key]
        return chosen

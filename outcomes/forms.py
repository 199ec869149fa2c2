"""Forms on the NHS.UK crispy pack: ``{% crispy form %}`` renders them."""

from __future__ import annotations

from typing import Any

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout, Submit
from django import forms

from outcomes.models import Measure, MeasureItem

# More answer options than this are laid out inline (ONS4's 0-10), fewer stacked.
INLINE_FROM = 6


class MeasureForm(forms.Form):
    """One radio group per item of the measure, in the published order and wording."""

    def __init__(self, *args: Any, measure: Measure, items: list[MeasureItem], **kwargs: Any):
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
        self.helper = FormHelper()
        self.helper.layout = Layout(*layout)
        self.helper.add_input(Submit("submit", f"Save {measure.short_name}"))

    def answers(self) -> dict[str, int]:
        return {code: int(value) for code, value in self.cleaned_data.items()}

"""Form widgets and fields for NHS.UK design system patterns Django has no widget for.

The date input asks for a date as three boxes (day, month, year), as the NHS.UK design
system recommends for dates people know, such as a date of birth. The ``nhsuk`` crispy
template pack wraps it in a fieldset with its legend, hint and error message.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.template import loader
from django.utils.safestring import SafeString, mark_safe

# Each box of a date input: its name suffix, label and NHS.UK width class.
DATE_PARTS = (
    ("day", "Day", "nhsuk-input--width-2"),
    ("month", "Month", "nhsuk-input--width-2"),
    ("year", "Year", "nhsuk-input--width-4"),
)


class DateParts(str):
    """What someone typed into the three boxes of a date input.

    It is a string so that a plain ``forms.DateField`` can parse it: complete numeric input
    reads as ISO ``YYYY-MM-DD`` (in every ``DATE_INPUT_FORMATS`` Django ships), anything
    else as text no format matches, which the field reports as an invalid date. The parts
    are kept separately so a form shown again with errors gives back exactly what was typed,
    and so ``NHSDateField`` can say which part is missing.
    """

    day: str
    month: str
    year: str

    def __new__(cls, day: Any = "", month: Any = "", year: Any = "") -> DateParts:
        day, month, year = (str(part or "").strip() for part in (day, month, year))
        if not (day or month or year):
            text = ""
        elif day.isdigit() and month.isdigit() and year.isdigit():
            text = f"{year}-{month}-{day}"
        else:
            text = f"{day}/{month}/{year} is not a date"
        instance = super().__new__(cls, text)
        instance.day, instance.month, instance.year = day, month, year
        return instance

    @property
    def missing(self) -> list[str]:
        """Names of the parts left blank, when at least one part was filled in."""
        blank = [name for name, value in self.as_dict().items() if not value]
        return blank if len(blank) < len(DATE_PARTS) else []

    def as_dict(self) -> dict[str, str]:
        return {"day": self.day, "month": self.month, "year": self.year}


class NHSDateInput(forms.MultiWidget):
    """Day, month and year boxes, submitted as ``<name>_day``, ``<name>_month``, ``<name>_year``.

    Works with a plain ``forms.DateField``; ``NHSDateField`` adds the NHS.UK error messages.
    """

    template_name = "nhsuk/widgets/date_input.html"
    use_fieldset = True

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        # Numeric keyboards on phones, but type="text": type="number" drops leading zeros
        # and lets a mouse wheel change a date of birth.
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            name: forms.TextInput(attrs={"inputmode": "numeric"}) for name, *_ in DATE_PARTS
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[str]:
        if isinstance(value, DateParts):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value:
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return ["", "", ""]
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return ["", "", ""]

    def value_from_datadict(self, data: Mapping[str, Any], files: Any, name: str) -> Any:
        """The typed parts as a ``DateParts`` (None if the boxes were not in the form)."""
        day, month, year = super().value_from_datadict(data, files, name)
        if day is None and month is None and year is None:
            return None
        return DateParts(day, month, year)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        # Django marks a field with errors aria-invalid; the NHS.UK pattern highlights only
        # the boxes left blank when some were filled in, otherwise all three.
        invalid = context["widget"]["attrs"].get("aria-invalid") == "true"
        missing = value.missing if isinstance(value, DateParts) else []
        extra_class = context["widget"]["attrs"].get("class", "")
        for subwidget, (part, label, width) in zip(
            context["widget"]["subwidgets"], DATE_PARTS, strict=True
        ):
            error = invalid and (not missing or part in missing)
            sub_attrs = subwidget["attrs"]
            classes = ["nhsuk-input", width, "nhsuk-date-input__input"]
            if error:
                classes.append("nhsuk-input--error")
            else:
                sub_attrs.pop("aria-invalid", None)
            sub_attrs["class"] = " ".join([*classes, extra_class]).strip()
            subwidget.update(part=part, label=label, error=error)
        return context

    def _render(
        self, template_name: str, context: dict[str, Any], renderer: Any = None
    ) -> SafeString:
        # Django's default form renderer searches only apps' template folders; the pack's
        # templates live in the project's templates/ folder, so use the project's engine.
        return mark_safe(loader.render_to_string(template_name, context))


class NHSDateField(forms.DateField):
    """A date asked for with ``NHSDateInput``, with the NHS.UK design system's messages.

    A ``forms.DateField``, so it fits ``ModelForm.field_classes`` for a model date.
    Override the messages per form (``error_messages={"required": "Enter your date of
    birth"}``) to name the date, as the design system asks.
    """

    widget = NHSDateInput
    default_error_messages = {
        "invalid": "Date must be a real date",
        "missing_day": "Date must include a day",
        "missing_month": "Date must include a month",
        "missing_year": "Date must include a year",
        "missing_day_month": "Date must include a day and month",
        "missing_day_year": "Date must include a day and year",
        "missing_month_year": "Date must include a month and year",
        "year_digits": "Year must include 4 numbers",
    }

    def to_python(self, value: Any) -> datetime.date | None:
        if not isinstance(value, DateParts) or not value:
            return super().to_python(value)
        if value.missing:
            key = "missing_" + "_".join(value.missing)
            raise ValidationError(self.error_messages[key], code="incomplete")
        if not (value.day.isdigit() and value.month.isdigit() and value.year.isdigit()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if len(value.year) != 4:
            raise ValidationError(self.error_messages["year_digits"], code="invalid")
        try:
            return datetime.date(int(value.year), int(value.month), int(value.day))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

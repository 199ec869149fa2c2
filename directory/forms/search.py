"""The directory search page's filters."""

import uuid
from typing import Any

from django import forms

from directory.forms.common import LANGUAGES, QuickCheckboxInput, QuickSelect, QuickTextInput
from directory.geo import normalise_postcode, postcode_centroid
from directory.models import Cost
from directory.search import ServiceFilters
from directory.taxonomy import AUDIENCE, CATEGORY, term_choices


class SearchForm(forms.Form):
    """The directory search page's filters; every one given applies. The page draws
    them with templates/directory/includes/search_filters.html (the nhsuk pack's markup,
    flat), inside its own form element and Search button."""

    q = forms.CharField(required=False, max_length=200, label="Search", widget=QuickTextInput)
    # Term ids from the cached menus (choices set per form): every search page shows the
    # same ones, and the filters need only the ids.
    category = forms.TypedChoiceField(
        coerce=uuid.UUID, empty_value=None, required=False, label="What it offers",
        widget=QuickSelect,
    )  # fmt: skip
    audience = forms.TypedChoiceField(
        coerce=uuid.UUID, empty_value=None, required=False, label="Who it is for",
        widget=QuickSelect,
    )  # fmt: skip
    language = forms.ChoiceField(
        choices=[("", "Any"), *LANGUAGES], required=False, label="Language spoken",
        widget=QuickSelect,
    )  # fmt: skip
    cost = forms.MultipleChoiceField(
        choices=Cost.choices, required=False, widget=forms.CheckboxSelectMultiple, label="Cost"
    )
    accepting = forms.BooleanField(
        required=False, label="Only services accepting referrals now", widget=QuickCheckboxInput
    )
    postcode = forms.CharField(
        required=False, max_length=10, label="Postcode", help_text="To sort nearest first.",
        widget=QuickTextInput,
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._offer("category", "Any", CATEGORY)
        self._offer("audience", "Anyone", AUDIENCE)
        self.fields["postcode"].widget.attrs.update(
            {"autocomplete": "postal-code", "class": "nhsuk-input--width-10"}
        )
        self.origin: tuple[float, float] | None = None

    def _offer(self, name: str, empty_label: str, taxonomy_code: str) -> None:
        field = self.fields[name]
        if not isinstance(field, forms.ChoiceField):
            raise TypeError(f"{name} offers no choices")
        field.choices = [("", empty_label), *term_choices(taxonomy_code)]

    def clean_postcode(self) -> str:
        raw = self.cleaned_data["postcode"].strip()
        if not raw:
            return ""
        if normalise_postcode(raw) is None:
            raise forms.ValidationError("Enter a real postcode, like NS1 1AA.")
        self.origin = postcode_centroid(raw)
        if self.origin is None:
            raise forms.ValidationError(
                f"We do not know where {raw.upper()} is. Check the postcode, or try the "
                "first half of it, like NS1."
            )
        return raw.upper()

    def filters(self) -> ServiceFilters:
        data = self.cleaned_data
        terms = tuple(t for t in (data.get("category"), data.get("audience")) if t)
        return ServiceFilters(
            text=data.get("q", ""),
            taxonomy_term_ids=terms,
            language=data.get("language", ""),
            costs=tuple(data.get("cost") or ()),
            accepting_only=bool(data.get("accepting")),
            origin=self.origin,
        )

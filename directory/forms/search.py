"""The directory search page's filters."""

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms

from directory.forms.common import LANGUAGES, set_queryset, terms_of
from directory.geo import normalise_postcode, postcode_centroid
from directory.models import Cost, TaxonomyTerm
from directory.search import ServiceFilters
from directory.taxonomy import AUDIENCE, CATEGORY


class SearchForm(forms.Form):
    """The directory search page's filters; every one given applies."""

    q = forms.CharField(required=False, max_length=200, label="Search")
    category = forms.ModelChoiceField(
        queryset=TaxonomyTerm.objects.none(), required=False, empty_label="Any",
        label="What it offers",
    )  # fmt: skip
    audience = forms.ModelChoiceField(
        queryset=TaxonomyTerm.objects.none(), required=False, empty_label="Anyone",
        label="Who it is for",
    )  # fmt: skip
    language = forms.ChoiceField(
        choices=[("", "Any"), *LANGUAGES], required=False, label="Language spoken"
    )
    cost = forms.MultipleChoiceField(
        choices=Cost.choices, required=False, widget=forms.CheckboxSelectMultiple, label="Cost"
    )
    accepting = forms.BooleanField(required=False, label="Only services accepting referrals now")
    postcode = forms.CharField(
        required=False, max_length=10, label="Postcode", help_text="To sort nearest first."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self.fields["category"], terms_of(CATEGORY))
        set_queryset(self.fields["audience"], terms_of(AUDIENCE))
        self.fields["postcode"].widget.attrs.update(
            {"autocomplete": "postal-code", "class": "nhsuk-input--width-10"}
        )
        # The page draws the form element and its Search button around the fields.
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.mark_optional = False  # every filter is optional; saying so is noise
        self.origin: tuple[float, float] | None = None

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
        terms = tuple(t.id for t in (data.get("category"), data.get("audience")) if t)
        return ServiceFilters(
            text=data.get("q", ""),
            taxonomy_term_ids=terms,
            language=data.get("language", ""),
            costs=tuple(data.get("cost") or ()),
            accepting_only=bool(data.get("accepting")),
            origin=self.origin,
        )

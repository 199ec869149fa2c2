from __future__ import annotations

from typing import Any

from django import forms
from django.db import models

from directory.geo import normalise_postcode, postcode_centroid
from directory.models import CapacityStatus, Cost, Service, TaxonomyTerm
from directory.search import ServiceFilters
from directory.taxonomy import AUDIENCE, CATEGORY

# Languages offered in the form; imported feeds may hold others.
LANGUAGES = [
    ("en", "English"),
    ("bfi", "British Sign Language"),
    ("cy", "Welsh"),
    ("pl", "Polish"),
    ("ro", "Romanian"),
    ("pa", "Punjabi"),
    ("ur", "Urdu"),
    ("bn", "Bengali"),
    ("gu", "Gujarati"),
    ("ar", "Arabic"),
    ("so", "Somali"),
    ("pt", "Portuguese"),
    ("lt", "Lithuanian"),
    ("zh", "Chinese"),
]
LANGUAGE_NAMES = dict(LANGUAGES)


class NhsukWidgetsMixin:
    """Give text inputs the NHS.UK classes; radios and checkboxes are laid out by
    ``directory/includes/field.html``."""

    CLASSES = {
        forms.Textarea: "nhsuk-textarea",
        forms.Select: "nhsuk-select",
        forms.NumberInput: "nhsuk-input nhsuk-input--width-4",
        forms.TextInput: "nhsuk-input",
        forms.EmailInput: "nhsuk-input",
        forms.URLInput: "nhsuk-input",
    }

    def nhsuk_widgets(self) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            css = self.CLASSES.get(type(field.widget))
            if css:
                field.widget.attrs.setdefault("class", css)


def _formfield(field: models.Field, **kwargs: Any) -> forms.Field | None:
    # Web addresses typed without a scheme are https (Django 6's default).
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class ServiceForm(NhsukWidgetsMixin, forms.ModelForm):
    categories = forms.ModelMultipleChoiceField(
        queryset=TaxonomyTerm.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="What it offers",
    )
    audiences = forms.ModelMultipleChoiceField(
        queryset=TaxonomyTerm.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Who it is for",
        help_text="Leave empty if it is for anyone.",
    )
    languages = forms.MultipleChoiceField(
        choices=LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Languages spoken",
    )

    class Meta:
        model = Service
        formfield_callback = _formfield
        fields = [
            "name",
            "description",
            "status",
            "alert",
            "categories",
            "audiences",
            "minimum_age",
            "maximum_age",
            "languages",
            "cost",
            "referral_routes",
            "referral_instructions",
            "url",
            "email",
            "accreditations",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "alert": forms.Textarea(attrs={"rows": 2}),
            "referral_instructions": forms.Textarea(attrs={"rows": 3}),
            "accreditations": forms.Textarea(attrs={"rows": 2}),
            "cost": forms.RadioSelect,
            "referral_routes": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.nhsuk_widgets()
        terms = TaxonomyTerm.objects.select_related("taxonomy").order_by("name")
        self.fields["categories"].queryset = terms.filter(taxonomy__code=CATEGORY)
        self.fields["audiences"].queryset = terms.filter(taxonomy__code=AUDIENCE)
        if self.instance.pk:
            chosen = list(self.instance.taxonomy_terms.values_list("pk", flat=True))
            self.initial.setdefault("categories", chosen)
            self.initial.setdefault("audiences", chosen)
            self.initial.setdefault(
                "languages", list(self.instance.languages.values_list("code", flat=True))
            )

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields
                if name not in ("categories", "audiences", "languages")}  # fmt: skip

    def terms(self) -> list[TaxonomyTerm]:
        return [*self.cleaned_data["categories"], *self.cleaned_data["audiences"]]


class CapacityForm(NhsukWidgetsMixin, forms.Form):
    status = forms.ChoiceField(
        choices=CapacityStatus.choices, widget=forms.RadioSelect, label="Can you take referrals?"
    )
    expected_wait_weeks = forms.IntegerField(
        min_value=0, max_value=104, required=False, label="Expected wait, in weeks"
    )
    maximum = forms.IntegerField(
        min_value=0,
        max_value=10_000,
        required=False,
        label="Weekly referral limit",
        help_text="The most referrals a week you can take. Leave empty for no limit.",
    )
    available = forms.IntegerField(
        min_value=0, max_value=10_000, required=False, label="Places free now"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.nhsuk_widgets()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        maximum, available = data.get("maximum"), data.get("available")
        if maximum is not None and available is not None and available > maximum:
            self.add_error("available", "Places free cannot be more than the weekly limit.")
        return data


class OrganisationRegisterForm(NhsukWidgetsMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=None,
        label="Organisation",
        empty_label=None,  # type: ignore[arg-type]
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label="What your organisation does"
    )
    email = forms.EmailField(required=False, label="Public email address")
    website = forms.URLField(required=False, assume_scheme="https")

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.nhsuk_widgets()


class SearchForm(NhsukWidgetsMixin, forms.Form):
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
        terms = TaxonomyTerm.objects.select_related("taxonomy").order_by("name")
        self.fields["category"].queryset = terms.filter(taxonomy__code=CATEGORY)
        self.fields["audience"].queryset = terms.filter(taxonomy__code=AUDIENCE)
        self.fields["postcode"].widget.attrs["autocomplete"] = "postal-code"
        self.nhsuk_widgets()
        self.fields["accepting"].widget.attrs["class"] = "nhsuk-checkboxes__input"
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

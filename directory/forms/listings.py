"""The listing forms: the details form, capacity, and asking to be listed."""

from __future__ import annotations

from typing import Any

from django import forms

from directory.forms.common import (
    LANGUAGES,
    SHORT_NUMBER,
    formfield,
    set_queryset,
    submit_helper,
    terms_of,
)
from directory.models import CapacityStatus, Service, TaxonomyTerm
from directory.taxonomy import AUDIENCE, CATEGORY


class ServiceForm(forms.ModelForm):
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
        formfield_callback = formfield
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
            "minimum_age": forms.NumberInput(attrs=SHORT_NUMBER),
            "maximum_age": forms.NumberInput(attrs=SHORT_NUMBER),
            "cost": forms.RadioSelect,
            "referral_routes": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self.fields["categories"], terms_of(CATEGORY))
        set_queryset(self.fields["audiences"], terms_of(AUDIENCE))
        self.helper = submit_helper("Publish changes")
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


class CapacityForm(forms.Form):
    status = forms.ChoiceField(
        choices=CapacityStatus.choices, widget=forms.RadioSelect, label="Can you take referrals?"
    )
    expected_wait_weeks = forms.IntegerField(
        min_value=0,
        max_value=104,
        required=False,
        label="Expected wait, in weeks",
        widget=forms.NumberInput(attrs=SHORT_NUMBER),
    )
    maximum = forms.IntegerField(
        min_value=0,
        max_value=10_000,
        required=False,
        label="Weekly referral limit",
        help_text="The most referrals a week you can take. Leave empty for no limit.",
        widget=forms.NumberInput(attrs=SHORT_NUMBER),
    )
    available = forms.IntegerField(
        min_value=0,
        max_value=10_000,
        required=False,
        label="Places free now",
        widget=forms.NumberInput(attrs=SHORT_NUMBER),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        maximum, available = data.get("maximum"), data.get("available")
        if maximum is not None and available is not None and available > maximum:
            self.add_error("available", "Places free cannot be more than the weekly limit.")
        return data

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = submit_helper("Save capacity")


class OrganisationRegisterForm(forms.Form):
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        label="Organisation",
        empty_label=None,
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label="What your organisation does"
    )
    email = forms.EmailField(required=False, label="Public email address")
    website = forms.URLField(required=False, assume_scheme="https")

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self.fields["organisation"], organisations)
        self.helper = submit_helper("Ask to be listed")

"""Correcting a person's details from their referral (triage) or their case (link worker)."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms

from referrals import codes
from referrals.forms.intake import PersonIdentityFields
from referrals.models import (
    Person,
    normalise_nhs_number,
    normalise_postcode,
    validate_not_future,
)
from referrals.services.intake import NO_CONTACT_ROUTE, has_contact_route
from socialrx.core.models import Organisation, OrganisationType


class PersonDetailsForm(forms.ModelForm):
    """The editable details (``codes.PERSON_EDITABLE_FIELDS``) and why they changed."""

    accessible_formats = forms.MultipleChoiceField(
        label="Information in an accessible format",
        help_text="Select all that apply.",
        choices=codes.AccessibleFormat.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(
        label="What changed and how you know (optional)",
        help_text="For example, 'Moved house; confirmed by phone'. Kept in the history.",
        max_length=500,
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )

    class Meta:
        model = Person
        fields = list(codes.PERSON_EDITABLE_FIELDS)
        labels = {
            "phone": "Phone number",
            "email": "Email address",
            "registered_practice": "Registered GP practice",
            "language": "Preferred language",
            "interpreter_needed": "Needs an interpreter",
            "accessibility_needs": "Other accessibility or communication needs",
            "preferred_contact_method": "How would they like to be contacted?",
            "preferred_contact_times": "Best times to contact (optional)",
        }
        widgets = {
            "address": forms.Textarea({"rows": 3}),
            "accessibility_needs": forms.Textarea({"rows": 2}),
            "preferred_contact_method": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        practice = self.fields["registered_practice"]
        practice.queryset = Organisation.objects.active().of_type(  # type: ignore[attr-defined]
            OrganisationType.GP_PRACTICE
        )
        practice.empty_label = "Not known"  # type: ignore[attr-defined]
        method = self.fields["preferred_contact_method"]
        method.choices = codes.ContactMethod.choices  # type: ignore[attr-defined]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset("Contact details", "phone", "email", "address", "postcode"),
            Fieldset("GP practice", "registered_practice"),
            Fieldset(
                "Language and access",
                "language",
                "interpreter_needed",
                "accessible_formats",
                "accessibility_needs",
            ),
            Fieldset("Contact preferences", "preferred_contact_method", "preferred_contact_times"),
            "note",
        )

    def clean_postcode(self) -> str:
        return normalise_postcode(self.cleaned_data["postcode"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        corrected = Person(
            phone=cleaned.get("phone", ""),
            email=cleaned.get("email", ""),
            address=cleaned.get("address", ""),
            preferred_contact_method=cleaned.get("preferred_contact_method", ""),
            registered_practice=cleaned.get("registered_practice"),
        )
        if not has_contact_route(corrected):
            self.add_error("phone", NO_CONTACT_ROUTE)
        return cleaned

    def _post_clean(self) -> None:
        # The service saves (with the history); the form only validates, so the instance is
        # left untouched here and the view passes ``details()`` on.
        pass

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


class TriagePersonDetailsForm(PersonIdentityFields, PersonDetailsForm):
    """Triage may also correct who the person is: the way to resolve an identity conflict
    (one NHS number, two names) is to correct the wrong record, never to merge them."""

    class Meta(PersonDetailsForm.Meta):
        fields = [*codes.PERSON_IDENTITY_FIELDS, *codes.PERSON_EDITABLE_FIELDS]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout.insert(0, Fieldset("Who they are", *codes.PERSON_IDENTITY_FIELDS))

    def clean_nhs_number(self) -> str:
        return normalise_nhs_number(self.cleaned_data["nhs_number"])

    def clean_date_of_birth(self) -> Any:
        value = self.cleaned_data["date_of_birth"]
        validate_not_future(value)
        return value

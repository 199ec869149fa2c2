"""Referral forms: by a professional, and by the person themselves."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.utils import timezone

from referrals import codes
from referrals.models import normalise_nhs_number, normalise_postcode, validate_not_future
from referrals.services import PersonInput, ReferralInput
from referrals.services.intake import NO_CONTACT_ROUTE, has_contact_route
from socialrx.core.models import Organisation, OrganisationType, Profession, User
from socialrx.core.widgets import NHSDateField

# The source a referrer's profession or organisation implies, so they need not say it.
SOURCE_FOR_PROFESSION: dict[str, str] = {
    Profession.GP: codes.ReferralSource.GP,
    Profession.NURSE: codes.ReferralSource.PRACTICE_NURSE,
    Profession.OTHER_PROFESSIONAL: codes.ReferralSource.OTHER_HEALTH,
}
PROFESSIONAL_SOURCES = [
    c for c in codes.ReferralSource.choices if c[0] != codes.ReferralSource.SELF
]
PERSON_FIELDS = [
    "given_name",
    "family_name",
    "date_of_birth",
    "nhs_number",
    "registered_practice",
    "sex",
    "gender_identity",
    "ethnicity",
    "address",
    "postcode",
    "phone",
    "email",
    "preferred_contact_method",
    "preferred_contact_times",
    "interpreter_needed",
    "language",
    "accessibility_needs",
]


# The anti-spam field: off screen, out of the tab order, never autofilled, and aria-hidden so a
# screen reader neither announces it nor lists it among the form's fields.
HONEYPOT = (
    '<div class="nhsuk-u-visually-hidden" aria-hidden="true">'
    '<label for="id_website">Leave this box empty</label>'
    '<input type="text" name="website" id="id_website" value="" '
    'autocomplete="off" tabindex="-1"></div>'
)


def _blank(choices: list[tuple[str, str]], label: str = "Not recorded") -> list[tuple[str, str]]:
    return [("", label), *choices]


class PersonIdentityFields(forms.Form):
    """Who the person is, asked the same way wherever it is entered or corrected."""

    given_name = forms.CharField(label="First name", max_length=100)
    family_name = forms.CharField(label="Last name", max_length=100)
    date_of_birth = NHSDateField(label="Date of birth", help_text="For example, 15 3 1984")
    nhs_number = forms.CharField(
        label="NHS number",
        required=False,
        max_length=20,
        help_text="10 digits, for example 485 777 3456. Leave blank if not known.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-10"}),
    )


class PersonFieldsMixin(PersonIdentityFields):
    registered_practice = forms.ModelChoiceField(
        label="Registered GP practice",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Not known",
    )
    sex = forms.ChoiceField(label="Sex", choices=_blank(codes.Sex.choices), required=False)
    gender_identity = forms.CharField(
        label="Gender identity (optional)", max_length=100, required=False
    )
    ethnicity = forms.ChoiceField(
        label="Ethnic group", choices=_blank(codes.EthnicCategory.choices), required=False
    )
    address = forms.CharField(label="Address", required=False, widget=forms.Textarea({"rows": 3}))
    postcode = forms.CharField(label="Postcode", max_length=8, required=False)
    phone = forms.CharField(label="Phone number", max_length=30, required=False)
    email = forms.EmailField(label="Email address", required=False)
    preferred_contact_method = forms.ChoiceField(
        label="How would they like to be contacted?",
        choices=codes.ContactMethod.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    preferred_contact_times = forms.CharField(
        label="Best times to contact (optional)", max_length=200, required=False
    )
    interpreter_needed = forms.BooleanField(label="Needs an interpreter", required=False)
    language = forms.CharField(label="Preferred language", max_length=100, required=False)
    accessibility_needs = forms.CharField(
        label="Accessibility or communication needs",
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["registered_practice"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.active().of_type(OrganisationType.GP_PRACTICE)
        )

    def clean_nhs_number(self) -> str:
        return normalise_nhs_number(self.cleaned_data["nhs_number"])

    def clean_postcode(self) -> str:
        return normalise_postcode(self.cleaned_data["postcode"])

    def clean_date_of_birth(self) -> Any:
        value = self.cleaned_data["date_of_birth"]
        validate_not_future(value)
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if all(name in cleaned for name in PERSON_FIELDS) and not has_contact_route(
            self.person_input()
        ):
            self.add_error("phone", self.no_contact_route_message)
        if cleaned.get(
            "preferred_contact_method"
        ) == codes.ContactMethod.GP_PRACTICE and not cleaned.get("registered_practice"):
            self.add_error("registered_practice", "Choose the GP practice to contact them through")
        return cleaned

    no_contact_route_message = NO_CONTACT_ROUTE

    def person_input(self) -> PersonInput:
        data = {name: self.cleaned_data[name] for name in PERSON_FIELDS}
        practice = data.pop("registered_practice")
        return PersonInput(**data, registered_practice_id=practice.pk if practice else None)


class ReferralForm(PersonFieldsMixin):
    """The professional's referral, on one page, ready for check-your-answers."""

    organisation = forms.ModelChoiceField(
        label="Referring organisation", queryset=Organisation.objects.none(), empty_label=None
    )
    source = forms.ChoiceField(
        label="You are referring as", choices=PROFESSIONAL_SOURCES, widget=forms.RadioSelect
    )
    reasons = forms.MultipleChoiceField(
        label="Reasons for referral",
        help_text="Select all that apply.",
        choices=codes.Reason.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one reason for the referral"},
    )
    reason_other = forms.CharField(label="Other reason", max_length=200, required=False)
    what_matters = forms.CharField(
        label="What matters to the person, in their own words",
        widget=forms.Textarea({"rows": 4}),
    )
    safeguarding_concerns = forms.CharField(
        label="Safeguarding concerns (optional)", required=False, widget=forms.Textarea({"rows": 2})
    )
    lone_working_risks = forms.CharField(
        label="Risks to staff visiting alone (optional)",
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )
    urgency = forms.ChoiceField(
        label="Urgency",
        choices=codes.Urgency.choices,
        initial=codes.Urgency.ROUTINE,
        widget=forms.RadioSelect,
        help_text="Social prescribing is not a crisis service. For urgent mental health help, "
        "use NHS 111 option 2.",
    )
    consent_to_referral = forms.BooleanField(
        label="The person agrees to this referral",
        error_messages={"required": "Confirm the person agrees to the referral"},
    )
    consent_to_share = forms.BooleanField(
        label="The person agrees to their information being shared with the service",
        error_messages={"required": "Confirm the person agrees to information being shared"},
    )
    contact_consent = forms.BooleanField(
        label=(
            "The person would like to be told how their referral goes (by email, text or "
            "letter, as they prefer)"
        ),
        required=False,
    )

    def __init__(self, *args: Any, referrer: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.referrer = referrer
        organisations = referrer.organisations_with_role("referrer")
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=[o.pk for o in organisations]
        )
        self._prefill(organisations)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset("About the person", *PERSON_FIELDS),
            Fieldset(
                "About the referral",
                "organisation",
                "source",
                "reasons",
                "reason_other",
                "what_matters",
                "safeguarding_concerns",
                "lone_working_risks",
                "urgency",
            ),
            Fieldset("Consent", "consent_to_referral", "consent_to_share", "contact_consent"),
        )

    def _prefill(self, organisations: list[Organisation]) -> None:
        """Prefill from the referrer's organisation and profession: fewer questions."""
        if not organisations:
            return
        first = organisations[0]
        self.fields["organisation"].initial = first.pk
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
        if first.org_type == OrganisationType.GP_PRACTICE:
            self.fields["registered_practice"].initial = first.pk
        membership = next(
            m for m in self.referrer.active_memberships if m.organisation_id == first.pk
        )
        if first.org_type == OrganisationType.VCSE:
            self.fields["source"].initial = codes.ReferralSource.VCSE
        else:
            self.fields["source"].initial = SOURCE_FOR_PROFESSION.get(
                membership.profession, codes.ReferralSource.OTHER
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if codes.Reason.OTHER in cleaned.get("reasons", []) and not cleaned.get("reason_other"):
            self.add_error("reason_other", "Describe the other reason")
        return cleaned

    def referral_input(self) -> ReferralInput:
        data = self.cleaned_data
        return ReferralInput(
            person=self.person_input(),
            reasons=tuple(data["reasons"]),
            reason_other=data["reason_other"],
            what_matters=data["what_matters"],
            safeguarding_concerns=data["safeguarding_concerns"],
            lone_working_risks=data["lone_working_risks"],
            urgency=data["urgency"],
            consent_to_referral=data["consent_to_referral"],
            consent_to_share=data["consent_to_share"],
            consent_recorded_on=timezone.localdate(),
            consent_recorded_by=self.referrer.full_name or self.referrer.email,
            contact_consent=data["contact_consent"],
            source=data["source"],
        )


class SelfReferralForm(PersonFieldsMixin):
    """The public form: the person refers themselves, in plain words."""

    reasons = forms.MultipleChoiceField(
        label="What would you like help with?",
        help_text="Select all that apply.",
        choices=codes.Reason.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one thing you would like help with"},
    )
    reason_other = forms.CharField(label="Something else", max_length=200, required=False)
    what_matters = forms.CharField(
        label="Tell us a little about what matters to you",
        required=False,
        widget=forms.Textarea({"rows": 4}),
    )
    consent_to_referral = forms.BooleanField(
        label="I would like to be referred to social prescribing",
        error_messages={"required": "Confirm you would like to be referred"},
    )
    consent_to_share = forms.BooleanField(
        label="I agree to my information being shared with the social prescribing service",
        error_messages={"required": "Confirm you agree to your information being shared"},
    )
    contact_consent = forms.BooleanField(
        label="Tell me how my referral goes (by email, text or letter, as I prefer)",
        required=False,
    )
    # A field people never see nor hear: bots that fill every box fill this one too. It is
    # rendered by hand (HONEYPOT) inside a wrapper hidden from assistive technology.
    website = forms.CharField(label="Leave this box empty", required=False)
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["given_name"].label = "Your first name"
        self.fields["family_name"].label = "Your last name"
        self.fields["date_of_birth"].label = "Your date of birth"
        self.fields["registered_practice"].label = "Your GP practice"
        self.fields["preferred_contact_method"].label = "How should we contact you?"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset("About you", *PERSON_FIELDS),
            Fieldset("What you would like help with", "reasons", "reason_other", "what_matters"),
            Fieldset(
                "Your agreement", "consent_to_referral", "consent_to_share", "contact_consent"
            ),
            HTML(HONEYPOT),
            "token",
        )

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if codes.Reason.OTHER in cleaned.get("reasons", []) and not cleaned.get("reason_other"):
            self.add_error("reason_other", "Tell us what else you would like help with")
        return cleaned

    no_contact_route_message = (
        "Enter a phone number, email address or address so we can contact you, or choose "
        "to be contacted through your GP practice"
    )

    def referral_input(self) -> ReferralInput:
        data = self.cleaned_data
        return ReferralInput(
            person=self.person_input(),
            reasons=tuple(data["reasons"]),
            reason_other=data["reason_other"],
            what_matters=data["what_matters"],
            consent_to_referral=data["consent_to_referral"],
            consent_to_share=data["consent_to_share"],
            consent_recorded_on=timezone.localdate(),
            consent_recorded_by="The person (self-referral)",
            contact_consent=data["contact_consent"],
            source=codes.ReferralSource.SELF,
        )

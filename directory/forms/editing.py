"""Short forms for VCSE editors: one question group per page, so a volunteer can fix
one thing (a new phone number, a changed room) without wading through the rest."""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any

from django import forms
from django.db.models import QuerySet

from directory.eligibility import WHO_FOR_LABELS, valid_area
from directory.forms.common import SHORT_NUMBER, set_queryset, submit_helper, terms_of
from directory.geo import normalise_postcode
from directory.models import (
    Contact,
    Location,
    ReferralRoute,
    Schedule,
    ServiceAtLocation,
    TaxonomyTerm,
    Weekday,
)
from directory.services import ContactDetails, OpeningTimes, Place
from directory.taxonomy import AUDIENCE, CATEGORY


class NewServiceForm(forms.Form):
    name = forms.CharField(max_length=200, label="Name of the service")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="What happens there",
        help_text="Say who runs it and what someone can expect on their first visit.",
    )
    categories = forms.ModelMultipleChoiceField(
        queryset=TaxonomyTerm.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="What it offers",
        error_messages={"required": "Choose at least one thing the service offers"},
    )
    referral_routes = forms.ChoiceField(
        choices=ReferralRoute.choices,
        widget=forms.RadioSelect,
        label="How do people get a place?",
        initial=ReferralRoute.BOTH,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self.fields["categories"], terms_of(CATEGORY))
        self.helper = submit_helper("Publish the service")


class EligibilityForm(forms.Form):
    audiences = forms.ModelMultipleChoiceField(
        queryset=TaxonomyTerm.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Who is it for?",
        help_text="Leave these empty if it is for anyone.",
    )
    minimum_age = forms.IntegerField(
        min_value=0, max_value=120, required=False, label="Youngest age",
        widget=forms.NumberInput(attrs=SHORT_NUMBER),
    )  # fmt: skip
    maximum_age = forms.IntegerField(
        min_value=0, max_value=120, required=False, label="Oldest age",
        widget=forms.NumberInput(attrs=SHORT_NUMBER),
    )  # fmt: skip

    gender_only = forms.ChoiceField(
        label="Is it only for women or only for men?",
        choices=[("", "No, for anyone"), ("women", "Women only"), ("men", "Men only")],
        widget=forms.RadioSelect,
        required=False,
    )
    only_for = forms.MultipleChoiceField(
        label="Is it only for one of these groups?",
        help_text="Tick only if people outside the group cannot come. Link workers are "
        "asked to check.",
        choices=[(str(g), label) for g, label in WHO_FOR_LABELS.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    areas_served = forms.CharField(
        label="Areas served",
        help_text="Postcode districts (like NS1, NS2) or local authority codes (like "
        "E06000061), separated by commas. Leave empty if anyone may come.",
        required=False,
        max_length=400,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self.fields["audiences"], terms_of(AUDIENCE))
        self.helper = submit_helper("Publish changes")

    def clean_areas_served(self) -> list[str]:
        areas = [a.strip().upper() for a in self.cleaned_data["areas_served"].split(",")]
        areas = list(dict.fromkeys(a for a in areas if a))
        wrong = [a for a in areas if not valid_area(a)]
        if wrong:
            raise forms.ValidationError(
                f"Not a postcode district or local authority code: {', '.join(wrong)}. "
                "Use the first half of a postcode (NS1) or a code like E06000061."
            )
        return areas

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("minimum_age"), data.get("maximum_age")
        if low is not None and high is not None and high < low:
            self.add_error("maximum_age", "The oldest age must not be below the youngest age")
        return data


class PlaceForm(forms.Form):
    name = forms.CharField(
        max_length=200,
        label="Name of the place",
        help_text="For example, Riverside Community Centre",
    )
    address_1 = forms.CharField(max_length=200, label="Address line 1")
    address_2 = forms.CharField(max_length=200, required=False, label="Address line 2")
    city = forms.CharField(max_length=100, label="Town or city")
    state_province = forms.CharField(max_length=100, label="County")
    postal_code = forms.CharField(
        max_length=10, label="Postcode",
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10",
                                      "autocomplete": "postal-code"}),
    )  # fmt: skip

    def __init__(self, *args: Any, location: Location | None = None, **kwargs: Any) -> None:
        if location is not None:
            address = location.addresses.first()
            kwargs.setdefault("initial", {"name": location.name})
            if address is not None:
                kwargs["initial"] |= {
                    f: getattr(address, f)
                    for f in ("address_1", "address_2", "city", "state_province", "postal_code")
                }
        super().__init__(*args, **kwargs)
        self.helper = submit_helper("Publish changes" if location else "Add this place")

    def clean_postal_code(self) -> str:
        postcode = normalise_postcode(self.cleaned_data["postal_code"])
        # A district alone (NS1) is not an address: people need the full postcode.
        if postcode is None or " " not in postcode:
            raise forms.ValidationError("Enter a full postcode, like NS1 1AA")
        return postcode

    def place(self) -> Place:
        return Place(**self.cleaned_data)


# What people type for a time, tried in turn after removing spaces: 09:30, 9.30, 2pm, 2:30pm.
TIME_FORMATS = ("%H:%M", "%H.%M", "%I%p", "%I:%M%p", "%I.%M%p")


class ClockTimeField(forms.Field):
    """A time of day typed as text, read the ways people write times (a browser's own
    time picker varies too much between browsers and screen readers)."""

    default_error_messages = {"invalid": "Enter a time, like 09:30 or 14:00"}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"class": "nhsuk-input--width-5"}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return value.strftime("%H:%M") if isinstance(value, time) else value

    def to_python(self, value: Any) -> time | None:
        text = re.sub(r"\s+", "", str(value or "")).upper()
        if not text:
            return None
        for fmt in TIME_FORMATS:
            try:
                return datetime.strptime(text, fmt).time()  # noqa: DTZ007 (a time of day)
            except ValueError:
                continue
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ServiceAtLocation) -> str:
        return f"At {obj.location.name}"


class OpeningTimesForm(forms.Form):
    days = forms.MultipleChoiceField(
        choices=Weekday.choices,
        widget=forms.CheckboxSelectMultiple,
        label="Which days is it open?",
        error_messages={"required": "Choose the days it is open"},
    )
    opens_at = ClockTimeField(
        label="Opens at",
        help_text="For example, 09:30 or 2pm",
        error_messages={"required": "Enter the time it opens"},
    )
    closes_at = ClockTimeField(
        label="Closes at", error_messages={"required": "Enter the time it closes"}
    )
    at = PlaceChoiceField(
        queryset=ServiceAtLocation.objects.none(),
        required=False,
        empty_label="Every place it runs",
        label="Where",
    )
    description = forms.CharField(
        max_length=200,
        required=False,
        label="Anything else to know",
        help_text="For example, term time only, or first Monday of the month",
    )

    def __init__(
        self,
        *args: Any,
        places: QuerySet[ServiceAtLocation],
        schedule: Schedule | None = None,
        **kwargs: Any,
    ) -> None:
        if schedule is not None:
            kwargs.setdefault("initial", {
                "days": [d for d in schedule.byday.split(",") if d],
                "opens_at": schedule.opens_at,
                "closes_at": schedule.closes_at,
                "at": schedule.service_at_location_id,
                "description": schedule.description,
            })  # fmt: skip
        super().__init__(*args, **kwargs)
        self.helper = submit_helper("Publish changes" if schedule else "Add these times")
        places = places.select_related("location")
        set_queryset(self.fields["at"], places)
        # A service at one place or none needs no choice of place.
        if len(places) < 2:
            del self.fields["at"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens is not None and closes is not None and closes <= opens:
            self.add_error("closes_at", "The closing time must be after the opening time")
        return data

    def times(self) -> OpeningTimes:
        data = self.cleaned_data
        order = list(Weekday.values)
        return OpeningTimes(
            days=sorted(data["days"], key=order.index),
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            at=data.get("at"),
            description=data["description"],
        )


PHONE = re.compile(r"\+?[0-9 ()-]{6,20}")


class ContactForm(forms.Form):
    name = forms.CharField(max_length=200, required=False, label="Name")
    title = forms.CharField(
        max_length=200, required=False, label="Role", help_text="For example, Volunteer coordinator"
    )
    email = forms.EmailField(required=False, label="Email address")
    phone = forms.CharField(
        max_length=40, required=False, label="Phone number",
        widget=forms.TextInput(attrs={"type": "tel", "class": "nhsuk-input--width-20"}),
    )  # fmt: skip
    is_referral_contact = forms.BooleanField(
        required=False, label="Send referrals for this service to this contact"
    )

    def __init__(self, *args: Any, contact: Contact | None = None, **kwargs: Any) -> None:
        if contact is not None:
            phone = contact.phones.first()
            kwargs.setdefault("initial", {
                "name": contact.name, "title": contact.title, "email": contact.email,
                "phone": phone.number if phone else "",
                "is_referral_contact": contact.is_referral_contact,
            })  # fmt: skip
        super().__init__(*args, **kwargs)
        self.helper = submit_helper("Publish changes" if contact else "Add this contact")

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE.fullmatch(phone):
            raise forms.ValidationError("Enter a phone number, like 01632 960 123")
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not (data.get("email") or data.get("phone")):
            self.add_error("email", "Give an email address or a phone number")
        if not self.errors and not (data.get("name") or data.get("title")):
            self.add_error("name", "Give a name or a role, so people know who they will reach")
        return data

    def details(self) -> ContactDetails:
        return ContactDetails(**self.cleaned_data)

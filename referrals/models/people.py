"""The people referred: identity, NHS number and the records kept apart."""

from __future__ import annotations

import datetime
import re

import nhs_number
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from referrals import codes
from socialrx.core.models import Organisation, OrganisationType, TimeStampedModel

_NHS_NUMBER_INPUT = re.compile(r"^[0-9 \-]+$")


def normalise_nhs_number(value: str) -> str:
    """Digits only; spaces and hyphens are how people write it, so they are accepted."""
    value = (value or "").strip()
    if not value:
        return ""
    if not _NHS_NUMBER_INPUT.match(value):
        raise ValidationError("NHS number must contain only numbers", code="invalid")
    digits = value.replace(" ", "").replace("-", "")
    if len(digits) != 10:
        raise ValidationError("NHS number must be 10 digits", code="length")
    if not nhs_number.is_valid(digits):
        raise ValidationError(
            "NHS number is not valid: check it has been typed correctly", code="checksum"
        )
    return digits


def format_nhs_number(value: str) -> str:
    """``9434765919`` is shown as ``943 476 5919``."""
    return f"{value[:3]} {value[3:6]} {value[6:]}" if len(value) == 10 else value


def validate_not_future(value: datetime.date) -> None:
    if value > timezone.localdate():
        raise ValidationError("Date of birth must be today or in the past", code="future")


def normalise_postcode(value: str) -> str:
    compact = "".join((value or "").split()).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


class PersonQuerySet(models.QuerySet["Person"]):
    def live(self) -> PersonQuerySet:
        """People not merged into another record."""
        return self.filter(merged_into__isnull=True)

    def possible_duplicates_of(self, person: Person) -> PersonQuerySet:
        """Same NHS number, or same name, date of birth and postcode; never merged silently."""
        match = Q(
            family_name__iexact=person.family_name,
            given_name__iexact=person.given_name,
            date_of_birth=person.date_of_birth,
            postcode=person.postcode,
        )
        if person.nhs_number:
            match |= Q(nhs_number=person.nhs_number)
        kept_apart = PersonKeptApart.objects.filter(Q(first=person) | Q(second=person)).values_list(
            "first_id", "second_id"
        )
        exclude_ids = {pk for pair in kept_apart for pk in pair}
        return self.live().filter(match).exclude(pk=person.pk).exclude(pk__in=exclude_ids)


class Person(TimeStampedModel):
    """Someone referred to social prescribing (PRSB standard demographics)."""

    nhs_number = models.CharField(
        "NHS number",
        max_length=10,
        blank=True,
        db_index=True,
        help_text="Stored as 10 digits; checked with the Modulus 11 check digit.",
    )
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(validators=[validate_not_future])
    sex = models.CharField(max_length=1, choices=codes.Sex.choices, blank=True)
    gender_identity = models.CharField(
        max_length=100, blank=True, help_text="In the person's own words, if they gave it."
    )
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    preferred_contact_method = models.CharField(
        max_length=16, choices=codes.ContactMethod.choices, blank=True
    )
    preferred_contact_times = models.CharField(max_length=200, blank=True)
    interpreter_needed = models.BooleanField(default=False)
    language = models.CharField(max_length=100, blank=True)
    accessibility_needs = models.TextField(blank=True)
    ethnicity = models.CharField(max_length=1, choices=codes.EthnicCategory.choices, blank=True)
    registered_practice = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registered_people",
        limit_choices_to={"org_type": OrganisationType.GP_PRACTICE},
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        help_text="Set when a triage lead merged this record into another.",
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ("family_name", "given_name", "id")
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["family_name", "given_name", "date_of_birth"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(nhs_number="") | Q(nhs_number__regex=r"^[0-9]{10}$"),
                name="person_nhs_number_ten_digits",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")), name="person_not_merged_into_self"
            ),
        ]

    def __str__(self) -> str:
        return f"Person {self.pk}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def nhs_number_display(self) -> str:
        return format_nhs_number(self.nhs_number)

    def clean(self) -> None:
        self.nhs_number = normalise_nhs_number(self.nhs_number)
        self.postcode = normalise_postcode(self.postcode)


class PersonKeptApart(TimeStampedModel):
    """A triage lead's decision that two possible duplicates are different people."""

    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="person_kept_apart_unique"),
            # One row per pair: the lower id always comes first.
            models.CheckConstraint(
                condition=Q(first__lt=models.F("second")), name="person_kept_apart_ordered"
            ),
        ]

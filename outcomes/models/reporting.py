"""What reports need besides casework: published population figures and outcome tariffs."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q

from socialrx.core.models import Organisation, OrganisationType, TimeStampedModel


class PopulationDimension(models.TextChoices):
    ALL = "all", "Registered patients (list size)"
    AGE_BAND = "age_band", "Age band"
    SEX = "sex", "Sex"
    ETHNICITY = "ethnicity", "Ethnic group"


class PracticePopulation(TimeStampedModel):
    """Published registered-patient counts for a practice (NHS England "Patients
    registered at a GP practice"), imported with ``import_practice_populations``. Public
    figures, so reports show them as they are."""

    practice = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="populations",
        limit_choices_to={"org_type": OrganisationType.GP_PRACTICE},
    )
    dimension = models.CharField(max_length=16, choices=PopulationDimension.choices)
    group = models.CharField(
        max_length=16, blank=True, help_text="The age band, sex code or ethnic category."
    )
    people = models.PositiveIntegerField()
    as_of = models.DateField()

    class Meta:
        ordering = ("practice", "dimension", "group")
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "dimension", "group"], name="practice_population_once"
            ),
            models.CheckConstraint(
                condition=Q(dimension="all", group="") | (~Q(dimension="all") & ~Q(group="")),
                name="practice_population_group_unless_all",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practice} {self.dimension} {self.group}: {self.people}"


class TariffOutcome(models.TextChoices):
    """What a payable outcome is. Each is counted once per person in the period."""

    ENGAGED = "engaged", "Person engaged: first conversation with a link worker"
    CONNECTED = "connected", "Person started with a community service"
    SUPPORTED = "supported", "Case closed as supported"
    SWEMWBS_IMPROVED = "swemwbs_improved", "Meaningful SWEMWBS improvement at follow-up"
    UCLA3_IMPROVED = "ucla3_improved", "Lower UCLA-3 loneliness score at follow-up"


class OutcomeTariffQuerySet(models.QuerySet["OutcomeTariff"]):
    def in_force(self, start: datetime.date, end: datetime.date) -> OutcomeTariffQuerySet:
        return self.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=start), valid_from__lte=end, is_active=True
        )


class OutcomeTariff(TimeStampedModel):
    """A Life Chances Fund style price for an outcome, with a cap on how many are paid
    in a reporting period. Set up by the commissioner's administrator in the admin."""

    commissioner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="outcome_tariffs"
    )
    service = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The link worker service paid; empty for every service in the area.",
    )
    name = models.CharField(max_length=200)
    outcome = models.CharField(max_length=24, choices=TariffOutcome.choices)
    price = models.DecimalField(max_digits=9, decimal_places=2)
    cap = models.PositiveIntegerField(
        null=True, blank=True, help_text="Most outcomes paid in one reporting period."
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    objects = OutcomeTariffQuerySet.as_manager()

    class Meta:
        ordering = ("commissioner", "name")
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="tariff_price_not_negative"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="tariff_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

"""Published small-area figures the equity report and the gap map rest on: Census 2021
population by ethnic group, the English Indices of Deprivation 2019, and a postcode to
LSOA lookup. All public, loaded by management commands from the files as published.

Two LSOA vintages meet here: IMD 2019 is published for 2011 LSOAs, Census 2021 for 2021
LSOAs. The postcode lookup (``directory.models.PostcodeArea``: places, which the
directory and eligibility checks use too) carries both, so a person's postcode reaches
each figure by its own vintage and nothing is converted.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from socialrx.core.models import TimeStampedModel


class AreaType(models.TextChoices):
    LSOA21 = "lsoa21", "Lower layer super output area (2021)"
    LAD = "lad", "Local authority district"


class AreaPopulation(TimeStampedModel):
    """Usual residents of one area in one ethnic group (Census 2021, TS021), as NHS
    ethnic category codes; ``group`` empty is all usual residents."""

    area_code = models.CharField(max_length=9)
    area_type = models.CharField(max_length=8, choices=AreaType.choices)
    area_name = models.CharField(max_length=200, blank=True)
    group = models.CharField(max_length=1, blank=True)
    people = models.PositiveIntegerField()

    class Meta:
        ordering = ("area_code", "group")
        constraints = [
            models.UniqueConstraint(fields=["area_code", "group"], name="area_population_once")
        ]
        indexes = [models.Index(fields=["area_type", "group"])]

    def __str__(self) -> str:
        return f"{self.area_code} {self.group or 'all'}: {self.people}"


class Deprivation(TimeStampedModel):
    """The Index of Multiple Deprivation 2019 for one 2011 LSOA (File 1): decile 1 is
    the most deprived tenth of England's LSOAs."""

    lsoa11 = models.CharField(max_length=9, unique=True)
    lsoa_name = models.CharField(max_length=200, blank=True)
    lad_code = models.CharField(max_length=9, blank=True)
    lad_name = models.CharField(max_length=200, blank=True)
    rank = models.PositiveIntegerField()
    decile = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ("lsoa11",)
        indexes = [models.Index(fields=["decile"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(decile__gte=1, decile__lte=10), name="deprivation_decile_1_to_10"
            )
        ]

    def __str__(self) -> str:
        return f"{self.lsoa11}: decile {self.decile}"

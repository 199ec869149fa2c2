"""Every code the outcomes app records, in one place."""

from __future__ import annotations

from django.db import models


class Scoring(models.TextChoices):
    """How a measure's item answers become a score. New measures pick one of these."""

    SUM = "sum", "Total of the items"
    SWEMWBS = "swemwbs", "Total converted to the SWEMWBS metric score"
    # ONS4: each question is a measure in its own right and is never added up.
    SEPARATE = "separate", "Each item reported separately"
    # A single categorical question (the ONS direct loneliness question).
    CATEGORY = "category", "One answer from a list"


class Timepoint(models.TextChoices):
    BASELINE = "baseline", "Baseline"
    FOLLOW_UP = "follow_up", "Follow-up"


# The built-in measures' codes (Measure.code).
SWEMWBS = "swemwbs"
ONS4 = "ons4"
UCLA3 = "ucla3"
ONS_LONELINESS = "ons_loneliness"

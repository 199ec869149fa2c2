"""Outcome measures (item by item) and the reporting records: population figures,
tariffs, subscriptions and the report archive."""

from outcomes.models.archive import (
    Frequency,
    ReportFile,
    ReportFileQuerySet,
    ReportSubscription,
    RunStatus,
)
from outcomes.models.geography import AreaPopulation, AreaType, Deprivation
from outcomes.models.measures import (
    Measure,
    MeasureAnswer,
    MeasureItem,
    MeasureLicence,
    MeasureQuerySet,
    MeasureRecord,
    MeasureRecordQuerySet,
)
from outcomes.models.reporting import (
    OutcomeTariff,
    PopulationDimension,
    PracticePopulation,
    TariffOutcome,
)

__all__ = [
    "AreaPopulation",
    "AreaType",
    "Deprivation",
    "Frequency",
    "ReportFile",
    "ReportFileQuerySet",
    "ReportSubscription",
    "RunStatus",
    "OutcomeTariff",
    "PopulationDimension",
    "PracticePopulation",
    "TariffOutcome",
    "Measure",
    "MeasureAnswer",
    "MeasureItem",
    "MeasureLicence",
    "MeasureQuerySet",
    "MeasureRecord",
    "MeasureRecordQuerySet",
]

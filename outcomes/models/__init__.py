"""Outcome measures (item by item) and the reporting records: population figures,
tariffs, subscriptions and the report archive."""

from outcomes.models.measures import (
    Measure,
    MeasureAnswer,
    MeasureItem,
    MeasureLicence,
    MeasureQuerySet,
    MeasureRecord,
    MeasureRecordQuerySet,
)

__all__ = [
    "Measure",
    "MeasureAnswer",
    "MeasureItem",
    "MeasureLicence",
    "MeasureQuerySet",
    "MeasureRecord",
    "MeasureRecordQuerySet",
]

"""Outcome measures for a case, for apps that may not import ``outcomes``.

``interop`` writes the message back to the GP with the measures recorded on the case
(baseline and latest SWEMWBS, ONS4, UCLA-3), but sits beside outcomes, not above it; so
outcomes registers a provider here from its ``AppConfig.ready`` and interop asks core.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class MeasureSummary:
    code: str  # the measure's code ("swemwbs", "ons4", "ucla3")
    name: str
    baseline: str  # the scores as people read them, e.g. "19.98 (raw 22)"
    baseline_on: datetime.date | None
    latest: str
    latest_on: datetime.date | None


MeasureProvider = Callable[[int], list[MeasureSummary]]
_providers: list[MeasureProvider] = []


def register_measure_provider(provider: MeasureProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def measure_summaries(case_id: int) -> list[MeasureSummary]:
    """Every registered provider's measures for the case, in registration order."""
    return [summary for provider in _providers for summary in provider(case_id)]

"""Who may see what in outcomes. Measures are casework: reached through the case team's
scope in ``linkworkers.permissions``. Reports are aggregates scoped to an area."""

from __future__ import annotations

from django.http import Http404

from linkworkers.models import Case
from linkworkers.permissions import CASE_ROLES, case_for, cases_visible_to
from outcomes.models import Measure, MeasureRecord, MeasureRecordQuerySet
from socialrx.core.models import Organisation, User

MEASURE_ROLES = CASE_ROLES

__all__ = [
    "MEASURE_ROLES",
    "case_for",
    "measure_for_case",
    "measure_records_for_case",
    "measures_for_team",
]


def measure_records_for_case(user: User, case_pk: int) -> MeasureRecordQuerySet:
    return MeasureRecord.objects.filter(
        case__in=cases_visible_to(user).filter(pk=case_pk).values("pk")
    )


def measures_for_team(team: Organisation) -> list[Measure]:
    return list(Measure.objects.available_to_team(team))


def measure_for_case(case: Case, code: str) -> Measure:
    """A measure the case's team may record, or 404 (a licence not held reads as absent)."""
    measure = Measure.objects.available_to_team(case.team).filter(code=code).first()
    if measure is None:
        raise Http404("No such measure")
    return measure

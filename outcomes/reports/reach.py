"""Reach and equity: referrals per 1,000 registered patients by practice, and by age
band, sex and ethnic group against the registered population, so under-served groups
show. Population figures are published ones, imported per practice."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear

from outcomes.models import PopulationDimension, PracticePopulation
from outcomes.permissions import ReportScope
from outcomes.reports.activity import referrals_in
from outcomes.reports.base import Column, Report, ReportFilters, Table
from outcomes.reports.query import referral_q
from referrals import codes as referral_codes
from referrals.models import Referral
from socialrx.core.models import Organisation, OrganisationType

AGE_BANDS = [(18, "0-17"), (25, "18-24"), (35, "25-34"), (45, "35-44"), (55, "45-54"),
             (65, "55-64"), (75, "65-74"), (85, "75-84")]  # fmt: skip
OLDEST_BAND = "85 and over"


def practices_in(scope: ReportScope, filters: ReportFilters) -> Any:
    referred = Referral.objects.filter(referral_q(scope, filters)).values(
        "person__registered_practice"
    )
    practices = Organisation.objects.of_type(OrganisationType.GP_PRACTICE).filter(
        Q(pk__in=referred) | scope.practices()
    )
    if filters.pcn is not None:
        practices = practices.filter(parent=filters.pcn)
    if filters.practice is not None:
        practices = practices.filter(pk=filters.practice.pk)
    return practices


def build(*, scope: ReportScope, filters: ReportFilters) -> Report:
    referrals = referrals_in(scope, filters)
    practices = practices_in(scope, filters)
    tables = [
        _per_practice(referrals, practices),
        _against_population(
            referrals, practices, PopulationDimension.AGE_BAND,
            "Age band at referral", [label for _, label in AGE_BANDS] + [OLDEST_BAND],
        ),
        _against_population(
            referrals.annotate(group=F("person__sex")), practices, PopulationDimension.SEX,
            "Sex", dict(referral_codes.Sex.choices),
        ),
        _against_population(
            referrals.annotate(group=F("person__ethnicity")), practices,
            PopulationDimension.ETHNICITY, "Ethnic group",
            dict(referral_codes.EthnicCategory.choices),
        ),
    ]  # fmt: skip
    return Report(
        key="reach",
        title="Reach and equity",
        filters=filters,
        tables=tables,
        area=scope.area,
        notes=[
            "Rates are referrals per 1,000 registered patients (published list sizes), "
            "computed from the rounded count of referrals.",
            "Population columns are published figures for the practices in the report.",
        ],
    )


def _per_practice(referrals: Any, practices: Any) -> Table:
    counts = (
        referrals.filter(person__registered_practice=OuterRef("pk"))
        .values("person__registered_practice")
        .annotate(n=Count("pk"))
        .values("n")
    )
    sizes = PracticePopulation.objects.filter(
        practice=OuterRef("pk"), dimension=PopulationDimension.ALL
    ).values("people")[:1]
    rows = (
        practices.annotate(
            n=Subquery(counts, output_field=IntegerField()),
            list_size=Subquery(sizes, output_field=IntegerField()),
        )
        .values("name", "parent__name", "n", "list_size")
        .order_by("parent__name", "name")
    )
    return Table(
        key="per_practice",
        title="Referrals per 1,000 registered patients by practice",
        columns=[
            Column("name", "Practice", "label"),
            Column("pcn", "PCN", "label"),
            Column("list_size", "Registered patients", "figure"),
            Column("n", "Referrals"),
            Column(
                "rate",
                "Referrals per 1,000 patients",
                "rate",
                numerator="n",
                denominator="list_size",
            ),
        ],  # fmt: skip
        rows=[{**r, "pcn": r["parent__name"], "n": r["n"] or 0} for r in rows],
        chart_label="name",
        # The rate, so practices of different sizes compare fairly (the count is in the table).
        chart_value="rate",
    )


def _age_band() -> Case:
    """The band of the ``age`` alias (see ``_age_band_age``)."""
    whens = [When(Q(age__lt=limit), then=Value(label)) for limit, label in AGE_BANDS]
    return Case(*whens, default=Value(OLDEST_BAND))


def _with_age(referrals: Any) -> Any:
    return referrals.alias(
        ref_y=ExtractYear("created_at"), ref_m=ExtractMonth("created_at"),
        ref_d=ExtractDay("created_at"), dob_y=ExtractYear("person__date_of_birth"),
        dob_m=ExtractMonth("person__date_of_birth"), dob_d=ExtractDay("person__date_of_birth"),
    )  # fmt: skip


def _against_population(
    referrals: Any, practices: Any, dimension: str, title: str, groups: Any
) -> Table:
    if dimension == PopulationDimension.AGE_BAND:
        referrals = _with_age(referrals).alias(age=_age_band_age()).annotate(group=_age_band())
    counted = dict(referrals.values("group").annotate(n=Count("pk")).values_list("group", "n"))
    population = dict(
        PracticePopulation.objects.filter(practice__in=practices, dimension=dimension)
        .values("group")
        .annotate(people=Sum("people"))
        .values_list("group", "people")
    )
    labels = groups if isinstance(groups, dict) else {g: g for g in groups}
    total_referrals = sum(counted.values())
    total_population = sum(population.values())
    rows = [
        {
            "group": label,
            "n": counted.get(code, 0),
            "all": total_referrals,
            "population": population.get(code),
            "population_pct": _share(population.get(code), total_population),
        }
        for code, label in labels.items()
    ]
    if counted.get("", 0) or counted.get(None, 0):
        rows.append({"group": "Not recorded", "n": counted.get("", 0) + counted.get(None, 0),
                     "all": total_referrals})  # fmt: skip
    return Table(
        key=dimension,
        title=f"Referrals by {title.lower()} against the registered population",
        columns=[
            Column("group", title, "label"),
            Column("n", "Referrals"),
            Column("pct", "Per cent of referrals", "percent", numerator="n", denominator="all"),
            Column("all", "All referrals"),
            Column("population", "Registered population", "figure"),
            Column("population_pct", "Per cent of population", "figure"),
            Column(
                "rate",
                "Referrals per 1,000 population",
                "rate",
                numerator="n",
                denominator="population",
            ),
        ],  # fmt: skip
        rows=rows,
        chart_label="group",
        # Plotted as the rate: a group's share of referrals means little beside its size.
        chart_value="rate",
    )


def _age_band_age() -> Any:
    # Age on the day of referral: years between, less one if the birthday is still to come.
    birthday_to_come = Q(ref_m__lt=F("dob_m")) | Q(ref_m=F("dob_m"), ref_d__lt=F("dob_d"))
    return (
        F("ref_y")
        - F("dob_y")
        - Case(When(birthday_to_come, then=Value(1)), default=Value(0), output_field=IntegerField())
    )


def _share(part: int | None, whole: int) -> Any:
    from decimal import ROUND_HALF_UP, Decimal

    if part is None or not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)

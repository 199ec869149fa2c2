"""Equity against the resident population: referrals per 1,000 residents by ethnic
group (Census 2021) and by deprivation decile (IMD 2019), with what became of them
(declined at triage, supported, declined by the person), so under-served groups and
worse outcomes show. The area's residents are those of the local authorities the
referred people live in (by the postcode lookup)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, Sum

from outcomes.permissions import ReportScope
from outcomes.reports.activity import referrals_in
from outcomes.reports.areas import (
    decile_populations,
    imd_decile_of,
    local_authorities_of,
    populations_in,
)
from outcomes.reports.base import Column, Report, ReportFilters, Table
from referrals import codes as referral_codes

OUTCOMES = {
    "declined": Count("pk", filter=Q(status=referral_codes.Status.DECLINED)),
    "supported": Count(
        "pk", filter=Q(case__closure_outcome=referral_codes.ClosureOutcome.SUPPORTED)
    ),
    "person_declined": Count(
        "pk", filter=Q(case__closure_outcome=referral_codes.ClosureOutcome.DECLINED_BY_PERSON)
    ),
}
# Labels in words as well as the number: a bare "3" in a download would read as a count.
DECILE_LABELS = {1: "Decile 1 (most deprived)", 10: "Decile 10 (least deprived)"}


def build(*, scope: ReportScope, filters: ReportFilters) -> Report:
    referrals = referrals_in(scope, filters)
    populations = populations_in(local_authorities_of(referrals.values("person__postcode")))
    return Report(
        key="equity",
        title="Equity: ethnic group and deprivation",
        filters=filters,
        tables=[_by_ethnicity(referrals, populations), _by_decile(referrals, populations)],
        area=scope.area,
        notes=[
            "Residents: Census 2021 usual residents (TS021) of the local authorities the "
            "referred people live in. Rates are referrals per 1,000 residents, computed "
            "from the rounded count of referrals.",
            "Deprivation: English Indices of Deprivation 2019 (IMD) decile of the person's "
            "2011 LSOA, from their postcode; decile 1 is the most deprived tenth of "
            "England. Residents by decile count 2021 LSOAs whose code is unchanged since "
            "2011; 'Not known' is a postcode outside the lookup.",
        ],
    )


def _columns(title: str) -> list[Column]:
    return [
        Column("group", title, "label"),
        Column("n", "Referrals"),
        Column("population", "Residents", "figure"),
        Column("rate", "Referrals per 1,000 residents", "rate", numerator="n",
               denominator="population"),
        Column("declined", "Declined at triage"),
        Column("declined_pct", "Per cent declined", "percent", numerator="declined",
               denominator="n"),
        Column("supported", "Closed as supported"),
        Column("supported_pct", "Per cent supported", "percent", numerator="supported",
               denominator="n"),
        Column("person_declined", "Declined by the person"),
    ]  # fmt: skip


def _row(group: str, counted: dict[str, Any] | None, population: int | None) -> dict[str, Any]:
    counted = counted or {}
    return {
        "group": group,
        "population": population,
        "n": counted.get("n", 0),
        **{key: counted.get(key, 0) for key in OUTCOMES},
    }


def _by_ethnicity(referrals: Any, populations: Any) -> Table:
    counted = {
        r["person__ethnicity"]: r
        for r in referrals.values("person__ethnicity").annotate(n=Count("pk"), **OUTCOMES)
    }
    residents = dict(
        populations.exclude(group="")
        .values("group")
        .annotate(p=Sum("people"))
        .values_list("group", "p")
    )
    rows = [
        _row(label, counted.pop(code, None), residents.get(code))
        for code, label in referral_codes.EthnicCategory.choices
    ]
    rest = [counted.pop(k) for k in ("", None) if k in counted]
    if rest:
        rows.append(_row("Not recorded", _add(rest), None))
    return Table(
        key="by_ethnicity",
        title="Referrals per 1,000 residents by ethnic group, and what became of them",
        columns=_columns("Ethnic group"),
        rows=rows,
        note="Census 2021 categories are added into the NHS ethnic categories; 'Not "
        "stated' has no census population.",
        chart_label="group",
        chart_value="n",
    )


def _by_decile(referrals: Any, populations: Any) -> Table:
    counted = {
        r["decile"]: r
        for r in referrals.annotate(decile=imd_decile_of("person__postcode"))
        .values("decile")
        .annotate(n=Count("pk"), **OUTCOMES)
    }
    residents = decile_populations(populations)
    rows = [
        _row(DECILE_LABELS.get(d, f"Decile {d}"), counted.pop(d, None), residents.get(d))
        for d in range(1, 11)
    ]
    if counted:
        rows.append(_row("Not known", _add(list(counted.values())), None))
    return Table(
        key="by_decile",
        title="Referrals per 1,000 residents by deprivation decile (IMD 2019)",
        columns=_columns("IMD decile"),
        rows=rows,
        chart_label="group",
        chart_value="n",
    )


def _add(rows: list[dict[str, Any]]) -> dict[str, int]:
    keys = ["n", *OUTCOMES]
    return {key: sum(int(r.get(key) or 0) for r in rows) for key in keys}

"""Outcome payments: each tariff in force, the outcomes achieved in the period, those
payable under its cap, and the amount. Counted once per person (case) per outcome."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q

from linkworkers import codes as lw_codes
from linkworkers.models import Case, Connection
from outcomes.models import OutcomeTariff, TariffOutcome
from outcomes.permissions import ReportScope
from outcomes.reports import wellbeing
from outcomes.reports.base import Column, Report, ReportFilters, Table
from outcomes.reports.query import referral_q
from referrals.codes import ClosureOutcome

WELLBEING_OUTCOMES = (TariffOutcome.SWEMWBS_IMPROVED, TariffOutcome.UCLA3_IMPROVED)


def scale_for(outcome: str) -> wellbeing.Scale:
    return {
        TariffOutcome.SWEMWBS_IMPROVED: wellbeing.scales()[0],
        TariffOutcome.UCLA3_IMPROVED: wellbeing.scales()[-1],
    }[TariffOutcome(outcome)]


def achieved_condition(scope: ReportScope, filters: ReportFilters, outcome: str) -> Q:
    """The condition on a case for a person to have achieved ``outcome`` in the period."""
    start, end = filters.start_dt(), filters.end_dt()
    if outcome == TariffOutcome.ENGAGED:
        return Q(first_contact_at__gte=start, first_contact_at__lt=end)
    if outcome == TariffOutcome.SUPPORTED:
        return Q(closed_at__gte=start, closed_at__lt=end, closure_outcome=ClosureOutcome.SUPPORTED)
    if outcome == TariffOutcome.CONNECTED:
        return Q(
            Exists(
                Connection.objects.filter(
                    case=OuterRef("pk"),
                    started_on__gte=filters.start,
                    started_on__lte=filters.end,
                    status__in=[
                        lw_codes.ConnectionStatus.STARTED,
                        lw_codes.ConnectionStatus.COMPLETED,
                    ],
                )
            )
        )
    scale = scale_for(outcome)
    # paired() holds at most one pair per case and scale: the latest follow-up. Only
    # pairs recorded inside their windows are evidence of an outcome (outcomes.schedule).
    pairs = wellbeing.paired(scope, filters, scale, evidenced_only=True).filter(
        gain__gte=scale.threshold
    )
    return Q(Exists(pairs.filter(case=OuterRef("pk"))))


def achieved_by_tariff(
    scope: ReportScope, filters: ReportFilters, tariffs: list[OutcomeTariff]
) -> dict[int, int]:
    """How many people achieved each tariff's outcome in the period (in the tariff's
    service, if it names one): one filtered count per tariff, all in one query, so the
    page does not take a query per tariff."""
    if not tariffs:
        return {}
    counts = {}
    for tariff in tariffs:
        condition = achieved_condition(scope, filters, tariff.outcome)
        if tariff.service_id is not None:
            condition = Q(team__parent=tariff.service_id) & condition
        counts[f"tariff_{tariff.pk}"] = Count("pk", filter=condition)
    totals = (
        Case.objects.filter(referral_q(scope, filters, "referral__")).order_by().aggregate(**counts)
    )
    return {tariff.pk: totals[f"tariff_{tariff.pk}"] for tariff in tariffs}


def tariffs_for(scope: ReportScope, filters: ReportFilters) -> Any:
    return (
        OutcomeTariff.objects.in_force(filters.start, filters.end)
        .filter(Q(commissioner__in=scope.organisations) | Q(service__in=scope.organisations))
        .select_related("service")
    )


def build(*, scope: ReportScope, filters: ReportFilters) -> Report:
    rows = []
    tariffs = list(tariffs_for(scope, filters))
    achieved = achieved_by_tariff(scope, filters, tariffs)
    for tariff in tariffs:
        n = achieved[tariff.pk]
        payable = n if tariff.cap is None else min(n, tariff.cap)
        rows.append(
            {
                "tariff": tariff.name,
                "outcome": tariff.get_outcome_display(),
                "price": tariff.price,
                "cap": tariff.cap if tariff.cap is not None else "No cap",
                "n": n,
                "payable": payable,
            }
        )
    table = Table(
        key="payments",
        title="Payable outcomes by tariff",
        columns=[
            Column("tariff", "Tariff", "label"),
            Column("outcome", "Outcome definition", "label"),
            Column("price", "Price (£)", "figure"),
            Column("cap", "Cap in the period", "figure"),
            Column("n", "Outcomes achieved"),
            Column("payable", "Payable outcomes"),
            Column("amount", "Amount (£)", "amount", numerator="payable", denominator="price"),
        ],
        rows=rows,
        chart_label="tariff",
        chart_value="payable",
    )
    return Report(
        key="payments",
        title="Outcome payments",
        filters=filters,
        tables=[table],
        area=scope.area,
        notes=[
            "Amounts are computed from the rounded number of payable outcomes; the claim "
            "itself is settled from the provider's audited export for its own team.",
            "SWEMWBS improvement uses the meaningful change threshold stated in the "
            "wellbeing report; each person counts once per outcome in the period.",
            "Only evidenced outcomes count: a wellbeing improvement needs a baseline and a "
            "follow-up each recorded inside its window in the measure schedule. The "
            "evidence for each outcome is in the payment evidence extract.",
        ],
    )

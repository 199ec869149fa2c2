"""Outcome payments: each tariff in force, the outcomes achieved in the period, those
payable under its cap, and the amount. Counted once per person (case) per outcome."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from linkworkers import codes as lw_codes
from linkworkers.models import Case
from outcomes.models import OutcomeTariff, TariffOutcome
from outcomes.permissions import ReportScope
from outcomes.reports import wellbeing
from outcomes.reports.base import Column, Report, ReportFilters, Table
from outcomes.reports.query import referral_q
from referrals.codes import ClosureOutcome


def achieved(scope: ReportScope, filters: ReportFilters, outcome: str, service: Any) -> int:
    """How many people achieved ``outcome`` in the period (in the tariff's service)."""
    cases = Case.objects.filter(referral_q(scope, filters, "referral__")).order_by()
    if service is not None:
        cases = cases.filter(team__parent=service)
    start, end = filters.start_dt(), filters.end_dt()
    if outcome == TariffOutcome.ENGAGED:
        return cases.filter(first_contact_at__gte=start, first_contact_at__lt=end).count()
    if outcome == TariffOutcome.SUPPORTED:
        return cases.filter(
            closed_at__gte=start, closed_at__lt=end, closure_outcome=ClosureOutcome.SUPPORTED
        ).count()
    if outcome == TariffOutcome.CONNECTED:
        return (
            cases.filter(
                Q(
                    connections__started_on__gte=filters.start,
                    connections__started_on__lte=filters.end,
                ),
                connections__status__in=[
                    lw_codes.ConnectionStatus.STARTED,
                    lw_codes.ConnectionStatus.COMPLETED,
                ],
            )
            .distinct()
            .count()
        )
    scale = {
        TariffOutcome.SWEMWBS_IMPROVED: wellbeing.scales()[0],
        TariffOutcome.UCLA3_IMPROVED: wellbeing.scales()[-1],
    }[TariffOutcome(outcome)]
    pairs = wellbeing.paired(scope, filters, scale).filter(gain__gte=scale.threshold)
    return pairs.filter(case__in=cases.values("pk")).count()


def tariffs_for(scope: ReportScope, filters: ReportFilters) -> Any:
    return (
        OutcomeTariff.objects.in_force(filters.start, filters.end)
        .filter(Q(commissioner__in=scope.organisations) | Q(service__in=scope.organisations))
        .select_related("service")
    )


def build(*, scope: ReportScope, filters: ReportFilters) -> Report:
    rows = []
    for tariff in tariffs_for(scope, filters):
        n = achieved(scope, filters, tariff.outcome, tariff.service)
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
        ],
    )

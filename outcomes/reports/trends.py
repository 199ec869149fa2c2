"""Monthly trends for a board paper: referrals received, days to first contact, people
supported (cases opened) and SWEMWBS wellbeing change, month by month, each a table the
page draws as a line chart. Every figure goes through the same disclosure as the other
reports, and the queries are the other reports' own, grouped by month."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db.models import Avg, Count, F

from linkworkers.models import Case
from outcomes.permissions import ReportScope
from outcomes.reports import activity, wellbeing
from outcomes.reports.base import Column, Report, ReportFilters, Table, period_label
from outcomes.reports.query import referral_q, trunc

MONTH = "month"


def build(*, scope: ReportScope, filters: ReportFilters) -> Report:
    monthly = dataclasses.replace(filters, period=MONTH)
    referrals = activity.referrals_in(scope, monthly)
    waits = activity._waits(referrals, monthly)
    tables = [
        _line(
            "referrals", "Referrals received each month",
            _by_month(referrals, "created_at"), Column("n", "Referrals"),
        ),
        dataclasses.replace(
            waits, key="waits_by_month", title="Days to first contact each month",
            chart_label="period", chart_value="contact_median", chart_kind="line",
        ),
        _line(
            "supported", "People supported (cases opened) each month",
            _by_month(_cases(scope, monthly), "opened_at"), Column("n", "People supported"),
        ),
        _wellbeing(scope, monthly),
    ]  # fmt: skip
    return Report(
        key="trends",
        title="Monthly trends",
        filters=monthly,
        grouped_by=MONTH,
        tables=tables,
        area=scope.area,
        notes=[
            "Month by month whatever the grouping chosen: referrals by the month received, "
            "people supported by the month their case opened, wellbeing change by the month "
            "of the follow-up.",
        ],
    )


def _cases(scope: ReportScope, filters: ReportFilters) -> Any:
    return Case.objects.filter(
        referral_q(scope, filters, "referral__"),
        opened_at__gte=filters.start_dt(),
        opened_at__lt=filters.end_dt(),
    ).order_by()


def _by_month(queryset: Any, field: str) -> list[dict[str, Any]]:
    rows = (
        queryset.annotate(period=trunc(MONTH, field))
        .values("period")
        .annotate(n=Count("pk"))
        .order_by("period")
    )
    return [{"period": period_label(MONTH, r["period"]), "n": r["n"]} for r in rows]


def _line(key: str, title: str, rows: list[dict[str, Any]], value: Column) -> Table:
    return Table(
        key=key,
        title=title,
        columns=[Column("period", "Month", "label"), value],
        rows=rows,
        chart_label="period",
        chart_value=value.key,
        chart_kind="line",
    )


def _wellbeing(scope: ReportScope, filters: ReportFilters) -> Table:
    swemwbs = wellbeing.scales()[0]
    rows = (
        wellbeing.paired(scope, filters, swemwbs)
        .annotate(period=trunc(MONTH, "recorded_on"))
        .values("period")
        .annotate(n=Count("pk"), change=Avg(F("after") - F("before")))
        .order_by("period")
    )
    return Table(
        key="wellbeing_by_month",
        title="SWEMWBS mean change each month (people with a baseline and a follow-up)",
        columns=[
            Column("period", "Month", "label"),
            Column("n", "People with a follow-up"),
            Column("change", "Mean change (metric points)", "stat", people="n"),
        ],
        rows=[
            {"period": period_label(MONTH, r["period"]), "n": r["n"], "change": r["change"]}
            for r in rows
        ],
        chart_label="period",
        chart_value="change",
        chart_kind="line",
    )

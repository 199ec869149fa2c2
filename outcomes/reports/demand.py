"""Voluntary sector demand: connections per organisation and service per month against
stated capacity, connections declined because a service was full, and unmet needs by
life domain and postcode district."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from linkworkers import codes as lw_codes
from linkworkers.models import Connection, UnmetNeed
from outcomes.permissions import ReportScope
from outcomes.reports.base import Column, Report, ReportFilters, Table, period_label
from outcomes.reports.query import referral_q

WEEKS_PER_MONTH = 52 / 12
FULL = Q(status=lw_codes.ConnectionStatus.SERVICE_FULL) | Q(
    decline_reason=lw_codes.ConnectionDeclineReason.NO_CAPACITY
)


def build(*, scope: ReportScope, filters: ReportFilters) -> Report:
    connections = Connection.objects.filter(
        referral_q(scope, filters, "case__referral__"),
        created_at__gte=filters.start_dt(),
        created_at__lt=filters.end_dt(),
    ).order_by()
    needs = UnmetNeed.objects.filter(
        referral_q(scope, filters, "case__referral__"),
        recorded_on__gte=filters.start,
        recorded_on__lte=filters.end,
    ).order_by()
    return Report(
        key="demand",
        title="Voluntary sector demand",
        filters=filters,
        grouped_by="month",
        tables=[
            _connections(connections),
            _refused_by_organisation(connections),
            _needs_by_domain(needs),
            _needs_by_district(needs),
        ],
        area=scope.area,
        notes=[
            "Connections are counted in the month the link worker made them. Stated "
            "capacity is the service's weekly referral limit times 52 and divided by 12.",
            "Unmet needs hold a postcode district (such as NN1), never a full postcode.",
        ],
    )


def _connections(connections: Any) -> Table:
    rows = (
        connections.annotate(month=TruncMonth("created_at"))
        .values(
            "month",
            "service__organization__name",
            "service__name",
            "service__capacity__maximum",
        )
        .annotate(
            n=Count("pk"),
            full=Count("pk", filter=FULL),
            ineligible=Count("pk", filter=~Q(ineligible_reason="")),
        )
        .order_by("month", "service__organization__name", "service__name")
    )
    return Table(
        key="connections",
        title="Connections per service per month against stated capacity",
        columns=[
            Column("month", "Month", "label"),
            Column("organisation", "Organisation", "label"),
            Column("service", "Service", "label"),
            Column("n", "Connections"),
            Column("full", "Declined because full"),
            Column("ineligible", "Connected though not eligible"),
            Column("capacity", "Stated capacity a month", "figure"),
        ],
        rows=[
            {
                "month": period_label("month", r["month"]),
                "organisation": r["service__organization__name"],
                "service": r["service__name"],
                "n": r["n"],
                "full": r["full"],
                "ineligible": r["ineligible"],
                "capacity": _monthly(r["service__capacity__maximum"]),
            }
            for r in rows
        ],
        chart_label="service",
        chart_value="n",
    )


def _refused_by_organisation(connections: Any) -> Table:
    """The trend a VCSE group takes to its funders: how often it had to say no."""
    rows = (
        connections.annotate(month=TruncMonth("created_at"))
        .values("month", "service__organization__name")
        .annotate(n=Count("pk"), full=Count("pk", filter=FULL))
        .order_by("service__organization__name", "month")
    )
    return Table(
        key="refused_by_organisation",
        title="Refused for capacity by VCSE group, month by month",
        columns=[
            Column("organisation", "Organisation", "label"),
            Column("month", "Month", "label"),
            Column("n", "Connections"),
            Column("full", "Refused: no capacity"),
            Column("pct", "Per cent refused", "percent", numerator="full", denominator="n"),
        ],
        rows=[
            {
                "organisation": r["service__organization__name"],
                "month": period_label("month", r["month"]),
                "n": r["n"],
                "full": r["full"],
            }
            for r in rows
        ],
    )


def _monthly(weekly: int | None) -> int | None:
    return None if weekly is None else round(weekly * WEEKS_PER_MONTH)


def _needs_by_domain(needs: Any) -> Table:
    labels = dict(lw_codes.LifeDomain.choices)
    rows = needs.values("domain").annotate(n=Count("pk")).order_by("-n", "domain")
    return Table(
        key="unmet_by_domain",
        title="Unmet needs by life domain",
        columns=[Column("domain", "Life domain", "label"), Column("n", "Unmet needs")],
        rows=[{"domain": labels.get(r["domain"], r["domain"]), "n": r["n"]} for r in rows],
        chart_label="domain",
        chart_value="n",
    )


def _needs_by_district(needs: Any) -> Table:
    labels = dict(lw_codes.LifeDomain.choices)
    rows = needs.values("postcode_district", "domain").annotate(n=Count("pk"))
    return Table(
        key="unmet_by_district",
        title="Unmet needs by postcode district and life domain",
        columns=[
            Column("district", "Postcode district", "label"),
            Column("domain", "Life domain", "label"),
            Column("n", "Unmet needs"),
        ],
        rows=[
            {"district": r["postcode_district"], "domain": labels.get(r["domain"]), "n": r["n"]}
            for r in rows.order_by("postcode_district", "domain")
        ],
    )

"""Needs near you: what a VCSE organisation's own neighbourhoods and categories ask for,
month by month, and what its own services were asked, took on and had to refuse for
want of capacity (the evidence groups need for funding). Aggregates across every
referral on the platform, through disclosure control; the organisation's own figures
are about its own services only."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from directory.models import Service, ServiceAttribute
from directory.taxonomy import CATEGORY, term_id
from linkworkers import codes as lw_codes
from linkworkers.connections.services.search import NEED_CATEGORIES
from linkworkers.models import Connection, UnmetNeed
from outcomes.permissions import ReportScope
from outcomes.reports.areas import postcode_district
from outcomes.reports.base import Column, Report, ReportFilters, Table, period_label
from outcomes.reports.demand import FULL
from outcomes.reports.gaps import reason_domain
from referrals.models import ReferralReason

ACCEPTED = Q(
    status__in=[
        lw_codes.ConnectionStatus.ACCEPTED,
        lw_codes.ConnectionStatus.STARTED,
        lw_codes.ConnectionStatus.COMPLETED,
    ]
)


def services_of(scope: ReportScope) -> Any:
    return Service.objects.filter(organization__organisation__in=scope.vcse_organisations)


def areas_and_needs(scope: ReportScope) -> tuple[list[str], list[str]]:
    """The postcode districts of the organisation's venues, and the needs (life
    domains) its services' categories meet."""
    services = services_of(scope)
    districts = sorted(
        {
            d
            for d in services.annotate(
                district=postcode_district("service_at_locations__location__addresses__postal_code")
            )
            .values_list("district", flat=True)
            .order_by()
            if d
        }
    )
    terms = set(
        ServiceAttribute.objects.filter(service__in=services).values_list(
            "taxonomy_term_id", flat=True
        )
    )
    needs = [
        str(domain)
        for domain, categories in NEED_CATEGORIES.items()
        if terms & {term_id(CATEGORY, code) for code in categories}
    ]
    return districts, needs


def build(*, scope: ReportScope, filters: ReportFilters) -> Report:
    districts, needs = areas_and_needs(scope)
    labels = dict(lw_codes.LifeDomain.choices)
    return Report(
        key="needs",
        title="Needs near you",
        filters=filters,
        grouped_by="month",
        tables=[
            _reasons(filters, districts, needs, labels),
            _unmet(filters, districts, needs, labels),
            _own_services(scope, filters),
        ],
        area=scope.area,
        notes=[
            "Your areas: " + (", ".join(districts) or "none (add a venue with a postcode)"),
            "Your needs: " + (", ".join(labels[n] for n in needs) or "none (add categories)"),
            "Referral reasons and unmet needs are those of every referral on the service "
            "from people living in your areas, whoever took them on.",
        ],
    )


def _in_range(filters: ReportFilters, field: str) -> Q:
    return Q(**{f"{field}__gte": filters.start_dt(), f"{field}__lt": filters.end_dt()})


def _reasons(
    filters: ReportFilters, districts: list[str], needs: list[str], labels: dict[str, str]
) -> Table:
    rows = (
        ReferralReason.objects.filter(_in_range(filters, "referral__created_at"))
        .annotate(
            district=postcode_district("referral__person__postcode"),
            need=reason_domain(),
            month=TruncMonth("referral__created_at"),
        )
        .filter(district__in=districts, need__in=needs)
        .values("month", "need")
        .annotate(n=Count("referral", distinct=True))
        .order_by("month", "need")
    )
    return Table(
        key="reasons",
        title="Referral reasons in your areas and needs, by month",
        columns=[
            Column("month", "Month", "label"),
            Column("need", "Need", "label"),
            Column("n", "Referrals"),
        ],
        rows=[
            {"month": period_label("month", r["month"]), "need": labels[r["need"]], "n": r["n"]}
            for r in rows
        ],
        chart_label="need",
        chart_value="n",
    )


def _unmet(
    filters: ReportFilters, districts: list[str], needs: list[str], labels: dict[str, str]
) -> Table:
    rows = (
        UnmetNeed.objects.filter(
            recorded_on__gte=filters.start,
            recorded_on__lte=filters.end,
            postcode_district__in=districts,
            domain__in=needs,
        )
        .annotate(month=TruncMonth("recorded_on"))
        .values("month", "postcode_district", "domain")
        .annotate(n=Count("pk"))
        .order_by("month", "postcode_district", "domain")
    )
    return Table(
        key="unmet",
        title="Unmet needs in your areas and needs, by month",
        columns=[
            Column("month", "Month", "label"),
            Column("district", "Postcode district", "label"),
            Column("need", "Need", "label"),
            Column("n", "Unmet needs"),
        ],
        rows=[
            {
                "month": period_label("month", r["month"]),
                "district": r["postcode_district"],
                "need": labels[r["domain"]],
                "n": r["n"],
            }
            for r in rows
        ],
    )


def _own_services(scope: ReportScope, filters: ReportFilters) -> Table:
    rows = (
        Connection.objects.filter(_in_range(filters, "created_at"), service__in=services_of(scope))
        .exclude(status=lw_codes.ConnectionStatus.SUGGESTED)
        .annotate(month=TruncMonth("created_at"))
        .values("month", "service__name")
        .annotate(
            asked=Count("pk"), accepted=Count("pk", filter=ACCEPTED), full=Count("pk", filter=FULL)
        )
        .order_by("month", "service__name")
    )
    return Table(
        key="own_services",
        title="Your services: asked, accepted and refused for capacity, by month",
        columns=[
            Column("month", "Month", "label"),
            Column("service", "Service", "label"),
            Column("asked", "Asked"),
            Column("accepted", "Accepted"),
            Column("full", "Refused: no capacity"),
            Column(
                "full_pct", "Per cent refused", "percent", numerator="full", denominator="asked"
            ),
        ],  # fmt: skip
        rows=[
            {**r, "month": period_label("month", r["month"]), "service": r["service__name"]}
            for r in rows
        ],
        chart_label="month",
        chart_value="full",
    )

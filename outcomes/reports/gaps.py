"""The gap map: for each neighbourhood (postcode district, or 2021 LSOA where the
postcode lookup is imported) and need (life domain),
demand (referral reasons, unmet needs, connections refused for capacity, connections
to a service the person was not eligible for) against supply (published services
meeting that need, in that district, accepting referrals).

Demand counts people's records, so it passes through disclosure control; supply counts
services (public listings), shown as it is. Every figure is counted in the database,
one grouped query per measure (supply: one per need)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, Value, When

from directory.models import PostcodeArea, Service, ServiceAttribute
from directory.taxonomy import CATEGORY, term_id
from linkworkers import codes as lw_codes
from linkworkers.connections.services.search import NEED_CATEGORIES
from linkworkers.models import Connection, UnmetNeed
from outcomes.permissions import ReportScope
from outcomes.reports.areas import lsoa_names, lsoa_of, postcode_district
from outcomes.reports.base import Column, Report, ReportFilters, Table
from outcomes.reports.demand import FULL
from outcomes.reports.query import referral_q
from referrals import codes as referral_codes
from referrals.models import ReferralReason

# The need (life domain) each referral reason speaks to; "frequent attender" and
# "other" name no need and are not on the map.
REASON_DOMAINS: dict[str, str] = {
    referral_codes.Reason.LONELINESS: lw_codes.LifeDomain.SOCIAL_CONNECTION,
    referral_codes.Reason.LOW_MOOD: lw_codes.LifeDomain.MENTAL_WELLBEING,
    referral_codes.Reason.LONG_TERM_CONDITION: lw_codes.LifeDomain.PHYSICAL_HEALTH,
    referral_codes.Reason.CARER_SUPPORT: lw_codes.LifeDomain.RELATIONSHIPS,
    referral_codes.Reason.MONEY: lw_codes.LifeDomain.MONEY,
    referral_codes.Reason.HOUSING: lw_codes.LifeDomain.HOUSING,
    referral_codes.Reason.PHYSICAL_INACTIVITY: lw_codes.LifeDomain.PHYSICAL_HEALTH,
    referral_codes.Reason.WEIGHT: lw_codes.LifeDomain.LIFESTYLE,
    referral_codes.Reason.BEREAVEMENT: lw_codes.LifeDomain.MENTAL_WELLBEING,
    referral_codes.Reason.EMPLOYMENT: lw_codes.LifeDomain.WORK_LEARNING,
}
DEMAND = ("referrals", "unmet", "no_capacity", "ineligible")
# Declined by the service as not eligible, or connected although the criteria said not
# eligible (the link worker gave a reason).
INELIGIBLE = Q(decline_reason=lw_codes.ConnectionDeclineReason.NOT_ELIGIBLE) | ~Q(
    ineligible_reason=""
)
Cell = tuple[str, str]  # (neighbourhood, domain)
BY_DISTRICT, BY_LSOA = "", "lsoa"
NEIGHBOURHOODS = [(BY_DISTRICT, "Postcode districts"), (BY_LSOA, "LSOAs (2021)")]


def is_neighbourhood(value: object) -> bool:
    return value in dict(NEIGHBOURHOODS)


def reason_domain() -> Case:
    whens = [When(reason=r, then=Value(str(domain))) for r, domain in REASON_DOMAINS.items()]
    return Case(*whens, default=Value(""), output_field=CharField())


def build(*, scope: ReportScope, filters: ReportFilters) -> Report:
    by_lsoa = filters.neighbourhood == BY_LSOA and PostcodeArea.objects.exists()
    counts: dict[Cell, dict[str, int]] = defaultdict(dict)
    for measure, rows in _demand(scope, filters, by_lsoa).items():
        for district, domain, n in rows:
            if district and domain:
                counts[(district, domain)][measure] = n
    supply = _supply(lsoa_of if by_lsoa else postcode_district)
    for cell in supply:
        counts.setdefault(cell, {})
    if by_lsoa:
        where = "the 2021 LSOA (by the imported postcode lookup)"
    else:
        where = "the postcode district"
    notes = [
        f"Neighbourhood: {where} of the person's address (of the venue, for services). "
        "Need: the life domain of the assessment; referral reasons are counted under the "
        "domain they speak to.",
    ]
    if filters.neighbourhood == BY_LSOA and not by_lsoa:
        notes.append(
            "By postcode district: LSOAs need the postcode lookup "
            "(import_postcode_lsoa), which is not loaded."
        )
    return Report(
        key="gaps",
        title="Gap map: need against supply by neighbourhood",
        filters=filters,
        tables=[
            _table(counts, supply, lsoa_names({place for place, _ in counts}) if by_lsoa else None)
        ],
        area=scope.area,
        notes=[
            *notes,
            "Demand counts referrals with a reason in the need, unmet needs recorded, "
            "connections refused because the service was full, and connections declined "
            "as not eligible or made although the criteria said not eligible. Services "
            "are those published, accepting referrals with a place this week, with a "
            "category meeting the need and a venue in the neighbourhood: public listings, "
            "shown as counted.",
        ],
    )


def _demand(scope: ReportScope, filters: ReportFilters, by_lsoa: bool) -> dict[str, Any]:
    """Each measure's counts by (neighbourhood, need): postcode district or 2021 LSOA."""
    place = lsoa_of if by_lsoa else postcode_district
    start, end = filters.start_dt(), filters.end_dt()
    reasons = (
        ReferralReason.objects.filter(
            referral_q(scope, filters, "referral__"),
            referral__created_at__gte=start,
            referral__created_at__lt=end,
        )
        .annotate(district=place("referral__person__postcode"), need=reason_domain())
        .values("district", "need")
        .annotate(n=Count("referral", distinct=True))
        .values_list("district", "need", "n")
    )
    unmet = UnmetNeed.objects.filter(
        referral_q(scope, filters, "case__referral__"),
        recorded_on__gte=filters.start,
        recorded_on__lte=filters.end,
    )
    # An unmet need keeps the district it was recorded for; its LSOA is the person's.
    unmet = unmet.annotate(
        district=place("case__referral__person__postcode") if by_lsoa else F("postcode_district")
    )
    connections = Connection.objects.filter(
        referral_q(scope, filters, "case__referral__"), created_at__gte=start, created_at__lt=end
    ).annotate(district=place("case__referral__person__postcode"))
    return {
        "referrals": reasons.order_by(),
        "unmet": _by_cell(unmet),
        "no_capacity": _by_cell(connections.filter(FULL)),
        "ineligible": _by_cell(connections.filter(INELIGIBLE)),
    }


def _by_cell(connections: Any) -> Any:
    return (
        connections.values("district", "domain")
        .annotate(n=Count("pk"))
        .values_list("district", "domain", "n")
        .order_by()
    )


def _supply(place: Callable[[str], Any]) -> dict[Cell, int]:
    """Services meeting each need, accepting referrals, by the neighbourhood of their
    venues."""
    supply: dict[Cell, int] = {}
    published = Service.objects.published().accepting_referrals()
    for domain, categories in NEED_CATEGORIES.items():
        terms = [term_id(CATEGORY, code) for code in categories]
        rows = (
            published.filter(
                Exists(
                    ServiceAttribute.objects.filter(service=OuterRef("pk"), taxonomy_term__in=terms)
                )
            )
            .annotate(district=place("service_at_locations__location__addresses__postal_code"))
            .exclude(district="")
            .exclude(district__isnull=True)
            .values("district")
            .annotate(n=Count("pk", distinct=True))
            .values_list("district", "n")
            .order_by()
        )
        supply.update({(district, str(domain)): n for district, n in rows})
    return supply


def _table(
    counts: dict[Cell, dict[str, int]], supply: dict[Cell, int], names: dict[str, str] | None
) -> Table:
    """By postcode district, or by LSOA (``names`` given: their names, where known)."""
    labels = dict(lw_codes.LifeDomain.choices)
    order = {domain: n for n, domain in enumerate(lw_codes.LifeDomain.values)}
    rows = []
    for district, domain in sorted(
        counts, key=lambda cell: (_district_key(cell[0]), order.get(cell[1], 99))
    ):
        measured = counts[(district, domain)]
        rows.append(
            {
                "district": district,
                **({"area_name": names.get(district, "")} if names is not None else {}),
                "domain_code": domain,
                "domain": labels.get(domain, domain),
                **{m: measured.get(m, 0) for m in DEMAND},
                "demand": sum(measured.get(m, 0) for m in DEMAND),
                "services": supply.get((district, domain), 0),
            }
        )
    if names is None:
        by, places = "postcode district", [Column("district", "Postcode district", "label")]
    else:
        by = "LSOA"
        places = [Column("district", "LSOA", "label"), Column("area_name", "LSOA name", "label")]
    return Table(
        key="gap_map",
        title=f"Demand against services by {by} and need",
        columns=[
            *places,
            Column("domain", "Need", "label"),
            Column("referrals", "Referrals"),
            Column("unmet", "Unmet needs"),
            Column("no_capacity", "Refused: no capacity"),
            Column("ineligible", "Not eligible"),
            Column("demand", "All demand"),
            Column("services", "Services accepting", "figure"),
        ],
        rows=rows,
    )


def _district_key(district: str) -> tuple[str, int, str]:
    """NN2 before NN10: the letters, then the number."""
    match = re.match(r"([A-Z]+)(\d+)(.*)", district)
    return (match[1], int(match[2]), match[3]) if match else (district, 0, "")

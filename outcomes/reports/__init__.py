"""Commissioner reports: each module's ``build(scope=, filters=)`` returns a Report of
raw aggregates, which ``Report.disclosed()`` turns into what may be shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import Http404

from outcomes.permissions import AREA_REPORT_ROLES, ReportScope
from outcomes.reports import (
    activity,
    demand,
    equity,
    gaps,
    needs,
    payments,
    reach,
    trends,
    wellbeing,
)
from outcomes.reports.base import DisclosedReport, Report, ReportFilters
from socialrx.core.models import Role
from socialrx.db_routers import replica_in_use, replica_reads, replica_status


@dataclass(frozen=True)
class ReportKind:
    key: str
    title: str
    description: str
    build: Callable[..., Report]
    roles: tuple[str, ...] = AREA_REPORT_ROLES
    # Whether the "Group by" choice changes it: the others run by month or over the range.
    follows_grouping: bool = False
    # Whether it can be drawn by LSOA as well as postcode district.
    by_neighbourhood: bool = False


REPORTS: dict[str, ReportKind] = {
    kind.key: kind
    for kind in [
        ReportKind("activity", "Activity", "Referrals, triage, waits, cases and caseloads.",
                   activity.build, follows_grouping=True),
        ReportKind("trends", "Monthly trends",
                   "Referrals, days to first contact, people supported and wellbeing "
                   "change, month by month.", trends.build),
        ReportKind("reach", "Reach and equity",
                   "Referrals per 1,000 patients by practice; age, sex and ethnic group.",
                   reach.build),
        ReportKind("wellbeing", "Wellbeing change",
                   "Paired baseline and follow-up: mean change, 95% CI, share improved.",
                   wellbeing.build),
        ReportKind("demand", "Voluntary sector demand",
                   "Connections against capacity, services full, unmet needs.", demand.build),
        ReportKind("payments", "Outcome payments", "Payable outcomes under each tariff.",
                   payments.build),
        ReportKind("equity", "Equity: ethnic group and deprivation",
                   "Referrals per 1,000 residents by ethnic group (Census 2021) and IMD "
                   "decile, with declines and outcomes.", equity.build),
        ReportKind("gaps", "Gap map: need against supply by neighbourhood",
                   "Need against services accepting referrals, by postcode district or LSOA.",
                   gaps.build, by_neighbourhood=True),
        ReportKind("needs", "Needs near you",
                   "Referral reasons, unmet needs and capacity refusals in your areas and "
                   "categories, by month.", needs.build, roles=(Role.VCSE_EDITOR,)),
    ]
}  # fmt: skip


def reports_for(scope: ReportScope) -> dict[str, ReportKind]:
    """The reports the user's roles open: area reports for commissioners and service
    managers, their own organisation's demand for VCSE editors."""
    return {key: kind for key, kind in REPORTS.items() if scope.roles & set(kind.roles)}


def report_kind_for(scope: ReportScope, key: str) -> ReportKind:
    """The report, or 403 if the user's roles do not open it (404 if none exists)."""
    if key not in REPORTS:
        raise Http404("No such report")
    if key not in reports_for(scope):
        raise PermissionDenied("This report is not for your role.")
    return REPORTS[key]


def build_disclosed(key: str, *, scope: ReportScope, filters: ReportFilters) -> DisclosedReport:
    """The only way views, downloads and tasks get a report: already disclosed. Its reads
    go to the read replica when one is configured: aggregates may lag the primary by
    seconds, and the heaviest reads of the service then leave the primary alone. A
    replica that stops answering mid-report is set aside and the report is built again
    on the primary (ADR 0030)."""
    on_replica = replica_in_use()
    try:
        with replica_reads():
            return REPORTS[key].build(scope=scope, filters=filters).disclosed()
    except DatabaseError:
        # Only the replica's failure is recovered here: replica_status() sets it aside
        # when it does not answer; an error from the primary is the caller's.
        status = replica_status() if on_replica else None
        if status is None or status.from_replica:
            raise
    return REPORTS[key].build(scope=scope, filters=filters).disclosed()

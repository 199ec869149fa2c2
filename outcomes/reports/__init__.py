"""Commissioner reports: each module's ``build(scope=, filters=)`` returns a Report of
raw aggregates, which ``Report.disclosed()`` turns into what may be shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from outcomes.permissions import ReportScope
from outcomes.reports import activity, demand, payments, reach, trends, wellbeing
from outcomes.reports.base import DisclosedReport, Report, ReportFilters
from socialrx.db_routers import replica_reads


@dataclass(frozen=True)
class ReportKind:
    key: str
    title: str
    description: str
    build: Callable[..., Report]


REPORTS: dict[str, ReportKind] = {
    kind.key: kind
    for kind in [
        ReportKind("activity", "Activity", "Referrals, triage, waits, cases and caseloads.",
                   activity.build),
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
    ]
}  # fmt: skip


def build_disclosed(key: str, *, scope: ReportScope, filters: ReportFilters) -> DisclosedReport:
    """The only way views, downloads and tasks get a report: already disclosed. Its reads
    go to the read replica when one is configured: aggregates may lag the primary by
    seconds, and the heaviest reads of the service then leave the primary alone."""
    with replica_reads():
        return REPORTS[key].build(scope=scope, filters=filters).disclosed()

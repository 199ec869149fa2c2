"""Activity: referrals by period and PCN, source and reason; triage decisions; days to
triage and to first contact; cases open and closed and how they closed; contacts per
case; caseload against capacity per link worker."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models import Case as SqlCase
from django.db.models.functions import Coalesce, TruncDate

from linkworkers.models import Case, Contact
from outcomes.permissions import ReportScope
from outcomes.reports.base import Column, Report, ReportFilters, Table, period_label
from outcomes.reports.query import percentile_from_frequencies, referral_q, trunc
from referrals import codes as referral_codes
from referrals.models import Referral, ReferralStatusEvent
from socialrx.core.models import Role

ACCEPTED = [
    referral_codes.Status.TRIAGED,
    referral_codes.Status.ASSIGNED,
    referral_codes.Status.FIRST_CONTACT,
    referral_codes.Status.IN_PROGRESS,
    referral_codes.Status.CLOSED,
]


def referrals_in(scope: ReportScope, filters: ReportFilters) -> Any:
    return Referral.objects.filter(
        referral_q(scope, filters),
        created_at__gte=filters.start_dt(),
        created_at__lt=filters.end_dt(),
    ).order_by()


def build(*, scope: ReportScope, filters: ReportFilters) -> Report:
    referrals = referrals_in(scope, filters)
    cases = Case.objects.filter(
        referral_q(scope, filters, "referral__"),
        opened_at__gte=filters.start_dt(),
        opened_at__lt=filters.end_dt(),
    ).order_by()
    # Finding the area's referrals (a join through every referred person) costs more than
    # counting them, so each pass over them fills as many tables as it can.
    counts = _referral_counts(referrals, filters)
    sources = _sum_by(counts, "source")
    case_totals = _case_totals(cases)
    tables = [
        _by_period_and_pcn(counts, filters),
        _choice_table("sources", "Referrals by source", sources, referral_codes.ReferralSource),
        _by_choice(referrals, "reasons__reason", "Reasons for referral", referral_codes.Reason),
        _triage(_sum_by(counts, "status")),
        _waits(referrals, filters),
        _cases(case_totals),
        _contacts_per_case(case_totals),
        _caseload(scope, filters),
    ]
    return Report(
        key="activity",
        title="Activity",
        filters=filters,
        grouped_by=filters.period,
        tables=tables,
        area=scope.area,
        notes=[
            "Referrals are counted by the date they were received; cases by the date opened.",
            "A referral may give several reasons, so reasons add up to more than referrals.",
        ],
    )


def _referral_counts(referrals: Any, filters: ReportFilters) -> list[dict[str, Any]]:
    """Referrals counted by period, PCN, source and status at once: a few rows for each
    period and PCN (sources and statuses are short fixed lists), whatever the volume."""
    return list(
        referrals.annotate(period=trunc(filters.period, "created_at"))
        .values("period", "person__registered_practice__parent__name", "source", "status")
        .annotate(n=Count("pk"))
    )


def _sum_by(counts: list[dict[str, Any]], *keys: str) -> dict[Any, int]:
    sums: dict[Any, int] = {}
    for row in counts:
        key = tuple(row[k] for k in keys) if len(keys) > 1 else row[keys[0]]
        sums[key] = sums.get(key, 0) + row["n"]
    return sums


def _by_period_and_pcn(counts: list[dict[str, Any]], filters: ReportFilters) -> Table:
    sums = _sum_by(counts, "period", "person__registered_practice__parent__name")
    # By period, then PCN name with referrals of no known PCN last (as PostgreSQL sorts).
    ordered = sorted(sums.items(), key=lambda kv: (kv[0][0], kv[0][1] is None, kv[0][1] or ""))
    return Table(
        key="referrals_by_period",
        title=f"Referrals by {filters.period} and PCN",
        columns=[
            Column("period", filters.period.capitalize(), "label"),
            Column("pcn", "PCN", "label"),
            Column("n", "Referrals"),
        ],
        rows=[
            {"period": period_label(filters.period, period), "pcn": pcn, "n": n}
            for (period, pcn), n in ordered
        ],
        chart_label="period",
        chart_value="n",
    )


def _by_choice(referrals: Any, field: str, title: str, choices: Any) -> Table:
    rows = referrals.values(field).annotate(n=Count("pk", distinct=True))
    key = field.split("__")[-1] + "s"
    return _choice_table(key, title, {r[field]: r["n"] for r in rows}, choices)


def _choice_table(key: str, title: str, sums: dict[Any, int], choices: Any) -> Table:
    labels = dict(choices.choices)
    # Most first; ties in code order, no code (a referral giving no reason) last.
    ordered = sorted(sums.items(), key=lambda kv: (-kv[1], kv[0] is None, kv[0] or ""))
    return Table(
        key=key,
        title=title,
        columns=[Column("label", "Group", "label"), Column("n", "Referrals")],
        rows=[{"label": labels.get(code, code), "n": n} for code, n in ordered],
        chart_label="label",
        chart_value="n",
    )


def _triage(by_status: dict[Any, int]) -> Table:
    totals = {
        "accepted": sum(by_status.get(s, 0) for s in ACCEPTED),
        "declined": by_status.get(referral_codes.Status.DECLINED, 0),
        "waiting": sum(by_status.get(s, 0) for s in referral_codes.AWAITING_TRIAGE_STATUSES),
        "total": sum(by_status.values()),
    }
    labels = {"accepted": "Accepted", "declined": "Declined", "waiting": "Awaiting triage"}
    return Table(
        key="triage",
        title="Triage decisions",
        columns=[
            Column("label", "Decision", "label"),
            Column("n", "Referrals"),
            Column("total", "All referrals"),
            Column("pct", "Per cent", "percent", numerator="n", denominator="total"),
        ],
        rows=[{"label": labels[k], "n": totals[k], "total": totals["total"]} for k in labels],
        chart_label="label",
        chart_value="n",
    )


def _first_event_at(*kinds: str) -> Subquery:
    events = ReferralStatusEvent.objects.filter(referral=OuterRef("pk"), kind__in=kinds)
    return Subquery(events.order_by("occurred_at").values("occurred_at")[:1])


def _days(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, datetime.timedelta):
        return value.days
    return int(value)


WAITS = {
    "triage": (referral_codes.EventKind.ACCEPTED, referral_codes.EventKind.DECLINED),
    "contact": (referral_codes.EventKind.FIRST_CONTACT,),
}


def _waits(referrals: Any, filters: ReportFilters) -> Table:
    """Median and 90th percentile of whole days, from per-period frequency tables."""
    days = {
        name: ExpressionWrapper(
            TruncDate(_first_event_at(*kinds)) - TruncDate("created_at"),
            output_field=DurationField(),
        )
        for name, kinds in WAITS.items()
    }
    # Both waits in one pass, counted by pairs of days (a few hundred a year). A referral
    # still waiting has no days: no filter drops it, as a filter would make the database
    # look up each referral's events twice.
    frequencies = (
        referrals.annotate(period=trunc(filters.period, "created_at"), **days)
        .values("period", *WAITS)
        .annotate(n=Count("pk"))
    )
    grouped: dict[Any, dict[str, dict[int, int]]] = {}
    for row in frequencies:
        for name in WAITS:
            value = _days(row[name])
            if value is not None:
                freq = grouped.setdefault(row["period"], {}).setdefault(name, {})
                freq[value] = freq.get(value, 0) + row["n"]
    rows = []
    for period, by_name in sorted(grouped.items(), key=lambda kv: kv[0]):
        stats: dict[str, Any] = {"period": period_label(filters.period, period)}
        for name, freq in by_name.items():
            stats[f"{name}_n"] = sum(freq.values())
            stats[f"{name}_median"] = percentile_from_frequencies(freq.items(), 0.5)
            stats[f"{name}_p90"] = percentile_from_frequencies(freq.items(), 0.9)
        rows.append(stats)
    return Table(
        key="waits",
        title="Days to triage and to first contact",
        columns=[
            Column("period", filters.period.capitalize(), "label"),
            Column("triage_n", "Referrals triaged"),
            Column("triage_median", "Median days to triage", "stat", people="triage_n"),
            Column("triage_p90", "90th percentile days to triage", "stat", people="triage_n"),
            Column("contact_n", "Referrals with first contact"),
            Column("contact_median", "Median days to first contact", "stat", people="contact_n"),
            Column(
                "contact_p90", "90th percentile days to first contact", "stat", people="contact_n"
            ),
        ],
        rows=rows,
        note="Whole days from receipt; the percentile is the nearest-rank value.",
    )


CASE_LABELS = {"open": "Open"} | {
    k: f"Closed: {v.lower()}" for k, v in referral_codes.ClosureOutcome.choices
}


def _case_totals(cases: Any) -> dict[str, Any]:
    """Cases by how they stand, and conversations per closed case, in one pass."""
    contacts = (
        Contact.objects.filter(case=OuterRef("pk"), successful=True)
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    closed = Q(closed_at__isnull=False)
    # Counted for closed cases only: an open case's conversations count for nothing here.
    conversations = SqlCase(
        When(closed, then=Coalesce(Subquery(contacts, output_field=IntegerField()), Value(0)))
    )
    return cases.annotate(conversations=conversations).aggregate(
        open=Count("pk", filter=Q(closed_at__isnull=True)),
        total=Count("pk"),
        **{k: Count("pk", filter=Q(closure_outcome=k)) for k in CASE_LABELS if k != "open"},
        closed=Count("pk", filter=closed),
        # Closed as unable to contact before the attempts rule was met, with a reason.
        overridden=Count(
            "pk",
            filter=Q(closure_outcome=referral_codes.ClosureOutcome.UNABLE_TO_CONTACT)
            & ~Q(unable_to_contact_override=""),
        ),
        mean=Avg("conversations"),
    )


def _cases(totals: dict[str, Any]) -> Table:
    return Table(
        key="cases",
        title="Cases opened: open and closed, and how they closed",
        columns=[
            Column("label", "Status", "label"),
            Column("n", "Cases"),
            Column("total", "All cases opened"),
            Column("pct", "Per cent", "percent", numerator="n", denominator="total"),
        ],
        rows=[
            *(
                {"label": label, "n": totals[k], "total": totals["total"]}
                for k, label in CASE_LABELS.items()
            ),
            {
                "label": "Of those unable to contact: closed before the attempts rule was met",
                "n": totals["overridden"],
                "total": totals["total"],
            },
        ],
        chart_label="label",
        chart_value="n",
    )


def _contacts_per_case(totals: dict[str, Any]) -> Table:
    return Table(
        key="contacts",
        title="Conversations per closed case",
        columns=[
            Column("label", "Cases", "label"),
            Column("n", "Closed cases"),
            Column("mean", "Mean conversations per case", "stat", people="n"),
        ],
        rows=[
            {
                "label": "Cases opened in the period and closed",
                "n": totals["closed"],
                "mean": totals["mean"],
            }
        ],
    )


def _caseload(scope: ReportScope, filters: ReportFilters) -> Table:
    """Open cases now and cases opened in the period against each worker's target."""
    opened_in_period = Q(opened_at__gte=filters.start_dt(), opened_at__lt=filters.end_dt())
    rows = (
        # Only the cases a row counts: open now or opened in the period, not all history.
        Case.objects.filter(
            referral_q(scope, filters, "referral__"),
            Q(closed_at__isnull=True) | opened_in_period,
        )
        # The worker's membership of the case's team (one at most: unique per role),
        # joined rather than looked up by a subquery, which the grouping ran per case.
        .annotate(
            membership=FilteredRelation(
                "link_worker__memberships",
                condition=Q(
                    link_worker__memberships__organisation=F("team"),
                    link_worker__memberships__role=Role.LINK_WORKER,
                ),
            )
        )
        .order_by()
        .values("link_worker__full_name", "team__name", "membership__target_caseload")
        .annotate(
            open_now=Count("pk", filter=Q(closed_at__isnull=True)),
            opened=Count("pk", filter=opened_in_period),
        )
        .order_by("team__name", "link_worker__full_name")
    )
    default_target = settings.LINK_WORKER_DEFAULT_TARGET_CASELOAD
    return Table(
        key="caseload",
        title="Caseload against capacity per link worker",
        columns=[
            Column("worker", "Link worker", "label"),
            Column("team", "Team", "label"),
            Column("open_now", "Open cases now"),
            Column("opened", "Cases opened in the period"),
            Column("target", "Target people a year", "figure"),
        ],
        rows=[
            {
                "worker": r["link_worker__full_name"],
                "team": r["team__name"],
                "open_now": r["open_now"],
                "opened": r["opened"],
                "target": _or_default(r["membership__target_caseload"], default_target),
            }
            for r in rows
        ],
        note="Targets are people supported a year (full time about 200-250).",
    )


def _or_default(value: int | None, default: int) -> int:
    return default if value is None else value

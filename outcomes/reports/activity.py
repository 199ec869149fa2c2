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
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate

from linkworkers.models import Case, Contact
from outcomes.permissions import ReportScope
from outcomes.reports.base import Column, Report, ReportFilters, Table, period_label
from outcomes.reports.query import percentile_from_frequencies, referral_q, trunc
from referrals import codes as referral_codes
from referrals.models import Referral, ReferralStatusEvent
from socialrx.core.models import Membership, Role

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
    tables = [
        _by_period_and_pcn(referrals, filters),
        _by_choice(referrals, "source", "Referrals by source", referral_codes.ReferralSource),
        _by_choice(referrals, "reasons__reason", "Reasons for referral", referral_codes.Reason),
        _triage(referrals),
        _waits(referrals, filters),
        _cases(cases),
        _contacts_per_case(cases),
        _caseload(scope, filters),
    ]
    return Report(
        key="activity",
        title="Activity",
        filters=filters,
        tables=tables,
        area=scope.area,
        notes=[
            "Referrals are counted by the date they were received; cases by the date opened.",
            "A referral may give several reasons, so reasons add up to more than referrals.",
        ],
    )


def _by_period_and_pcn(referrals: Any, filters: ReportFilters) -> Table:
    rows = (
        referrals.annotate(period=trunc(filters.period, "created_at"))
        .values("period", "person__registered_practice__parent__name")
        .annotate(n=Count("pk"))
        .order_by("period", "person__registered_practice__parent__name")
    )
    return Table(
        key="referrals_by_period",
        title=f"Referrals by {filters.period} and PCN",
        columns=[
            Column("period", filters.period.capitalize(), "label"),
            Column("pcn", "PCN", "label"),
            Column("n", "Referrals"),
        ],
        rows=[
            {
                "period": period_label(filters.period, r["period"]),
                "pcn": r["person__registered_practice__parent__name"],
                "n": r["n"],
            }
            for r in rows
        ],
        chart_label="period",
        chart_value="n",
    )


def _by_choice(referrals: Any, field: str, title: str, choices: Any) -> Table:
    labels = dict(choices.choices)
    rows = referrals.values(field).annotate(n=Count("pk", distinct=True)).order_by("-n", field)
    return Table(
        key=field.split("__")[-1] + "s",
        title=title,
        columns=[Column("label", "Group", "label"), Column("n", "Referrals")],
        rows=[{"label": labels.get(r[field], r[field]), "n": r["n"]} for r in rows],
        chart_label="label",
        chart_value="n",
    )


def _triage(referrals: Any) -> Table:
    totals = referrals.aggregate(
        accepted=Count("pk", filter=Q(status__in=ACCEPTED)),
        declined=Count("pk", filter=Q(status=referral_codes.Status.DECLINED)),
        waiting=Count("pk", filter=Q(status__in=referral_codes.AWAITING_TRIAGE_STATUSES)),
        total=Count("pk"),
    )
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


def _waits(referrals: Any, filters: ReportFilters) -> Table:
    """Median and 90th percentile of whole days, from per-period frequency tables."""
    kinds = {
        "triage": (referral_codes.EventKind.ACCEPTED, referral_codes.EventKind.DECLINED),
        "contact": (referral_codes.EventKind.FIRST_CONTACT,),
    }
    stats: dict[Any, dict[str, Any]] = {}
    for name, event_kinds in kinds.items():
        days = ExpressionWrapper(
            TruncDate(_first_event_at(*event_kinds)) - TruncDate("created_at"),
            output_field=DurationField(),
        )
        frequencies = (
            referrals.annotate(period=trunc(filters.period, "created_at"), days=days)
            .filter(days__isnull=False)
            .values("period", "days")
            .annotate(n=Count("pk"))
        )
        grouped: dict[Any, list[tuple[int | None, int]]] = {}
        for row in frequencies:
            grouped.setdefault(row["period"], []).append((_days(row["days"]), row["n"]))
        for period, freq in grouped.items():
            entry = stats.setdefault(period, {})
            entry[f"{name}_n"] = sum(n for _, n in freq)
            entry[f"{name}_median"] = percentile_from_frequencies(freq, 0.5)
            entry[f"{name}_p90"] = percentile_from_frequencies(freq, 0.9)
    rows = [
        {"period": period_label(filters.period, period), **values}
        for period, values in sorted(stats.items(), key=lambda kv: kv[0])
    ]
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


def _cases(cases: Any) -> Table:
    labels = {"open": "Open"} | {
        k: f"Closed: {v.lower()}" for k, v in referral_codes.ClosureOutcome.choices
    }
    totals = cases.aggregate(
        open=Count("pk", filter=Q(closed_at__isnull=True)),
        total=Count("pk"),
        **{k: Count("pk", filter=Q(closure_outcome=k)) for k in labels if k != "open"},
    )
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
            {"label": label, "n": totals[k], "total": totals["total"]}
            for k, label in labels.items()
        ],
        chart_label="label",
        chart_value="n",
    )


def _contacts_per_case(cases: Any) -> Table:
    contacts = (
        Contact.objects.filter(case=OuterRef("pk"), successful=True)
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    closed = cases.filter(closed_at__isnull=False).annotate(
        conversations=Coalesce(Subquery(contacts, output_field=IntegerField()), Value(0))
    )
    totals = closed.aggregate(n=Count("pk"), mean=Avg("conversations"))
    return Table(
        key="contacts",
        title="Conversations per closed case",
        columns=[
            Column("label", "Cases", "label"),
            Column("n", "Closed cases"),
            Column("mean", "Mean conversations per case", "stat", people="n"),
        ],
        rows=[{"label": "Cases opened in the period and closed", **totals}],
    )


def _caseload(scope: ReportScope, filters: ReportFilters) -> Table:
    """Open cases now and cases opened in the period against each worker's target."""
    target = Membership.objects.filter(
        user=OuterRef("link_worker"), organisation=OuterRef("team"), role=Role.LINK_WORKER
    ).values("target_caseload")[:1]
    rows = (
        Case.objects.filter(referral_q(scope, filters, "referral__"))
        .order_by()
        .values("link_worker__full_name", "team__name")
        .annotate(
            open_now=Count("pk", filter=Q(closed_at__isnull=True)),
            opened=Count(
                "pk", filter=Q(opened_at__gte=filters.start_dt(), opened_at__lt=filters.end_dt())
            ),
            target=Coalesce(
                Subquery(target, output_field=IntegerField()),
                Value(settings.LINK_WORKER_DEFAULT_TARGET_CASELOAD),
            ),
        )
        .filter(Q(open_now__gt=0) | Q(opened__gt=0))
        .order_by("team__name", "link_worker__full_name")
    )
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
                "target": r["target"],
            }
            for r in rows
        ],
        note="Targets are people supported a year (full time about 200-250).",
    )

"""The evidence behind the outcome payments report, one CSV row per payable outcome, so
a payer can audit each one (Life Chances Fund style outcomes contracts).

Every row is an outcome the payments report counts (``outcomes.reports.payments``
decides, this lists): the same conditions, so the file and the report cannot disagree.
A wellbeing outcome rests on a baseline and a follow-up both recorded inside their
windows (``outcomes.schedule``); a record made outside its window is never evidence.

Pseudonymised, not anonymised: a person appears as a key (a keyed hash of the case,
stable while the secret key is, so the provider can find the case when the payer asks
about a row and nobody else can), with dates and scores, and no name, NHS number, date
of birth, address, postcode, service name or free text. Only commissioners, for the
tariffs their organisations set, and every download is audited. Cells go through the
one spreadsheet escaping (``socialrx.core.spreadsheets``).
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator
from typing import Any

from django.db.models import Min, OuterRef, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.crypto import salted_hmac

from linkworkers import codes as lw_codes
from linkworkers.models import Case, Connection
from outcomes.models import MeasureRecord, OutcomeTariff, TariffOutcome
from outcomes.permissions import ReportScope
from outcomes.reports import payments, wellbeing
from outcomes.reports.base import ReportFilters
from outcomes.reports.query import referral_q
from socialrx.core.spreadsheets import spreadsheet_row

PSEUDONYM_SALT = "socialrx.outcomes.payments_evidence"

# (column, what it holds), in the file's order; shown on the download page too.
COLUMNS: list[tuple[str, str]] = [
    ("tariff", "The tariff the outcome is paid under."),
    ("outcome", "The outcome definition."),
    ("person_key", "The person's pseudonym: the provider can find the case, no one else."),
    ("evidence", "What shows the outcome was achieved."),
    ("achieved_on", "The date the outcome was achieved (the follow-up for wellbeing)."),
    ("baseline_on", "Wellbeing: the date of the baseline, inside its window."),
    ("baseline_score", "Wellbeing: the baseline score."),
    ("follow_up_week", "Wellbeing: the scheduled follow-up (weeks after the baseline)."),
    ("follow_up_score", "Wellbeing: the follow-up score, recorded inside its window."),
    ("change", "Wellbeing: the improvement (positive is better)."),
    ("threshold", "Wellbeing: the improvement that counts as meaningful."),
    ("record_ids", "Wellbeing: the ids of the two records, for the provider's audit."),
]


def person_key(case_id: int) -> str:
    """A stable pseudonym for a case: an HMAC under the site's secret key."""
    return "P-" + salted_hmac(PSEUDONYM_SALT, str(case_id)).hexdigest()[:12].upper()


def _day(value: Any) -> str:
    return value.isoformat() if value else ""


def _cases(scope: ReportScope, filters: ReportFilters, tariff: OutcomeTariff) -> Any:
    cases = Case.objects.filter(referral_q(scope, filters, "referral__"))
    if tariff.service_id is not None:
        cases = cases.filter(team__parent=tariff.service_id)
    return cases.order_by("pk")


def _simple_rows(
    scope: ReportScope, filters: ReportFilters, tariff: OutcomeTariff
) -> Iterator[list[Any]]:
    """Engaged, supported, connected: the case's own dates are the evidence."""
    outcome = tariff.outcome
    cases = _cases(scope, filters, tariff).filter(
        payments.achieved_condition(scope, filters, outcome)
    )
    if outcome == TariffOutcome.ENGAGED:
        cases = cases.annotate(on=TruncDate("first_contact_at"))
        evidence = "First contact recorded"
    elif outcome == TariffOutcome.SUPPORTED:
        cases = cases.annotate(on=TruncDate("closed_at"))
        evidence = "Case closed with the outcome 'supported'"
    else:
        first_started = (
            Connection.objects.filter(
                case=OuterRef("pk"),
                started_on__gte=filters.start,
                started_on__lte=filters.end,
                status__in=[
                    lw_codes.ConnectionStatus.STARTED,
                    lw_codes.ConnectionStatus.COMPLETED,
                ],
            )
            .order_by()
            .values("case")
            .annotate(first=Min("started_on"))
            .values("first")
        )
        cases = cases.annotate(on=Subquery(first_started))
        evidence = "Started at a service it was connected to"
    for pk, on in cases.values_list("pk", "on").iterator():
        yield [tariff.name, tariff.get_outcome_display(), person_key(pk), evidence, _day(on)]


def _wellbeing_rows(
    scope: ReportScope, filters: ReportFilters, tariff: OutcomeTariff
) -> Iterator[list[Any]]:
    scale = payments.scale_for(tariff.outcome)
    baseline = MeasureRecord.objects.evidenced().filter(
        case=OuterRef("case"), measure=OuterRef("measure"), follow_up_week=0
    )
    pairs = (
        wellbeing.paired(scope, filters, scale, evidenced_only=True)
        .filter(gain__gte=scale.threshold, case__in=_cases(scope, filters, tariff))
        .annotate(
            baseline_id=Subquery(baseline.values("pk")[:1]),
            baseline_on=Subquery(baseline.values("recorded_on")[:1]),
        )
        .order_by("case")
        .values_list(
            "case",
            "recorded_on",
            "follow_up_week",
            "pk",
            "baseline_id",
            "baseline_on",
            "before",
            "after",
            "gain",
        )
    )
    for case_id, on, week, pk, b_id, b_on, before, after, gain in pairs.iterator():
        yield [
            tariff.name,
            tariff.get_outcome_display(),
            person_key(case_id),
            f"{scale.title}: baseline and follow-up inside their windows",
            _day(on),
            _day(b_on),
            _number(before),
            week,
            _number(after),
            _number(gain),
            _number(scale.threshold),
            f"{b_id};{pk}",
        ]


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def rows(
    scope: ReportScope, filters: ReportFilters, tariffs: list[OutcomeTariff]
) -> Iterator[list[Any]]:
    """Every outcome achieved under each tariff, tariff by tariff. Caps are the
    report's business: the file lists all, so a payer can check which were paid."""
    for tariff in tariffs:
        if tariff.outcome in payments.WELLBEING_OUTCOMES:
            yield from _wellbeing_rows(scope, filters, tariff)
        else:
            yield from _simple_rows(scope, filters, tariff)


def commissioned_tariffs(commissioners: list[int], filters: ReportFilters) -> list[OutcomeTariff]:
    """The tariffs in force that the user's commissioning organisations set."""
    return list(
        OutcomeTariff.objects.in_force(filters.start, filters.end)
        .filter(commissioner__in=commissioners)
        .order_by("name", "pk")
    )


def stream(
    scope: ReportScope, filters: ReportFilters, tariffs: list[OutcomeTariff]
) -> Iterator[str]:
    """The CSV, a line at a time: a byte order mark so Excel reads UTF-8, the header,
    then the rows with every cell escaped."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    buffer.write("\ufeff")
    writer.writerow([name for name, _ in COLUMNS])
    for row in rows(scope, filters, tariffs):
        writer.writerow(spreadsheet_row(row))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def filename(filters: ReportFilters, today: datetime.date | None = None) -> str:
    today = today or timezone.localdate()
    return (
        f"socialrx-payment-evidence-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}"
        f"-made-{today:%Y%m%d}.csv"
    )

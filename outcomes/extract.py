"""The referral data extract: one CSV row per referral, for a service's own analysis.

The file is pseudonymised, not anonymised. It holds no names, NHS numbers, dates of
birth, addresses or full postcodes, and no free text (a note can name anyone), but a
person key, an age band, a postcode district and dates together can still single
someone out: it is personal data under UK GDPR, for the service's own use under its
data protection arrangements. Commissioners never get it; they get the aggregate
reports, which are through disclosure control.

Every column is worked out in the database (joins, and correlated subqueries on
indexed columns for reasons, contacts and scores), so the rows stream out of one query
in chunks: memory stays flat however many referrals there are.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, models, transaction
from django.db.models import (
    Case,
    F,
    Func,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import (
    Cast,
    Coalesce,
    Concat,
    Left,
    LPad,
    StrIndex,
    TruncDate,
)
from django.utils import timezone

from linkworkers.models import Contact
from outcomes import codes
from outcomes.models import Measure, MeasureRecord
from outcomes.reports.reach import AGE_BANDS, OLDEST_BAND
from referrals.models import ReferralQuerySet, ReferralReason
from socialrx.core.spreadsheets import spreadsheet_safe_expression

# Rows per fetch from the database cursor, and bytes per chunk sent to the client.
FETCH_ROWS = 2000
CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    expression: Any


class _CountAll(Func):
    """COUNT(*) in a correlated subquery. A Func, not an Aggregate, so that Django adds
    no GROUP BY: a plain aggregate over the matching rows, 0 when there are none."""

    template = "COUNT(*)"
    output_field = models.IntegerField()


class _JoinedCodes(Func):
    """Codes joined with ';' in code order: STRING_AGG on PostgreSQL, GROUP_CONCAT on
    SQLite (whose covering unique index on (referral, reason) gives code order). A Func,
    like ``_CountAll``, so the subquery has no GROUP BY."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ';' ORDER BY %(expressions)s)"
    output_field = models.CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            function="GROUP_CONCAT",
            template="%(function)s(%(expressions)s, ';')",
        )


class _DaysBetween(Func):
    """Whole days from the second date to the first (dates, not timestamps)."""

    arity = 2
    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = models.IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
        )


class _AgeBand(Func):
    """The age band, as the reach report bands it, of a person born on the second date
    on the first (the local date of referral). The date of birth never leaves the
    database."""

    arity = 2
    output_field = models.CharField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # One age() and a bucket lookup: a CASE would work the age out once per band.
        labels = ", ".join(f"'{label}'" for label in (*(b for _, b in AGE_BANDS), OLDEST_BAND))
        bounds = ", ".join(str(limit) for limit, _ in AGE_BANDS)
        template = (
            f"(ARRAY[{labels}])[width_bucket(EXTRACT(YEAR FROM age(%(expressions)s))::integer, "
            f"ARRAY[{bounds}]) + 1]"
        )
        return self.as_sql(compiler, connection, template=template)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # Whole years: the difference of two yyyymmdd numbers over 10,000, truncated.
        # Worked out once in a subquery so the CASE does not repeat it (and its params).
        on, born = (compiler.compile(e) for e in self.get_source_expressions())
        age = (
            f"(CAST(strftime('%%Y%%m%%d', {on[0]}) AS INTEGER)"
            f" - CAST(strftime('%%Y%%m%%d', {born[0]}) AS INTEGER)) / 10000"
        )
        whens = " ".join(f"WHEN age < {limit} THEN '{label}'" for limit, label in AGE_BANDS)
        sql = f"(SELECT CASE {whens} ELSE '{OLDEST_BAND}' END FROM (SELECT {age} AS age))"
        return sql, (*on[1], *born[1])


def _postcode_district() -> Case:
    """The outward code (``NN1`` of ``NN1 1AA``): postcodes are stored normalised, with
    the one space before the inward code. Anything else gives nothing, never more."""
    space = StrIndex("person__postcode", Value(" "))
    return Case(
        When(Q(person__postcode__contains=" "), then=Left("person__postcode", space - 1)),
        default=Value(""),
        output_field=models.CharField(),
    )


def _reference() -> Case:
    """SRX-000123, as ``Referral.reference``; LPAD would cut a seventh digit off."""
    pk = Cast("pk", models.CharField())
    return Case(
        When(pk__lt=1_000_000, then=Concat(Value("SRX-"), LPad(pk, 6, Value("0")))),
        default=Concat(Value("SRX-"), pk),
        output_field=models.CharField(),
    )


def _reasons() -> Subquery:
    rows = ReferralReason.objects.filter(referral=OuterRef("pk")).order_by()
    return Subquery(rows.values(codes=_JoinedCodes("reason")), output_field=models.CharField())


def _contacts() -> Subquery:
    rows = Contact.objects.filter(case=OuterRef("case")).order_by()
    return Subquery(rows.values(n=_CountAll()), output_field=models.IntegerField())


def _swemwbs(timepoint: str) -> Subquery:
    """The case's SWEMWBS score at baseline, or at its latest follow-up."""
    measure = Measure.objects.filter(code=codes.SWEMWBS).order_by().values("pk")
    records = MeasureRecord.objects.filter(
        case=OuterRef("case"), measure=Subquery(measure), timepoint=timepoint
    )
    return Subquery(records.order_by("-follow_up_week").values("score")[:1])


def columns() -> list[Column]:
    """The file's columns in order: name, what it holds, and how the database works
    it out from a referral."""
    created_on = TruncDate("created_at")
    first_contact_on = TruncDate("case__first_contact_at")
    return [
        Column("referral_id", "The referral's internal id.", F("pk")),
        Column("reference", "The reference people quote (SRX-000123).", _reference()),
        Column("created_on", "Date the referral was received.", created_on),
        Column("source", "Who referred (gp, practice_nurse, self...).", F("source")),
        Column("urgency", "routine or urgent.", F("urgency")),
        Column(
            "referrer_ods_code",
            "ODS code of the referring organisation; empty for self-referrals.",
            F("referring_organisation__ods_code"),
        ),
        Column(
            "registered_practice_ods_code",
            "ODS code of the person's registered GP practice.",
            F("person__registered_practice__ods_code"),
        ),
        Column("reasons", "Reason codes, joined with ';'.", _reasons()),
        Column("status", "Where the referral is now (received ... closed, declined).", F("status")),
        Column("decline_reason", "Why triage declined it, if it did.", F("decline_reason")),
        Column(
            "triage_service",
            "The link worker service that triaged it.",
            spreadsheet_safe_expression("triage_service__name"),
        ),
        Column(
            "assigned_team",
            "The link worker team it was assigned to.",
            spreadsheet_safe_expression("assigned_team__name"),
        ),
        Column("case_status", "The link worker case's status, once opened.", F("case__status")),
        Column("case_opened_on", "Date the case was opened.", TruncDate("case__opened_at")),
        Column("first_contact_on", "Date of first contact with the person.", first_contact_on),
        Column(
            "days_to_first_contact",
            "Calendar days from the referral to first contact.",
            _DaysBetween(first_contact_on, created_on),
        ),
        Column("closed_on", "Date the case was closed.", TruncDate("case__closed_at")),
        Column("closure_outcome", "How the referral closed.", F("closure_outcome")),
        Column("contacts", "Contacts recorded, attempts included.", _contacts()),
        Column(
            "person_key",
            "The person's internal id (the surviving record where duplicates were merged): "
            "links a person's referrals, names no one.",
            Coalesce("person__merged_into", "person"),
        ),
        Column(
            "age_band",
            "Age band on the day of referral.",
            _AgeBand(created_on, "person__date_of_birth"),
        ),
        Column(
            "sex", "NHS Data Dictionary person stated gender code (1, 2, 9, X).", F("person__sex")
        ),
        Column(
            "ethnic_category", "NHS Data Dictionary ethnic category code.", F("person__ethnicity")
        ),
        Column(
            "postcode_district",
            "The outward part of the postcode only (NN1).",
            _postcode_district(),
        ),
        Column(
            "swemwbs_baseline",
            "SWEMWBS metric score at baseline, if recorded.",
            _swemwbs(codes.Timepoint.BASELINE),
        ),
        Column(
            "swemwbs_latest_follow_up",
            "SWEMWBS metric score at the latest follow-up, if recorded.",
            _swemwbs(codes.Timepoint.FOLLOW_UP),
        ),
    ]


def _values(referrals: ReferralQuerySet) -> models.QuerySet[Any]:
    # Annotation names may not clash with fields (``source``, ``status``): prefixed.
    selected = {f"x_{c.name}": c.expression for c in columns()}
    return referrals.annotate(**selected).order_by("pk").values_list(*selected)


def stream(referrals: ReferralQuerySet) -> Iterator[bytes]:
    """The extract of ``referrals`` as UTF-8 CSV, in chunks of about ``CHUNK_BYTES``:
    the header row, then one row per referral in id order."""
    head = io.StringIO()
    # A byte order mark so that Excel opens the file as UTF-8.
    head.write("\ufeff")
    csv.writer(head, lineterminator="\n").writerow([c.name for c in columns()])
    yield head.getvalue().encode("utf-8")
    values = _values(referrals)
    connection = connections[values.db]
    if connection.vendor == "postgresql":
        yield from _rebuffer(_copy_out(values, connection))
    else:
        yield from _csv_rows(values.iterator(chunk_size=FETCH_ROWS), _decimal_places(values))


def _copy_out(values: models.QuerySet[Any], connection: Any) -> Iterator[bytes]:
    """PostgreSQL writes the CSV itself (COPY ... TO STDOUT) as it produces the rows: no
    row passes through Python objects, and nothing is held but one message at a time."""
    sql, params = values.query.sql_with_params()
    with transaction.atomic(using=values.db), connection.cursor() as cursor:
        # JIT spent 3.7 s compiling this query's expressions at county scale, more than
        # running it takes; the sort by id fits in memory; dates print as ISO 8601
        # whatever the server's DateStyle. LOCAL: gone when the transaction ends.
        cursor.execute(
            "SET LOCAL jit = off; SET LOCAL work_mem = '64MB'; SET LOCAL DateStyle = 'ISO'"
        )
        # Bound here, by psycopg's quoting: COPY takes no server-side parameters, and
        # Django's debug cursor passes none to copy().
        query = connection.ops.compose_sql(sql, params)
        with cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)") as copy:
            yield from copy


def _rebuffer(messages: Iterable[bytes]) -> Iterator[bytes]:
    """COPY sends one message per row: gathered into chunks for the client."""
    chunk = bytearray()
    for message in messages:
        chunk += message
        if len(chunk) >= CHUNK_BYTES:
            yield bytes(chunk)
            chunk.clear()
    if chunk:
        yield bytes(chunk)


def _decimal_places(values: models.QuerySet[Any]) -> list[int | None]:
    fields = [values.query.annotations[f"x_{c.name}"].output_field for c in columns()]
    return [getattr(f, "decimal_places", None) for f in fields]


def _csv_rows(rows: Iterable[Sequence[Any]], places: list[int | None]) -> Iterator[bytes]:
    """The CSV PostgreSQL's COPY writes (but for "" where COPY quotes an empty string),
    from rows fetched in chunks: SQLite, for local use and tests."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    # SQLite hands a subquery's decimal back with float noise (16.3600000000000):
    # written to the field's places, as PostgreSQL writes a numeric(6, 2).
    decimals = [(i, p) for i, p in enumerate(places) if p is not None]
    for row in rows:
        if decimals:
            row = list(row)
            for i, p in decimals:
                if row[i] is not None:
                    row[i] = f"{row[i]:.{p}f}"
        writer.writerow(row)
        if buffer.tell() >= CHUNK_BYTES:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def filename(today: datetime.date | None = None) -> str:
    return f"socialrx-referral-extract-{(today or timezone.localdate()):%Y%m%d}.csv"

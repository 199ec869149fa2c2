"""The shape every report takes: tables of raw aggregates from the database, turned into
disclosed tables by the one disclosure function before anything renders them.

Renderers (HTML, CSV, Excel, PDF) accept only ``DisclosedReport``, so a raw count cannot
reach a commissioner by a renderer forgetting a step.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from outcomes.disclosure import RULE_TEXT, disclose, percentage, rate


@dataclass(frozen=True)
class Column:
    """``kind`` says how a figure is disclosed:

    - ``label``: text naming the row (a quarter, a PCN); shown as it is;
    - ``count``: people or their records: 0, ``*`` or rounded to 5;
    - ``stat``: a mean, median or bound computed from ``people`` (another column's key,
      holding the raw number of people): ``*`` for 1-7 people;
    - ``percent``: ``numerator`` over ``denominator`` (count columns), from rounded values;
    - ``rate``: ``numerator`` (a count column) per 1,000 of ``denominator`` (a figure);
    - ``figure``: not about people (a list size, a price, a stated capacity);
    - ``amount``: ``numerator`` (a count column) rounded, times ``denominator`` (a figure).
    """

    key: str
    title: str
    kind: str = "count"
    people: str = ""
    numerator: str = ""
    denominator: str = ""
    places: int = 1


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    note: str = ""
    chart_label: str = ""
    chart_value: str = ""
    # "bar" (one bar per row) or "line" (a trend over the rows, which are periods in order).
    chart_kind: str = "bar"

    def disclosed(self) -> DisclosedTable:
        shown_rows = [_disclose_row(self.columns, row) for row in self.rows]
        return DisclosedTable(
            key=self.key,
            title=self.title,
            headers=[c.title for c in self.columns],
            kinds=[c.kind for c in self.columns],
            rows=[[row[c.key] for c in self.columns] for row in shown_rows],
            note=self.note,
            chart_label=self.chart_label,
            chart_value=self.chart_value,
            chart_kind=self.chart_kind,
            column_keys=[c.key for c in self.columns],
        )


def _disclose_row(columns: list[Column], row: dict[str, Any]) -> dict[str, Any]:
    shown: dict[str, Any] = {}
    # Counts first: percentages, rates and amounts are computed from the rounded counts.
    for column in columns:
        if column.kind == "count":
            shown[column.key] = disclose(int(row.get(column.key) or 0))
    for column in columns:
        value = row.get(column.key)
        if column.kind == "count":
            continue
        if column.kind == "stat":
            people = int(row.get(column.people) or 0)
            shown[column.key] = _round(disclose(value, people=people), column.places)
        elif column.kind == "percent":
            shown[column.key] = percentage(
                shown[column.numerator], shown[column.denominator], column.places
            )
        elif column.kind == "rate":
            shown[column.key] = rate(shown[column.numerator], row.get(column.denominator))
        elif column.kind == "amount":
            count = shown[column.numerator]
            price = row[column.denominator]  # a price, never missing
            shown[column.key] = count if not isinstance(count, int) else Decimal(count) * price
        elif column.kind in ("label", "figure"):
            shown[column.key] = (
                "Not known" if value in (None, "") and column.kind == "label" else value
            )
        else:
            raise ValueError(f"Unknown column kind {column.kind!r}")
    return shown


def _round(value: Any, places: int) -> Any:
    if isinstance(value, float | Decimal):
        return Decimal(str(value)).quantize(Decimal(1).scaleb(-places))
    return value


@dataclass
class DisclosedTable:
    key: str
    title: str
    headers: list[str]
    kinds: list[str]
    rows: list[list[Any]]
    column_keys: list[str]
    note: str = ""
    chart_label: str = ""
    chart_value: str = ""
    chart_kind: str = "bar"


@dataclass(frozen=True)
class ReportFilters:
    start: datetime.date
    end: datetime.date
    period: str = "quarter"
    service: Any = None
    pcn: Any = None
    practice: Any = None
    # A population group (``outcomes.reports.groups``): "eth:H", "imd:1", or none.
    group: str = ""
    # The gap map's neighbourhoods: postcode districts ("") or 2021 LSOAs ("lsoa").
    neighbourhood: str = ""

    def describe(self, grouped_by: str = "") -> list[str]:
        """The filters in words; ``grouped_by`` is the period the report's tables run by,
        left out for a report whose tables cover the whole range."""
        lines = [f"Dates: {self.start:%-d %B %Y} to {self.end:%-d %B %Y}"]
        if grouped_by:
            lines.append(f"Grouped by: {grouped_by}")
        for label, org in (
            ("Service", self.service),
            ("PCN", self.pcn),
            ("Practice", self.practice),
        ):
            lines.append(f"{label}: {org.name if org else 'all in your area'}")
        if self.group:
            from outcomes.reports.groups import group_label

            lines.append(f"Population group: {group_label(self.group)}")
        return lines

    def as_params(self) -> dict[str, str]:
        params = {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "period": self.period,
        }
        for key in ("service", "pcn", "practice"):
            org = getattr(self, key)
            if org is not None:
                params[key] = str(org.pk)
        if self.group:
            params["group"] = self.group
        if self.neighbourhood:
            params["neighbourhood"] = self.neighbourhood
        return params

    def start_dt(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min))

    def end_dt(self) -> datetime.datetime:
        """Exclusive: midnight after the last day."""
        day_after = self.end + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(day_after, datetime.time.min))


@dataclass
class Report:
    key: str
    title: str
    filters: ReportFilters
    tables: list[Table]
    notes: list[str] = field(default_factory=list)
    area: str = ""
    # The period its figures run by ("month", "quarter"), or "" for whole-range figures.
    grouped_by: str = ""

    def disclosed(self) -> DisclosedReport:
        described = self.filters.describe(self.grouped_by)
        notes = [f"Area: {self.area}", *described, *self.notes, RULE_TEXT]
        return DisclosedReport(
            key=self.key,
            title=self.title,
            notes=notes,
            tables=[t.disclosed() for t in self.tables],
            generated_at=timezone.now(),
        )


@dataclass
class DisclosedReport:
    key: str
    title: str
    notes: list[str]
    tables: list[DisclosedTable]
    generated_at: datetime.datetime


def default_range(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The last four quarters: the current one and the three before it."""
    today = today or timezone.localdate()
    quarter_start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    month = quarter_start.month - 9
    year = quarter_start.year
    if month < 1:
        month += 12
        year -= 1
    return datetime.date(year, month, 1), today


def period_label(period: str, value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return "Not known"
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if period == "month":
        return f"{value:%B %Y}"
    end_month = datetime.date(value.year, value.month + 2, 1)
    return f"{value:%b} to {end_month:%b %Y}"


ReportBuilder = Callable[..., Report]

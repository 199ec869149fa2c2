"""Display logic for measures and reports, kept out of templates and models."""

from __future__ import annotations

import datetime
import textwrap
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from outcomes import codes, scoring
from outcomes.models import Measure, MeasureRecord
from socialrx.db_routers import ReplicaStatus


@dataclass
class RecordPresenter:
    record: MeasureRecord

    @property
    def timepoint(self) -> str:
        if self.record.timepoint == codes.Timepoint.BASELINE:
            return "Baseline"
        return f"{self.record.follow_up_week}-week follow-up"

    @property
    def outside_window(self) -> bool:
        return not self.record.in_window

    @property
    def summary(self) -> str:
        """The score as the measure's publishers report it."""
        measure = self.record.measure
        answers = list(self.record.answers.all())
        if measure.scoring == codes.Scoring.SWEMWBS:
            return f"Metric score {self.record.score} (raw total {self.record.raw_total} of 35)"
        if measure.scoring == codes.Scoring.SEPARATE:
            parts = []
            for answer in answers:
                band = (
                    scoring.ons4_band(answer.item.code, answer.value)
                    if measure.code == codes.ONS4
                    else ""
                )
                parts.append(
                    f"{answer.item.code.capitalize()} {answer.value}"
                    + (f" ({band})" if band else "")
                )
            return "; ".join(parts)
        if measure.scoring == codes.Scoring.CATEGORY and answers:
            return answers[0].item.label_for(answers[0].value)
        return f"Total {self.record.raw_total}"

    @property
    def answers(self) -> list[tuple[str, str]]:
        return [(a.item.text, a.item.label_for(a.value)) for a in self.record.answers.all()]


@dataclass
class MeasureCard:
    """One measure on a case: what is recorded, what falls due next."""

    measure: Measure
    records: list[RecordPresenter] = field(default_factory=list)
    next_label: str = ""
    next_due_on: datetime.date | None = None
    can_record: bool = False


def measure_cards(
    *, measures: list[Measure], records: list[MeasureRecord], weeks: list[int]
) -> list[MeasureCard]:
    by_measure: dict[int, list[MeasureRecord]] = {}
    for record in records:
        by_measure.setdefault(record.measure_id, []).append(record)
    shown = {m.pk: m for m in measures} | {r.measure_id: r.measure for r in records}
    cards = []
    for measure in shown.values():
        done = by_measure.get(measure.pk, [])
        card = MeasureCard(measure=measure, records=[RecordPresenter(r) for r in done])
        weeks_done = {r.follow_up_week for r in done}
        baseline = next((r for r in done if r.follow_up_week == 0), None)
        card.can_record = measure in measures
        if baseline is None:
            card.next_label = "Baseline, at the first assessment"
        else:
            pending = [w for w in weeks if w not in weeks_done]
            if pending:
                card.next_label = f"{pending[0]}-week follow-up"
                card.next_due_on = baseline.follow_up_due_on(pending[0])
            else:
                card.can_record = False
        cards.append(card)
    return cards


def format_number(value: Any, places: int = 1) -> str:
    """A figure as a board paper shows it: counts with thousands separators; a Decimal
    with the places disclosure rounded it to (a rate of 1.1 stays "1.1", never "1.10");
    other fractions to ``places``."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Decimal):
        return f"{value:,f}"
    return f"{value:,.{places}f}"


# --- report charts --------------------------------------------------------------------

CHART_ROWS = 20
CHART_LABEL_WIDTH = 250
CHART_BAR_WIDTH = 360
CHART_ROW_HEIGHT = 26
CHART_LINE_HEIGHT = 14
# Characters of a 12px label that fit in CHART_LABEL_WIDTH: longer labels wrap onto more
# lines rather than being cut off.
CHART_LABEL_CHARS = 36


@dataclass
class Bar:
    lines: list[str]
    shown: str
    y: int
    width: int
    text_y: int
    value_x: int


@dataclass
class BarChart:
    """A horizontal bar chart drawn as SVG on the server: no scripts, no inline styles
    (the CSP refuses both), only SVG attributes. The table beside it has the figures.
    A rate column is plotted as the rate, not the count behind it."""

    title: str
    bars: list[Bar]
    height: int
    label_width: int = CHART_LABEL_WIDTH
    width: int = CHART_LABEL_WIDTH + CHART_BAR_WIDTH + 70
    truncated: bool = False


def _bar_label(table: Any, row: list[Any], label_at: int) -> list[str]:
    label_cols = [i for i, k in enumerate(table.kinds) if k == "label"][:2]
    label = (
        " – ".join(str(row[i]) for i in label_cols)
        if label_at in label_cols
        else str(row[label_at])
    )
    return textwrap.wrap(label, CHART_LABEL_CHARS) or [""]


def bar_chart(table: Any) -> BarChart | None:
    if not table.chart_label or not table.chart_value or not table.rows:
        return None
    label_at = table.column_keys.index(table.chart_label)
    value_at = table.column_keys.index(table.chart_value)
    rows = table.rows[:CHART_ROWS]
    numbers = [r[value_at] if isinstance(r[value_at], int | float | Decimal) else 0 for r in rows]
    top = max(numbers) or 1
    bars, y = [], 4
    for row, number in zip(rows, numbers, strict=True):
        lines = _bar_label(table, row, label_at)
        width = int(CHART_BAR_WIDTH * float(number) / float(top))
        height = max(CHART_ROW_HEIGHT, CHART_LINE_HEIGHT * len(lines) + 8)
        bars.append(
            Bar(
                lines=lines,
                shown=format_number(row[value_at]),
                y=y,
                width=width,
                text_y=y + 14,
                value_x=CHART_LABEL_WIDTH + width + 6,
            )
        )
        y += height
    return BarChart(
        title=f"{table.title}: {table.headers[value_at]}",
        bars=bars,
        height=y + 4,
        truncated=len(table.rows) > CHART_ROWS,
    )


LINE_WIDTH = 640
LINE_HEIGHT = 220
LINE_LEFT = 56  # room for the value axis labels
LINE_BOTTOM = 40  # room for the month labels


@dataclass
class Point:
    x: int
    y: int
    label: str
    shown: str


@dataclass
class LineChart:
    """A trend over periods as an SVG line (attributes only, as the bar chart). Periods
    whose figure is suppressed (*) or missing break the line rather than plot as zero.
    The table beside it holds the same figures."""

    title: str
    segments: list[str]  # polyline "x,y x,y" runs, broken at missing figures
    points: list[Point]
    top_shown: str
    width: int = LINE_WIDTH
    height: int = LINE_HEIGHT
    left: int = LINE_LEFT
    plot_bottom: int = LINE_HEIGHT - LINE_BOTTOM
    label_y: int = LINE_HEIGHT - LINE_BOTTOM + 16
    kind: str = "line"


def _axis_label(label: str) -> str:
    """ "January 2025" as "Jan 25" under the axis, so a year of months fits; the table
    beside the chart has the full names."""
    words = label.split()
    if len(words) == 2 and words[1].isdigit():
        return f"{words[0][:3]} {words[1][-2:]}"
    return label


def line_chart(table: Any) -> LineChart | None:
    if not table.chart_label or not table.chart_value or not table.rows:
        return None
    label_at = table.column_keys.index(table.chart_label)
    value_at = table.column_keys.index(table.chart_value)
    values = [
        float(r[value_at]) if isinstance(r[value_at], int | float | Decimal) else None
        for r in table.rows
    ]
    known = [v for v in values if v is not None]
    low, top = min([0.0, *known]), max([0.0, *known]) or 1.0
    span = (top - low) or 1.0
    plot_height = LINE_HEIGHT - LINE_BOTTOM - 16
    step = (LINE_WIDTH - LINE_LEFT - 20) / max(1, len(values) - 1)
    points: list[Point] = []
    segments: list[str] = []
    run: list[str] = []
    for n, (row, value) in enumerate(zip(table.rows, values, strict=True)):
        x = int(LINE_LEFT + 10 + n * step)
        y = int(8 + plot_height * (top - value) / span) if value is not None else 0
        points.append(Point(x, y, _axis_label(str(row[label_at])), format_number(row[value_at])))
        if value is None:
            if run:
                segments.append(" ".join(run))
            run = []
        else:
            run.append(f"{x},{y}")
    if run:
        segments.append(" ".join(run))
    return LineChart(
        title=f"{table.title}: {table.headers[value_at]}",
        segments=segments,
        points=points,
        # With every month suppressed (*) or unknown there is no line, and the axis's
        # stand-in top of 1 must not be printed: it would read as a count of one.
        top_shown=format_number(Decimal(str(top)).normalize()) if known else "",
    )


@dataclass
class TableView:
    table: Any
    chart: BarChart | LineChart | None
    numeric: list[bool]

    @property
    def rows(self) -> list[list[str]]:
        return [[format_number(v) for v in row] for row in self.table.rows]


def table_views(report: Any) -> list[TableView]:
    return [
        TableView(
            table=t,
            chart=line_chart(t) if t.chart_kind == "line" else bar_chart(t),
            numeric=[k != "label" for k in t.kinds],
        )
        for t in report.tables
    ]


@dataclass(frozen=True)
class SubscriptionRow:
    subscription: Any
    filters: str


FILTER_LABELS = {"service": "Service", "pcn": "PCN", "practice": "Practice"}


def subscription_rows(subscriptions: list[Any]) -> list[SubscriptionRow]:
    """Each subscription with its filters named, the names fetched in one query."""
    from socialrx.core.models import Organisation

    ids = {pk for s in subscriptions for pk in s.filters.values() if pk}
    names = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    rows = []
    for subscription in subscriptions:
        parts = [
            f"{FILTER_LABELS[key]}: {names.get(pk, 'no longer available')}"
            for key, pk in subscription.filters.items()
            if pk and key in FILTER_LABELS
        ]
        rows.append(SubscriptionRow(subscription, "; ".join(parts) or "All of your area"))
    return rows


# --- the gap map's heat grid -----------------------------------------------------------

GRID_LABEL_WIDTH = 70
GRID_CELL_WIDTH = 96
GRID_CELL_HEIGHT = 44
GRID_HEADER_HEIGHT = 70
# Shades for the demand bands, lightest first; black text reads on every one (contrast
# over 4.5:1). The band is also written in each cell, so colour is never the only cue.
GRID_BANDS = [
    (0, "#ffffff", "none"),
    (None, "#e8edee", "1 to 7"),
    (25, "#d2e2f1", "up to 25"),
    (100, "#a4c5e3", "26 to 100"),
    (10**9, "#7aa9d6", "over 100"),
]


@dataclass
class GridCell:
    x: int
    y: int
    fill: str
    demand: str
    services: str
    gap: bool
    description: str


@dataclass
class HeatGrid:
    """Neighbourhoods (rows) by needs (columns), shaded by disclosed demand, each cell
    also saying its demand and how many services accept referrals; a cell with demand
    and no service has a thick red border and the words "no service"."""

    columns: list[tuple[int, str]]
    rows: list[tuple[int, str]]
    cells: list[GridCell]
    width: int
    height: int
    legend: list[tuple[str, str]] = field(default_factory=list)
    label_width: int = GRID_LABEL_WIDTH
    cell_width: int = GRID_CELL_WIDTH
    cell_height: int = GRID_CELL_HEIGHT


def _band(value: Any) -> str:
    if value == "*":
        return GRID_BANDS[1][1]
    if not isinstance(value, int) or value == 0:
        return GRID_BANDS[0][1]
    return next(fill for limit, fill, _ in GRID_BANDS[2:] if limit and value <= limit)


def _services(n: Any) -> str:
    return f"{n} service" if n == 1 else f"{n} services"


def heat_grid(table: Any) -> HeatGrid | None:
    """The gap map's table (already disclosed) drawn as a grid."""
    if not table.rows:
        return None
    at = {key: n for n, key in enumerate(table.column_keys)}
    districts = list(dict.fromkeys(row[at["district"]] for row in table.rows))
    needs = list(dict.fromkeys(row[at["domain"]] for row in table.rows))
    cells = []
    for row in table.rows:
        r, c = districts.index(row[at["district"]]), needs.index(row[at["domain"]])
        demand, services = row[at["demand"]], row[at["services"]]
        gap = demand not in (0, None) and not services
        cells.append(
            GridCell(
                x=GRID_LABEL_WIDTH + c * GRID_CELL_WIDTH,
                y=GRID_HEADER_HEIGHT + r * GRID_CELL_HEIGHT,
                fill=_band(demand),
                demand=str(demand),
                services="no service"
                if gap
                else f"{services} service{'' if services == 1 else 's'}",
                gap=gap,
                description=f"{row[at['district']]}, {row[at['domain']]}: demand {demand}, "
                f"{services} services accepting",
            )
        )
    return HeatGrid(
        columns=[(GRID_LABEL_WIDTH + n * GRID_CELL_WIDTH, name) for n, name in enumerate(needs)],
        rows=[(GRID_HEADER_HEIGHT + n * GRID_CELL_HEIGHT, d) for n, d in enumerate(districts)],
        cells=cells,
        width=GRID_LABEL_WIDTH + len(needs) * GRID_CELL_WIDTH + 4,
        height=GRID_HEADER_HEIGHT + len(districts) * GRID_CELL_HEIGHT + 4,
        legend=[(fill, label) for _, fill, label in GRID_BANDS],
    )


def data_source(status: ReplicaStatus | None) -> str:
    """Where a report page's figures came from and how old they are: shown when reports
    read a replica (ADR 0030); empty when there is only one database."""
    if status is None:
        return ""
    if not status.from_replica:
        return (
            "The reporting database is unavailable: these figures come from the main "
            "database and are up to date."
        )
    if status.age is None:
        return "Figures from the reporting database; how far behind it is is not known."
    seconds = int(status.age.total_seconds())
    if seconds == 0:
        return "Figures from the reporting database, up to date."
    if seconds < 120:
        behind = f"{seconds} second{'s' if seconds != 1 else ''}"
    elif seconds < 2 * 3600:
        behind = f"{seconds // 60} minutes"
    else:
        behind = f"{seconds // 3600} hours"
    return f"Figures from the reporting database, {behind} behind the main database."

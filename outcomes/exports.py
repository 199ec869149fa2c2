"""Downloads of a disclosed report: CSV, Excel (one sheet per table and a notes sheet)
and PDF (for board papers). Each takes a ``DisclosedReport`` only: the figures are
already through disclosure control."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from outcomes.reports.base import DisclosedReport
from socialrx.core.spreadsheets import spreadsheet_cell, spreadsheet_row

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pdf": ("application/pdf", "pdf"),
}


def cell_text(value: Any) -> str:
    """A cell as text, for the CSV and the PDF (escaping for spreadsheets is the CSV's)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def filename(report: DisclosedReport, fmt: str) -> str:
    stamp = report.generated_at.strftime("%Y%m%d")
    return f"socialrx-{report.key}-{stamp}.{FORMATS[fmt][1]}"


def render(report: DisclosedReport, fmt: str) -> bytes:
    return {"csv": to_csv, "xlsx": to_xlsx, "pdf": to_pdf}[fmt](report)


def to_csv(report: DisclosedReport) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    # Every cell through the spreadsheet escaping: titles and notes name services too.
    writer.writerow(spreadsheet_row([report.title]))
    for note in report.notes:
        writer.writerow(spreadsheet_row(["Note", note]))
    for table in report.tables:
        writer.writerow([])
        writer.writerow(spreadsheet_row([table.title]))
        writer.writerow(spreadsheet_row(table.headers))
        writer.writerows([cell_text(spreadsheet_cell(v)) for v in row] for row in table.rows)
        if table.note:
            writer.writerow(spreadsheet_row(["Note", table.note]))
    # A byte order mark so Excel opens the CSV as UTF-8 (the £ and © signs).
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _sheet_title(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", title)[:28].strip() or "Table"
    name, n = base, 2
    while name.lower() in used:
        name, n = f"{base[:25]} {n}", n + 1
    used.add(name.lower())
    return name


def _excel_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, int | float) or value is None:
        return value
    return spreadsheet_cell(str(value))


def to_xlsx(report: DisclosedReport) -> bytes:
    book = Workbook()
    notes = book.active
    notes.title = "Notes"
    notes.append([spreadsheet_cell(report.title)])
    notes["A1"].font = Font(bold=True, size=14)
    notes.append([f"Generated {report.generated_at:%-d %B %Y %H:%M}"])
    for note in report.notes:
        notes.append([spreadsheet_cell(note)])
    notes.column_dimensions["A"].width = 120
    used = {"notes"}
    for table in report.tables:
        sheet = book.create_sheet(_sheet_title(table.title, used))
        sheet.append([spreadsheet_cell(table.title)])
        sheet["A1"].font = Font(bold=True)
        sheet.append(spreadsheet_row(table.headers))
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_excel_value(v) for v in row])
        if table.note:
            sheet.append([])
            sheet.append([spreadsheet_cell(table.note)])
        for letter in "ABCDEFGHIJ":
            sheet.column_dimensions[letter].width = 22
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_pdf(report: DisclosedReport) -> bytes:
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        title=f"{report.title} - socialrx",
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        invariant=True,
    )
    story: list[Any] = [Paragraph(escape(report.title), styles["Title"])]
    story += [Paragraph(escape(note), small) for note in report.notes]
    for table in report.tables:
        story += [Spacer(1, 6 * mm), Paragraph(escape(table.title), styles["Heading2"])]
        data = [[Paragraph(escape(h), small) for h in table.headers]]
        data += [[Paragraph(escape(cell_text(v)), small) for v in row] for row in table.rows]
        if not table.rows:
            data.append(
                [Paragraph("No data in this period.", small)] + [""] * (len(table.headers) - 1)
            )
        grid = LongTable(data, repeatRows=1)
        grid.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edee")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(grid)
        if table.note:
            story.append(Paragraph(escape(table.note), small))
    doc.build(story)
    return out.getvalue()

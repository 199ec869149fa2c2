"""Downloads of a disclosed report: CSV, Excel (one sheet per table and a notes sheet)
and PDF (for board papers). Each takes a ``DisclosedReport`` only: the figures are
already through disclosure control."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from outcomes.presenters import table_views
from outcomes.reports.base import DisclosedReport
from socialrx.core.pdf import render_pdf
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


# Excel refuses sheet names over 31 characters and these characters.
SHEET_NAME_MAX = 31
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(number: int, title: str) -> str:
    """A short, whole-word name for a table's sheet: "3 Referrals by ethnic group". The
    full title is the sheet's first cell and is listed on the Contents sheet."""
    prefix = f"{number} "
    words = SHEET_NAME_FORBIDDEN.sub("", title).split()
    name = prefix
    for word in words:
        if len(name) + len(word) > SHEET_NAME_MAX:
            break
        name += word + " "
    return name.strip() if name != prefix else f"Table {number}"


def _excel_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, int | float) or value is None:
        return value
    return spreadsheet_cell(str(value))


def to_xlsx(report: DisclosedReport) -> bytes:
    book = Workbook()
    contents = book.active
    contents.title = "Contents"
    contents.append([spreadsheet_cell(report.title)])
    contents["A1"].font = Font(bold=True, size=14)
    contents.append([f"Generated {report.generated_at:%-d %B %Y %H:%M}"])
    contents.append([])
    contents.append(["Sheet", "Contents"])
    for cell in contents[4]:
        cell.font = Font(bold=True)
    contents.append(["Notes", "Area, dates, filters and the disclosure control rule"])
    contents["A5"].hyperlink = "#'Notes'!A1"
    notes = book.create_sheet("Notes")
    notes.append([spreadsheet_cell(report.title)])
    notes["A1"].font = Font(bold=True, size=14)
    for note in report.notes:
        notes.append([spreadsheet_cell(note)])
    notes.column_dimensions["A"].width = 120
    for number, table in enumerate(report.tables, start=1):
        sheet = book.create_sheet(_sheet_title(number, table.title))
        contents.append([sheet.title, spreadsheet_cell(table.title)])
        contents.cell(row=contents.max_row, column=1).hyperlink = f"#'{sheet.title}'!A1"
        _write_table(sheet, table)
    contents.column_dimensions["A"].width = 34
    contents.column_dimensions["B"].width = 90
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write_table(sheet: Any, table: Any) -> None:
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


def to_pdf(report: DisclosedReport) -> bytes:
    """The report page's own tables and charts, laid out for A4 landscape (ADR 0025)."""
    context = {"report": report, "tables": table_views(report)}
    return render_pdf("outcomes/reports/print.html", context)

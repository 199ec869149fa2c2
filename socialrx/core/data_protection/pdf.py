"""The subject access export as a readable PDF: the same content as the JSON file, one
heading per record type, rendered by WeasyPrint like every other PDF (ADR 0025), so it is
tagged PDF/UA with the fonts embedded and any name prints as written."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from socialrx.core.pdf import render_pdf

TITLE = "Subject access: records held"


@dataclass(frozen=True)
class PrintedSection:
    title: str
    # Each record as (label, text) pairs, in the export's order.
    records: list[list[tuple[str, str]]]


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{_label(str(k))}: {_text(v)}" for k, v in value.items())
    return str(value)


def subject_access_pdf(export: dict[str, Any]) -> bytes:
    sections = [
        PrintedSection(
            title=section["title"],
            records=[[(_label(k), _text(v)) for k, v in row.items()] for row in section["rows"]],
        )
        for section in export["sections"].values()
    ]
    return render_pdf(
        "core/data_protection/subject_access_print.html",
        {
            "title": TITLE,
            "export": export,
            "prepared": datetime.datetime.fromisoformat(export["generated_at"]),
            "sections": sections,
        },
    )

"""The subject access export as a readable PDF, with the project's reportlab machinery
(ADR 0014): the same content as the JSON file, one heading per record type."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table


def _text(value: Any) -> str:
    """reportlab paragraphs read a little XML: escape it, keep line breaks."""
    if isinstance(value, list | dict):
        value = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return escape("" if value is None else str(value)).replace("\n", "<br/>")


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def subject_access_pdf(export: dict[str, Any]) -> bytes:
    styles = getSampleStyleSheet()
    title = "Subject access: records held"
    story: list[Any] = [
        Paragraph(title, styles["Title"]),
        Paragraph(
            _text(f"Prepared {export['generated_at'][:10]} by {export['generated_by']}."),
            styles["Normal"],
        ),
    ]
    for section in export["sections"].values():
        story += [Spacer(1, 4 * mm), Paragraph(_text(section["title"]), styles["Heading2"])]
        if not section["rows"]:
            story.append(Paragraph("None held.", styles["Normal"]))
        for row in section["rows"]:
            cells = [
                [
                    Paragraph(_text(_label(k)), styles["Normal"]),
                    Paragraph(_text(v), styles["Normal"]),
                ]
                for k, v in row.items()
            ]
            story += [Table(cells, colWidths=[50 * mm, 120 * mm], hAlign="LEFT"), Spacer(1, 2 * mm)]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=title, author="socialrx", invariant=True).build(
        story
    )
    return buffer.getvalue()

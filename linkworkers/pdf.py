"""The message back as a PDF, for practices that file letters into the GP record.

Built with reportlab's platypus (ADR 0014): pure Python, no browser or system fonts."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from linkworkers.models import MessageBack
from linkworkers.presenters.closure import MessageBackPresenter


def _text(value: str) -> str:
    """reportlab paragraphs read a little XML: escape it, keep line breaks."""
    return escape(value).replace("\n", "<br/>")


def message_back_pdf(message: MessageBack) -> bytes:
    presenter = MessageBackPresenter(message)
    styles = getSampleStyleSheet()
    story: list = [Paragraph(presenter.title, styles["Title"])]
    story.append(
        Table(
            [
                [
                    Paragraph(_text(r.key), styles["Normal"]),
                    Paragraph(_text(r.value), styles["Normal"]),
                ]
                for r in presenter.header_rows()
            ],
            colWidths=[50 * mm, 120 * mm],
            hAlign="LEFT",
        )
    )
    for heading, body in presenter.sections():
        story += [Spacer(1, 4 * mm), Paragraph(_text(heading), styles["Heading2"])]
        story.append(Paragraph(_text(body or "None recorded."), styles["Normal"]))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=presenter.title, author="socialrx", invariant=True
    )
    document.build(story)
    return buffer.getvalue()

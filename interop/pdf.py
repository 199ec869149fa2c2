"""The message back to the practice as a PDF, for practices that file letters into the GP
record (reportlab, as ``linkworkers.pdf``; ADR 0014)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from interop.documents import TITLE, sections_of
from interop.models import PracticeMessage


def practice_message_pdf(message: PracticeMessage) -> bytes:
    styles = getSampleStyleSheet()
    person = message.referral.person
    story: list = [
        Paragraph(TITLE, styles["Title"]),
        Paragraph(
            escape(
                f"{person.full_name}, born {person.date_of_birth:%-d %B %Y}, NHS number "
                f"{person.nhs_number_display or 'not given'}"
            ),
            styles["Normal"],
        ),
    ]
    for title, lines in sections_of(message.document):
        story += [Spacer(1, 4 * mm), Paragraph(escape(title), styles["Heading2"])]
        story += [Paragraph(escape(line), styles["Normal"]) for line in lines or ["None recorded."]]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=TITLE, author="socialrx", invariant=True).build(
        story
    )
    return buffer.getvalue()

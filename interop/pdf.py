"""The message back to the practice as a PDF, for practices that file letters into the GP
record: the inbox page's own partial, rendered by WeasyPrint (ADR 0025), tagged PDF/UA
with its fonts embedded so any name prints as written."""

from __future__ import annotations

from interop.documents import TITLE, sections_of
from interop.models import PracticeMessage
from socialrx.core.pdf import render_pdf


def practice_message_pdf(message: PracticeMessage) -> bytes:
    return render_pdf(
        "interop/practice_message_print.html",
        {"message": message, "sections": sections_of(message.document), "title": TITLE},
    )

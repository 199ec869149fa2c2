"""The message back as a PDF, for practices that file letters into the GP record.

Rendered from the page's own template by WeasyPrint (ADR 0025): tagged PDF/UA with the
fonts embedded, so any name prints as written."""

from __future__ import annotations

from linkworkers.models import MessageBack
from linkworkers.presenters.closure import MessageBackPresenter
from socialrx.core.pdf import render_pdf


def message_back_pdf(message: MessageBack) -> bytes:
    return render_pdf(
        "linkworkers/message_back_print.html",
        {"message": message, "presenter": MessageBackPresenter(message)},
    )

"""PDF documents rendered from the same Django templates as the pages (ADR 0025).

WeasyPrint lays the HTML out with Pango, which finds a font for every script through
fontconfig (the Debian font packages the set-up installs), embeds the glyphs used, and
writes a tagged PDF/UA-1 document: a structure tree from the HTML's headings, tables and
lists, a language, a title and marked content, so screen readers can read it."""

from __future__ import annotations

import logging
from typing import Any

from django.template.loader import render_to_string
from weasyprint import HTML

logger = logging.getLogger(__name__)

PDF_VARIANT = "pdf/ua-1"


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """A report or letter carries everything it shows (SVG charts inline, styles in the
    print layout): nothing is fetched, so rendering never reaches the network."""
    raise ValueError(f"PDF rendering fetches nothing: {url}")


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """The template (which extends ``print_base.html``) as a tagged PDF/UA document."""
    html = render_to_string(template, context)
    document = HTML(string=html, base_url="about:blank", url_fetcher=_refuse_fetch)
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
    assert pdf is not None  # write_pdf returns the bytes when given no target
    return pdf

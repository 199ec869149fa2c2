"""Cells that a spreadsheet shows as text, never runs: the one escaping for every CSV and
XLSX the app writes (report downloads, the record extract, the access report).

Text typed by people (a service named ``=HYPERLINK(...)``, a note starting ``@SUM``) would
run as a formula when the file is opened in Excel or LibreOffice. Following the OWASP CSV
injection guidance, a text cell that starts with one of ``= + - @``, a tab or a carriage
return gets a leading apostrophe, which spreadsheets take as "this is text" and do not
show. Numbers, dates and empty cells pass unchanged: a negative number is not a formula.

Rows PostgreSQL writes itself (COPY) never pass through Python, so the same rule is also
given as a database expression, ``spreadsheet_safe_expression``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Concat

#: What a spreadsheet takes as the start of a formula (OWASP "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: Any) -> Any:
    """``value`` as it may go into a CSV or XLSX cell: risky text gets an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_row(values: Iterable[Any]) -> list[Any]:
    """A row of cells, each through ``spreadsheet_cell``."""
    return [spreadsheet_cell(value) for value in values]


def spreadsheet_safe_expression(field: str) -> Case:
    """``spreadsheet_cell`` in SQL, for text fields that a database writes out itself."""
    risky = Q()
    for start in FORMULA_STARTS:
        risky |= Q(**{f"{field}__startswith": start})
    return Case(
        When(risky, then=Concat(Value("'"), F(field))),
        default=F(field),
        output_field=models.CharField(),
    )

"""Absolute links to our own pages, for what leaves the site (emails, notes shown later).

``SITE_URL`` is where people reach the service; the one place a path is joined to it,
so a trailing slash in the setting never doubles and every email agrees. In development
``SITE_URL`` follows ``PORT`` (settings), so ``PORT=8100 make run`` links to port 8100.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.urls import reverse


def absolute_url(path: str) -> str:
    """``path`` (from ``reverse``, starting with "/") as a full address on this site."""
    if not path.startswith("/"):
        raise ValueError(f"Not a path on this site: {path!r}")
    return settings.SITE_URL.rstrip("/") + path


# Digits, so an <int:...> converter takes it; long enough to appear in no real path.
_MARK = "987654321987654321"


def path_for_each(viewname: str) -> Callable[[int], str]:
    """The path of ``viewname`` for any record id, from one ``reverse()``: a list page
    that reversed each row's link spent 4.6 M instructions on 25 rows (issue 17). Made
    per request, so the script prefix and URLconf are the request's own."""
    path = reverse(viewname, args=[_MARK])
    head, mark, tail = path.partition(_MARK)
    if not mark or _MARK in tail:
        return lambda pk: reverse(viewname, args=[pk])
    return lambda pk: f"{head}{int(pk)}{tail}"

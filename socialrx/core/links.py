"""Absolute links to our own pages, for what leaves the site (emails, notes shown later).

``SITE_URL`` is where people reach the service; the one place a path is joined to it,
so a trailing slash in the setting never doubles and every email agrees. In development
``SITE_URL`` follows ``PORT`` (settings), so ``PORT=8100 make run`` links to port 8100.
"""

from __future__ import annotations

from django.conf import settings


def absolute_url(path: str) -> str:
    """``path`` (from ``reverse``, starting with "/") as a full address on this site."""
    if not path.startswith("/"):
        raise ValueError(f"Not a path on this site: {path!r}")
    return settings.SITE_URL.rstrip("/") + path

"""Failed API token attempts counted per client address, through Django's cache.

A fixed window: the counter's key names the window it belongs to, so the time to wait
is known without asking the cache when a key expires (which the memory, file and Redis
caches answer differently, or not at all). Under a sustained attack an address gets at
most twice the limit across a window boundary, and tokens hold 256 random bits: this is
to stop noise and scripts, not to make guessing feasible.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from socialrx.core.audit import client_ip


def _window() -> tuple[str, int]:
    """The current window's key suffix and the whole seconds until it ends."""
    length = settings.API_TOKEN_FAILURE_WINDOW_SECONDS
    now = time.time()
    number = int(now // length)
    return str(number), max(1, int((number + 1) * length - now + 0.999))


def _key(request: HttpRequest, window: str) -> str:
    return f"core:api-token-failures:{client_ip(request) or 'unknown'}:{window}"


def seconds_until_allowed(request: HttpRequest) -> int | None:
    """None while the address may try a token; otherwise how long it must wait."""
    window, remaining = _window()
    failures = cache.get(_key(request, window), 0)
    return remaining if failures >= settings.API_TOKEN_FAILURE_LIMIT else None


def failure_record(request: HttpRequest) -> None:
    window, remaining = _window()
    key = _key(request, window)
    cache.add(key, 0, timeout=remaining + 1)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr: this failure opens a new count
        cache.set(key, 1, timeout=remaining + 1)

"""Listeners for domain events, so an app can react to another's change without the
changing app importing it (ARCHITECTURE.md: registries in core, filled from ready()).

``referrals`` announces each status change; ``interop`` (which sits above it) listens to
write the message back to the registered practice. Listeners run after the transaction
commits, so they see what was committed and a failure in one never undoes the change.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.db import transaction

Listener = Callable[..., None]
_listeners: dict[str, list[Listener]] = {}


def register_listener(event: str, listener: Listener) -> None:
    if listener not in _listeners.setdefault(event, []):
        _listeners[event].append(listener)


def announce(event: str, **payload: Any) -> None:
    """Call each listener of ``event`` once the current transaction commits (ids only in
    the payload: listeners re-read what they need)."""
    for listener in _listeners.get(event, []):
        transaction.on_commit(functools.partial(listener, **payload))

"""Reports read from a PostgreSQL read replica when one is configured.

``DATABASE_REPLICA_URL`` adds a ``replica`` database and this router (settings.py).
Only code that asks for it reads from the replica: the heavy, read-only aggregations of
commissioner reports, wrapped in :func:`replica_reads`. Everything else, writes and the
reads that must see them (a page straight after a POST), stays on the primary, so
replication lag never shows a user their own change missing. Without a replica the
router is not installed and :func:`replica_reads` changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings

REPLICA = "replica"
_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside this block go to the replica (if configured): for reports, whose
    figures may be a few seconds behind the primary."""
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


class ReportReplicaRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if _reading_from_replica.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return None  # the default database

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        return None  # always the primary

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replica holds the same rows as the primary: objects from either relate.
        databases = {obj1._state.db, obj2._state.db}
        return True if databases <= {"default", REPLICA} else None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # A streaming replica copies the primary's schema; never migrate it directly.
        return False if db == REPLICA else None

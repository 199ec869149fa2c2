"""Reports read from a PostgreSQL read replica when one is configured.

``DATABASE_REPLICA_URL`` adds a ``replica`` database and this router (settings.py).
Only code that asks for it reads from the replica: the heavy, read-only aggregations of
commissioner reports, wrapped in :func:`replica_reads`. Everything else, writes and the
reads that must see them (a page straight after a POST), stays on the primary, so
replication lag never shows a user their own change missing. Without a replica the
router is not installed and :func:`replica_reads` changes nothing.

A replica that stops answering is set aside for ``DATABASE_REPLICA_RETRY_SECONDS`` in
this process (:func:`replica_set_aside`): reports then read the primary, slower but
correct, rather than fail (ADR 0030). :func:`replica_status` says which one a report
page read and how old the replica's data is.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils.connection import ConnectionDoesNotExist

REPLICA = "replica"
_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)
# Monotonic time until which this process leaves the replica alone (0: in use).
_set_aside_until = 0.0

# How far the replica's data is behind the primary: nothing when it has replayed all the
# WAL it received (or is not a standby at all), else the time since the last transaction
# it replayed. NULL when it has replayed none since it started.
_AGE_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
    ELSE GREATEST(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
END
"""


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_in_use() -> bool:
    """Configured, and not set aside after a failure in the last few seconds."""
    return replica_configured() and time.monotonic() >= _set_aside_until


def replica_set_aside() -> None:
    """The replica failed: reports read the primary for the next
    ``DATABASE_REPLICA_RETRY_SECONDS``, then the replica is tried again."""
    global _set_aside_until
    _set_aside_until = time.monotonic() + settings.DATABASE_REPLICA_RETRY_SECONDS
    try:
        connections[REPLICA].close()
    except (DatabaseError, ConnectionDoesNotExist):
        pass  # a dead connection may fail to close; it is dropped either way


def replica_restore() -> None:
    """Use the replica again at once (tests; an operator's shell after a repair)."""
    global _set_aside_until
    _set_aside_until = 0.0


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside this block go to the replica (if configured and in use): for
    reports, whose figures may be a few seconds behind the primary."""
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


@dataclass(frozen=True)
class ReplicaStatus:
    """Where a report's figures were read, and how old they are."""

    from_replica: bool
    # Seconds the replica's data is behind the primary; 0 when up to date, None unknown.
    age_seconds: float | None = None

    @property
    def age(self) -> datetime.timedelta | None:
        if self.age_seconds is None:
            return None
        return datetime.timedelta(seconds=round(self.age_seconds))


def replica_status() -> ReplicaStatus | None:
    """Ask the replica how far behind it is, setting it aside if it does not answer;
    ``None`` when no replica is configured (every read is the primary's)."""
    if not replica_configured():
        return None
    if not replica_in_use():
        return ReplicaStatus(from_replica=False)
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(_AGE_SQL)
            row = cursor.fetchone()
    except DatabaseError:
        replica_set_aside()
        return ReplicaStatus(from_replica=False)
    age = row[0] if row else None
    return ReplicaStatus(from_replica=True, age_seconds=None if age is None else float(age))


class ReportReplicaRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if _reading_from_replica.get() and replica_in_use():
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

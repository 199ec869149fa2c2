"""What every directory model shares: UUID ids and how fresh a listing must be."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone

from socialrx.core.models import TimeStampedModel

# ORUK recommends re-assuring a listing at least every three months.
LISTING_STALE_AFTER = timedelta(days=91)
# Capacity moves faster than a description: ask for it monthly.
CAPACITY_STALE_AFTER = timedelta(days=30)
# Reminders go out this long before a listing would become stale.
REMINDER_LEAD = timedelta(days=14)


def listing_stale_cutoff(today: date | None = None) -> date:
    """Listings assured before this date are stale."""
    return (today or timezone.localdate()) - LISTING_STALE_AFTER


def capacity_stale_cutoff(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - CAPACITY_STALE_AFTER


# Changes whenever a service or a directory organisation is saved or deleted: part of
# the key of anything cached about the published listings (directory.search).
LISTINGS_VERSION_KEY = "directory:listings-version"


def listings_version() -> str:
    return str(cache.get_or_set(LISTINGS_VERSION_KEY, _new_version, timeout=None))


def listings_changed(**kwargs: object) -> None:
    """A ``post_save`` and ``post_delete`` receiver (directory.apps). Also on commit: a
    request between the change and its commit may have cached the old figures."""
    cache.set(LISTINGS_VERSION_KEY, _new_version(), timeout=None)
    transaction.on_commit(lambda: cache.set(LISTINGS_VERSION_KEY, _new_version(), timeout=None))


def _new_version() -> str:
    return uuid.uuid4().hex


class UUIDModel(TimeStampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True

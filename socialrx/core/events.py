"""Immutable event rows: the one base for every status history (referrals, cases,
connections).

A status event records who changed what and when; history that can be edited is not
history. So the row can be inserted and read, never changed or removed: ``save`` of a
row already stored, ``delete``, and the queryset's bulk ``update`` and ``delete`` (which
skip ``save``) all raise. The database's foreign keys (``PROTECT``) stop a cascade from
removing them with their parent.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.utils import timezone

_M = TypeVar("_M", bound=models.Model)

IMMUTABLE = "Status events are immutable"


class ImmutableQuerySet(models.QuerySet[_M]):
    """Reads as usual; bulk changes refused (they would bypass ``save``)."""

    def update(self, **kwargs: Any) -> int:
        raise TypeError(IMMUTABLE)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError(IMMUTABLE)


class ImmutableEvent(models.Model):
    """A status change with who made it. Written once by the service that makes the
    change; never changed once written.

    A subclass adds what changed (its parent, from and to status) and may redeclare
    ``actor`` or ``note`` with its own help text.
    """

    occurred_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when the system acted (a deadline passed).",
    )
    note = models.TextField(blank=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ("occurred_at", "id")

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError(IMMUTABLE)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError(IMMUTABLE)

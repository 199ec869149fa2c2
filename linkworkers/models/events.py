"""Immutable status events: once written, never changed or deleted."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImmutableRows:
    """Queryset methods that would change status events in bulk: refused."""

    def update(self, **kwargs: Any) -> int:
        raise TypeError("Status events are immutable")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("Status events are immutable")


class ImmutableEvent(models.Model):
    """A status change with who made it. Never changed once written."""

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

    class Meta:
        abstract = True
        ordering = ("occurred_at", "id")

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("Status events are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("Status events are immutable")

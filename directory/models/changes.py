"""What changed in a listing, and who was reminded to keep it fresh."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from directory.models.services import Service

# --- change history -------------------------------------------------------------------


class ChangeKind(models.TextChoices):
    CREATED = "created", "Listing created"
    EDITED = "edited", "Details changed"
    CONFIRMED = "confirmed", "Confirmed still accurate"
    CAPACITY = "capacity", "Capacity changed"
    CAPACITY_CONFIRMED = "capacity_confirmed", "Capacity confirmed"
    REVIEWED = "reviewed", "Reviewed by the directory team"
    IMPORTED = "imported", "Imported from a feed"


class ServiceChange(models.Model):
    """One immutable row per change to a listing: who, when and what changed.

    The functional history editors and administrators read; the core audit log keeps
    the separate who-did-what trail.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=24, choices=ChangeKind.choices)
    changes = models.JSONField(
        default=dict, blank=True, help_text="Field name to [before, after], as text."
    )

    class Meta:
        ordering = ("-occurred_at", "-id")
        indexes = [models.Index(fields=["service", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.occurred_at:%d %b %Y})"


class ListingReminder(models.Model):
    """One weekly reminder email to one VCSE editor. The unique week makes the task
    idempotent: a second run in the same week sends nothing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="listing_reminders"
    )
    week_starting = models.DateField(help_text="The Monday of the week it was sent.")
    sent_at = models.DateTimeField(default=timezone.now)
    service_count = models.PositiveIntegerField()

    class Meta:
        ordering = ("-week_starting",)
        constraints = [
            models.UniqueConstraint(
                fields=["user", "week_starting"], name="listing_reminder_once_a_week"
            )
        ]

    def __str__(self) -> str:
        return f"Reminder to user {self.user_id}, week of {self.week_starting}"

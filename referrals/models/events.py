"""A referral's immutable status history and the alerts raised on it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from referrals import codes
from socialrx.core.events import ImmutableEvent


class ReferralStatusEvent(ImmutableEvent):
    """One change in a referral's life, with who made it. Never changed once written.

    Written only by the service function that makes the change (``referrals.services``).
    """

    referral = models.ForeignKey("Referral", on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=codes.EventKind.choices)
    from_status = models.CharField(max_length=20, choices=codes.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=codes.Status.choices)
    # Redeclared for the help text: a self-referral has no actor either.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when the person referred themselves or the system acted.",
    )
    note = models.TextField(blank=True, help_text="Shown to the referrer.")
    snomed_code = models.CharField(max_length=20, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta(ImmutableEvent.Meta):
        indexes = [models.Index(fields=["referral", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.referral_id})"


class AlertReason(models.TextChoices):
    # The thresholds are settings (REFERRALS_*_WORKING_DAYS), so the labels name none.
    NOT_TRIAGED = "not_triaged", "Not triaged in time"
    NO_FIRST_CONTACT = "no_first_contact", "No first contact in time"


class ReferralAlert(models.Model):
    """A reminder sent about a referral: at most one per referral per reason."""

    referral = models.ForeignKey("Referral", on_delete=models.CASCADE, related_name="alerts")
    reason = models.CharField(max_length=20, choices=AlertReason.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["referral", "reason"], name="referral_alert_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.referral_id})"

"""Closing a case (the message back to the referrer) and the daily digest record."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from referrals.codes import ClosureOutcome
from socialrx.core.models import TimeStampedModel

# --- closure and reminders ------------------------------------------------------------


class MessageBack(TimeStampedModel):
    """The PRSB Social Prescribing Information Standard "message back" to the GP and
    referrer, written at closure. A snapshot: what was sent stays what was sent."""

    case = models.OneToOneField("Case", on_delete=models.PROTECT, related_name="message_back")
    closure_outcome = models.CharField(max_length=20, choices=ClosureOutcome.choices)
    needs_and_concerns = models.TextField()
    what_matters = models.TextField(blank=True)
    support_offered = models.TextField(blank=True)
    activities = models.JSONField(
        default=list, blank=True, help_text="Services referred to: name and status."
    )
    snomed_codes = models.JSONField(default=list, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Message back {self.pk} ({self.case_id})"


class DigestSent(models.Model):
    """A daily digest went to this link worker on this day: the task's idempotency key."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "sent_on"], name="digest_once_a_day")
        ]

    def __str__(self) -> str:
        return f"Digest to {self.recipient_id} on {self.sent_on}"

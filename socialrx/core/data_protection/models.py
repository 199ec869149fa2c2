"""What the retention job did, and the erasure and restriction requests decided."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class RetentionRun(models.Model):
    """One application of the retention schedule: counts per record type, never names.

    A dry run is recorded too, so the IG lead can compare what would go with what went.
    """

    started_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    dry_run = models.BooleanField(default=False)
    as_of = models.DateField(help_text="The day the schedule was measured from.")
    counts = models.JSONField(
        default=dict, blank=True, help_text="Record type -> rows deleted or anonymised."
    )

    class Meta:
        ordering = ("-started_at", "-id")

    def __str__(self) -> str:
        kind = "dry run" if self.dry_run else "run"
        return f"Retention {kind} as of {self.as_of}"

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class RightsRequestKind(models.TextChoices):
    ERASURE = "erasure", "Erasure (right to be forgotten)"
    RESTRICTION = "restriction", "Restriction of processing"


class RightsDecision(models.TextChoices):
    PENDING = "pending", "Awaiting decision"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"


class RightsRequest(models.Model):
    """A person's request to erase or restrict their records, and what was decided.

    Health and care records are often exempt from erasure (UK GDPR Art. 17(3)(c)); a
    refusal is recorded with its reason, not left silent. The person is named by type
    and id, like the audit, because core cannot point at an app's table.
    """

    subject_type = models.CharField(max_length=100, help_text="app_label.model")
    subject_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=16, choices=RightsRequestKind.choices)
    received_on = models.DateField()
    request_detail = models.TextField(blank=True, help_text="What the person asked for.")
    decision = models.CharField(
        max_length=16, choices=RightsDecision.choices, default=RightsDecision.PENDING
    )
    reason = models.TextField(blank=True, help_text="Why it was granted or refused.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-received_on", "-id")
        indexes = [models.Index(fields=["subject_type", "subject_id"])]
        constraints = [
            # A decision has a reason and a decider; a pending request has neither.
            models.CheckConstraint(
                condition=Q(decision="pending", decided_at__isnull=True)
                | (
                    ~Q(decision="pending")
                    & ~Q(reason="")
                    & Q(decided_at__isnull=False, decided_by__isnull=False)
                ),
                name="rights_request_decision_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.subject_type} {self.subject_id}"

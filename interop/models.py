"""What the FHIR face keeps of its own: which practice a system client acts for, each
practice's integration settings, and the messages back sent to registered practices."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from socialrx.core.models import Organisation, OrganisationType, TimeStampedModel


class SystemClient(TimeStampedModel):
    """A GP system connected with OAuth 2.0 client credentials, acting for one practice.

    Its requests run as ``service_user`` (a referrer of the practice, who never signs in),
    so referrals it sends go through the same services and checks as a person's; what it
    may read is scoped to its practice and to the scopes of its token."""

    application = models.OneToOneField(
        "oauth2_provider.Application", on_delete=models.CASCADE, related_name="system_client"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="system_clients",
        limit_choices_to={"org_type": OrganisationType.GP_PRACTICE},
    )
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="system_client"
    )

    class Meta:
        ordering = ("organisation__name",)

    def __str__(self) -> str:
        return f"{self.application.name} for {self.organisation}"


class PracticeIntegration(TimeStampedModel):
    """A GP practice's settings for the loop back and for launching from its GP system.

    ``launch_secret`` signs the patient context a GP system's button sends (HMAC-SHA256);
    a system administrator sets it in the admin and gives it to the practice's supplier."""

    practice = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="integration",
        limit_choices_to={"org_type": OrganisationType.GP_PRACTICE},
    )
    shared_mailbox = models.EmailField(
        blank=True,
        help_text="The practice's shared inbox: told (with a link only) when a message arrives.",
    )
    launch_secret = models.CharField(
        max_length=128,
        blank=True,
        help_text="Shared secret for signed launch links (at least 32 characters); blank: off.",
    )

    class Meta:
        ordering = ("practice__name",)
        constraints = [
            models.CheckConstraint(
                condition=Q(launch_secret="") | Q(launch_secret__regex=r"^.{32,}$"),
                name="practice_integration_secret_long_enough",
            )
        ]

    def __str__(self) -> str:
        return f"Integration for {self.practice}"


class MessageMoment(models.TextChoices):
    """When the PRSB message back is written: at first contact (accepted or declined) and
    at closure."""

    ACCEPTED = "accepted", "Accepted at first contact"
    DECLINED = "declined", "Declined by the person"
    CLOSED = "closed", "Closed"


class PracticeMessageQuerySet(models.QuerySet["PracticeMessage"]):
    def unfiled(self) -> PracticeMessageQuerySet:
        return self.filter(filed_at__isnull=True)


class PracticeMessage(TimeStampedModel):
    """One PRSB social prescribing message back to the person's registered practice: a
    FHIR document Bundle, stored as sent (a snapshot: what was sent stays what was sent)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="practice_messages"
    )
    practice = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="practice_messages"
    )
    moment = models.CharField(max_length=12, choices=MessageMoment.choices)
    snomed_code = models.CharField(max_length=20, blank=True)
    document = models.JSONField(help_text="The FHIR document Bundle, as sent.")
    filed_at = models.DateTimeField(null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = PracticeMessageQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["practice", "filed_at", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "moment"], name="practice_message_once_per_moment"
            )
        ]

    def __str__(self) -> str:
        return f"Message {self.pk} ({self.get_moment_display()})"

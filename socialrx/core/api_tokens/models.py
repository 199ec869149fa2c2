"""The API token table. Imported by ``socialrx.core.models`` so the core app owns it."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from socialrx.core.models import TimeStampedModel


class RevocationReason(models.TextChoices):
    OWNER = "owner", "Revoked by its owner"
    ADMINISTRATOR = "administrator", "Revoked by an administrator"
    PASSWORD_CHANGED = "password_changed", "Revoked when the password changed"
    DEACTIVATED = "deactivated", "Revoked when the account was deactivated"
    REPLACED = "replaced", "Replaced by a new token"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def unrevoked(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)

    def usable(self) -> ApiTokenQuerySet:
        """Neither revoked nor expired (a password change is checked on use)."""
        return self.unrevoked().filter(expires_at__gt=timezone.now())


class ApiToken(TimeStampedModel):
    """One personal API token. The secret is never stored: only its SHA-256 digest."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What uses the token, in its owner's words.")
    prefix = models.CharField(
        max_length=16, help_text="The token's first characters: not secret, tells tokens apart."
    )
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token, hex.")
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=32, choices=RevocationReason.choices, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty when revoked automatically (the reason says why).",
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API token"
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["user", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_reason="")
                | Q(revoked_at__isnull=False) & ~Q(revoked_reason=""),
                name="api_token_revoked_with_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at <= (now or timezone.now())

    def predates_password_change(self) -> bool:
        """Issued before its owner's password last changed: no longer to be trusted."""
        changed = self.user.password_changed_at
        return changed is not None and self.created_at < changed

"""Onward connections to services, their history, and needs no service met."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case as SqlCase
from django.db.models import Q, Value, When
from django.utils import timezone

from directory.models import Service
from linkworkers import codes
from socialrx.core.events import ImmutableEvent
from socialrx.core.models import TimeStampedModel

# --- onward connections ---------------------------------------------------------------


class ConnectionQuerySet(models.QuerySet["Connection"]):
    def live(self) -> ConnectionQuerySet:
        return self.filter(status__in=codes.LIVE_CONNECTION_STATUSES)

    def not_updated_since(self, cutoff: datetime.datetime) -> ConnectionQuerySet:
        return self.live().filter(status_changed_at__lte=cutoff)

    def awaiting_answer_first(self) -> ConnectionQuerySet:
        """Those waiting for the service's answer first, then the rest; newest referred
        first within each."""
        waiting = SqlCase(
            When(status__in=codes.AWAITING_ANSWER_STATUSES, then=Value(0)),
            default=Value(1),
            output_field=models.IntegerField(),
        )
        return self.alias(waiting=waiting).order_by("waiting", "-referred_at", "-pk")

    def for_display(self) -> ConnectionQuerySet:
        """What a list of connections shows (service, capacity, person, history with its
        actors), in a fixed number of queries."""
        return self.select_related(
            "service__organization", "service__capacity", "case__referral__person"
        ).prefetch_related(
            models.Prefetch("events", queryset=ConnectionEvent.objects.select_related("actor"))
        )


class Connection(TimeStampedModel):
    """A social prescription: the person connected to a directory service."""

    case = models.ForeignKey("Case", on_delete=models.CASCADE, related_name="connections")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="connections")
    status = models.CharField(
        max_length=20,
        choices=codes.ConnectionStatus.choices,
        default=codes.ConnectionStatus.SUGGESTED,
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    decline_reason = models.CharField(
        max_length=24, choices=codes.ConnectionDeclineReason.choices, blank=True
    )
    consent_to_share = models.BooleanField(
        default=False,
        help_text="The person agreed the service may see their name and contact details.",
    )
    not_accepting_confirmed = models.BooleanField(
        default=False,
        help_text="The link worker went ahead although the service was not accepting.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    domain = models.CharField(
        max_length=24,
        choices=codes.LifeDomain.choices,
        blank=True,
        default="",
        # Also a database default: bulk loaders that list their columns (the synthetic
        # data generator, COPY) need not know of it.
        db_default="",
        help_text="The life domain (need) the connection meets, for reporting.",
    )
    referred_at = models.DateTimeField(null=True, blank=True)
    nudged_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the service was last reminded; once per referral (since referred_at).",
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    started_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True, help_text="For the service: what the person hopes for.")
    # Connected although the stated criteria said not eligible: why, in the link worker's
    # words (counted in reports as an ineligible connection).
    ineligible_reason = models.TextField(
        blank=True,
        default="",
        db_default="",
        help_text="Why the person was connected although not eligible.",
    )

    objects = ConnectionQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["service", "status", "status_changed_at"]),
            models.Index(fields=["case", "status"]),
            models.Index(fields=["status", "status_changed_at"]),
            # This week's places taken at a service (linkworkers/connections/capacity.py).
            models.Index(fields=["service", "referred_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "service"],
                condition=Q(status__in=sorted(codes.LIVE_CONNECTION_STATUSES)),
                name="connection_one_live_per_case_and_service",
            ),
            models.CheckConstraint(
                condition=Q(decline_reason="")
                | Q(status__in=sorted(codes.DECLINED_CONNECTION_STATUSES)),
                name="connection_decline_reason_only_when_declined",
            ),
            models.CheckConstraint(
                condition=Q(consent_to_share=True) | Q(status="suggested"),
                name="connection_referred_needs_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"Connection {self.pk} ({self.get_status_display()})"


class ConnectionEvent(ImmutableEvent):
    connection = models.ForeignKey(Connection, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(
        max_length=20, choices=codes.ConnectionStatus.choices, blank=True
    )
    to_status = models.CharField(max_length=20, choices=codes.ConnectionStatus.choices)
    decline_reason = models.CharField(
        max_length=24, choices=codes.ConnectionDeclineReason.choices, blank=True
    )

    class Meta(ImmutableEvent.Meta):
        indexes = [models.Index(fields=["connection", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status} ({self.connection_id})"


class UnmetNeed(TimeStampedModel):
    """Support the person needed that no suitable service could give: feeds commissioning.

    Holds a postcode district (``NN1``), never a full postcode, so reports stay
    aggregate."""

    case = models.ForeignKey("Case", on_delete=models.CASCADE, related_name="unmet_needs")
    domain = models.CharField(max_length=24, choices=codes.LifeDomain.choices)
    description = models.TextField("what was needed")
    postcode_district = models.CharField(max_length=4)
    service = models.ForeignKey(
        Service,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="unmet_needs",
        help_text="A service that would fit but was not accepting referrals.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ("-recorded_on", "-id")
        indexes = [
            models.Index(fields=["domain", "recorded_on"]),
            models.Index(fields=["postcode_district", "recorded_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(postcode_district__regex=r"^[A-Z]{1,2}[0-9][A-Z0-9]?$"),
                name="unmet_need_postcode_district_format",
            ),
        ]

    def __str__(self) -> str:
        return f"Unmet need {self.pk} ({self.get_domain_display()})"

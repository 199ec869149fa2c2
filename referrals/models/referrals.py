"""Referrals, the routes that triage them and their reasons."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, Max, OuterRef, Q, Value, When
from django.utils import timezone

from referrals import codes
from referrals.models.events import ReferralStatusEvent
from referrals.models.people import Person
from socialrx.core.models import Notification, Organisation, OrganisationType, TimeStampedModel
from socialrx.core.querysets import AttachOrganisationsQuerySet


class TriageRoute(TimeStampedModel):
    """Which link worker service triages referrals for people registered at a practice.

    The route with no practice is the county default (self-referrals without a practice,
    and practices not yet mapped).
    """

    practice = models.OneToOneField(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="triage_route",
        limit_choices_to={"org_type": OrganisationType.GP_PRACTICE},
    )
    service = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="triage_routes",
        limit_choices_to={"org_type": OrganisationType.LINK_WORKER_SERVICE},
    )
    default_team = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"org_type": OrganisationType.LINK_WORKER_TEAM},
        help_text="The PCN or service team that usually takes this practice's referrals.",
    )
    is_default = models.BooleanField(
        default=False, help_text="The county default; has no practice."
    )

    class Meta:
        ordering = ("practice__name",)
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="triage_route_one_default"
            ),
            models.CheckConstraint(
                condition=Q(is_default=True, practice__isnull=True)
                | Q(is_default=False, practice__isnull=False),
                name="triage_route_default_has_no_practice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practice or 'Default'} -> {self.service}"


class ReferralQuerySet(AttachOrganisationsQuerySet["Referral"]):
    def awaiting_triage(self) -> ReferralQuerySet:
        return self.filter(status__in=codes.AWAITING_TRIAGE_STATUSES)

    def open(self) -> ReferralQuerySet:
        return self.filter(status__in=codes.OPEN_STATUSES)

    def with_undelivered_message(self) -> ReferralQuerySet:
        """A message to the person about the referral did not reach them, and their
        details have not changed since (a correction, or another way to contact them,
        is what settles it)."""
        undelivered = Notification.objects.undeliverable().filter(
            about_type=self.model._meta.label_lower,
            about_id=OuterRef("pk"),
            delivery_status_at__gt=OuterRef("person__updated_at"),
        )
        return self.filter(Exists(undelivered))

    def matching(
        self, *, status: str = "", urgency: str = "", source: str = "", reason: str = ""
    ) -> ReferralQuerySet:
        """Narrowed by each list filter given (a blank one narrows nothing)."""
        wanted = {"status": status, "urgency": urgency, "source": source}
        referrals = self.filter(**{field: value for field, value in wanted.items() if value})
        return referrals.filter(reasons__reason=reason) if reason else referrals

    def oldest_first(self) -> ReferralQuerySet:
        return self.order_by("created_at", "id")

    def urgent_first(self) -> ReferralQuerySet:
        """The triage queue's order: urgent referrals first, then the longest waiting."""
        urgent_rank = Case(When(urgency=codes.Urgency.URGENT, then=Value(0)), default=Value(1))
        return self.order_by(urgent_rank, "created_at", "id")

    def received_before(self, cutoff: datetime.datetime) -> ReferralQuerySet:
        """In a triage queue since before ``cutoff``, not waiting on the referrer."""
        return self.filter(status=codes.Status.RECEIVED, created_at__lte=cutoff)

    def assigned_before(self, cutoff: datetime.datetime) -> ReferralQuerySet:
        """Assigned (the latest assignment) before ``cutoff`` and no first contact since."""
        return (
            self.filter(status=codes.Status.ASSIGNED)
            .annotate(
                assigned_at=Max(
                    "events__occurred_at", filter=Q(events__kind=codes.EventKind.ASSIGNED)
                )
            )
            .filter(assigned_at__lte=cutoff)
        )

    def not_alerted(self, reason: str) -> ReferralQuerySet:
        return self.exclude(alerts__reason=reason)

    def with_list_details(self) -> ReferralQuerySet:
        return (
            self.select_related("person")
            .with_organisations("referring_organisation", "triage_service", "assigned_team")
            .prefetch_related("reasons")
        )

    def with_page_details(self) -> ReferralQuerySet:
        """Everything one referral's page shows, in a fixed number of queries: person and
        referrer joined, organisations attached, reasons and history (with actors)."""
        return (
            self.select_related("person", "referrer")
            .with_organisations(
                "person.registered_practice",
                "referring_organisation",
                "triage_service",
                "assigned_team",
            )
            .prefetch_related(
                "reasons",
                models.Prefetch(
                    "events", queryset=ReferralStatusEvent.objects.select_related("actor")
                ),
            )
        )


class Referral(TimeStampedModel):
    """One referral of one person to social prescribing, from intake to closure."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    source = models.CharField(max_length=20, choices=codes.ReferralSource.choices)
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_made",
        help_text="Empty for self-referrals.",
    )
    referring_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_made",
    )
    reason_other = models.CharField("other reason", max_length=200, blank=True)
    what_matters = models.TextField("what matters to the person", blank=True)
    safeguarding_concerns = models.TextField(blank=True)
    lone_working_risks = models.TextField(blank=True)
    urgency = models.CharField(
        max_length=10, choices=codes.Urgency.choices, default=codes.Urgency.ROUTINE
    )
    consent_to_referral = models.BooleanField(default=False)
    consent_to_share = models.BooleanField(default=False)
    consent_recorded_on = models.DateField()
    consent_recorded_by = models.CharField(
        max_length=150, help_text="Who recorded the consent (the person, for self-referrals)."
    )
    contact_consent = models.BooleanField(
        default=False,
        help_text="The person agreed to be told how their referral goes (email, text or letter).",
    )
    # GP systems record consent as a coded entry or a note, not always as a FHIR Consent:
    # such a referral is taken, and the link worker confirms consent at first contact.
    consent_to_confirm = models.BooleanField(
        "consent to be confirmed at first contact",
        default=False,
        help_text="Sent without a record of consent; the link worker confirms it with the person.",
    )
    requester_name = models.CharField(
        max_length=200, blank=True, help_text="The clinician who made the referral, as sent."
    )
    requester_identifier = models.CharField(
        max_length=100, blank=True, help_text="The clinician's identifier (system|value), as sent."
    )
    requester_ods_code = models.CharField(
        "requesting organisation ODS code", max_length=12, blank=True
    )
    sender_identifier_system = models.CharField(max_length=200, blank=True)
    sender_identifier_value = models.CharField(
        max_length=100,
        blank=True,
        help_text="The sending system's own id for this referral (FHIR ServiceRequest.identifier).",
    )
    triage_service = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="referrals_to_triage",
        limit_choices_to={"org_type": OrganisationType.LINK_WORKER_SERVICE},
    )
    assigned_team = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_assigned",
        limit_choices_to={"org_type": OrganisationType.LINK_WORKER_TEAM},
    )
    assigned_link_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_assigned",
    )
    status = models.CharField(
        max_length=20, choices=codes.Status.choices, default=codes.Status.RECEIVED
    )
    closure_outcome = models.CharField(
        max_length=20, choices=codes.ClosureOutcome.choices, blank=True
    )
    decline_reason = models.CharField(
        max_length=24, choices=codes.DeclineReason.choices, blank=True
    )
    suggested_alternative = models.CharField(max_length=300, blank=True)
    idempotency_key = models.CharField(
        max_length=100,
        blank=True,
        help_text="From the form's one-time token or the API's Idempotency-Key header.",
    )
    request_fingerprint = models.CharField(max_length=64, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["triage_service", "status", "created_at"]),
            models.Index(fields=["referring_organisation", "-created_at"]),
            models.Index(fields=["assigned_team", "status"]),
            models.Index(fields=["assigned_link_worker", "status"]),
            models.Index(fields=["sender_identifier_value"]),
            models.Index(fields=["updated_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_to_referral=True, consent_to_share=True)
                | Q(consent_to_confirm=True),
                name="referral_requires_consent",
            ),
            models.CheckConstraint(
                condition=Q(source="self") | Q(referrer__isnull=False),
                name="referral_professional_has_referrer",
            ),
            models.CheckConstraint(
                condition=Q(closure_outcome="") | Q(status="closed"),
                name="referral_outcome_only_when_closed",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(closure_outcome=""),
                name="referral_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(decline_reason="") | Q(status="declined"),
                name="referral_decline_reason_only_when_declined",
            ),
            models.UniqueConstraint(
                fields=["referrer", "idempotency_key"],
                condition=~Q(idempotency_key="") & Q(referrer__isnull=False),
                name="referral_idempotency_key_per_referrer",
            ),
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~Q(idempotency_key="") & Q(referrer__isnull=True),
                name="referral_idempotency_key_self",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk}"

    @property
    def reference(self) -> str:
        """What people read out on the phone."""
        return f"SRX-{self.pk:06d}" if self.pk else ""

    @property
    def reason_codes(self) -> list[str]:
        return [r.reason for r in self.reasons.all()]

    @property
    def waiting_days(self) -> int:
        return self.days_waiting_at(timezone.now())

    def days_waiting_at(self, now: datetime.datetime) -> int:
        """Whole days since the referral arrived; a list passes one ``now`` so that
        every row is counted against the same clock."""
        return (now - self.created_at).days

    @property
    def fhir_task_status(self) -> str:
        return codes.FHIR_TASK_STATUS[self.status]

    def clean(self) -> None:
        if self.consent_recorded_on and self.consent_recorded_on > timezone.localdate():
            raise ValidationError({"consent_recorded_on": "Consent date must not be in future"})


class ReferralReason(models.Model):
    """One reason for a referral: a row each, so reports count them in the database."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="reasons")
    reason = models.CharField(max_length=24, choices=codes.Reason.choices)

    class Meta:
        ordering = ("id",)
        constraints = [
            models.UniqueConstraint(fields=["referral", "reason"], name="referral_reason_unique")
        ]
        indexes = [models.Index(fields=["reason"])]

    def __str__(self) -> str:
        return self.get_reason_display()

    @property
    def snomed(self) -> str | None:
        return codes.REASON_SNOMED.get(self.reason)

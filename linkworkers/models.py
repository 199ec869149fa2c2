"""Cases, contacts, assessments, support plans, onward connections and unmet need.

A case is a link worker's time with one person, opened from an assigned referral; the
referral keeps the closed-loop status the referrer sees, the case holds the casework
(private to the link worker team). Status changes are immutable event rows.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Case as Case_
from django.db.models import Count, Exists, F, Min, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from directory.models import Service
from linkworkers import codes
from referrals.codes import ClosureOutcome
from referrals.models import Referral
from socialrx.core.events import ImmutableEvent
from socialrx.core.models import Organisation, OrganisationType, TimeStampedModel
from socialrx.core.querysets import AttachOrganisationsQuerySet

# --- cases ----------------------------------------------------------------------------


CASELOAD_ROW_FIELDS = (
    "status",
    "opened_at",
    "closed_at",
    "first_contact_due_on",
    "next_appointment_at",
    "team_id",
    "link_worker_id",
    "referral_id",
    "referral__person_id",
    "referral__person__given_name",
    "referral__person__family_name",
    "referral__person__nhs_number",
)


class CaseQuerySet(AttachOrganisationsQuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.filter(status__in=codes.OPEN_CASE_STATUSES)

    def with_next_actions(self) -> CaseQuerySet:
        """What the caseload shows, computed in the one list query: attempts so far and
        the nearest review of a goal still open. Subqueries, not joins: contacts and
        goals joined together would multiply each other's rows."""
        attempts = Contact.objects.filter(case=OuterRef("pk"), successful=False)
        return self.with_review_due().annotate(
            attempts=_subquery_count(attempts.order_by().values("case"))
        )

    def with_review_due(self) -> CaseQuerySet:
        """``review_due_on``: the nearest review of a goal still open (null: no plan)."""
        reviews = (
            PlanGoal.objects.filter(plan__case=OuterRef("pk"), status=codes.GoalStatus.OPEN)
            .order_by()
            .values("plan__case")
        )
        return self.annotate(
            review_due_on=Subquery(
                reviews.annotate(due=Min("review_on")).values("due"),
                output_field=models.DateField(),
            ),
        )

    def overdue(self, today: datetime.date | None = None) -> CaseQuerySet:
        """Open, and first contact late or a goal review past its date."""
        today = today or timezone.localdate()
        late_review = PlanGoal.objects.filter(
            plan__case=OuterRef("pk"), status=codes.GoalStatus.OPEN, review_on__lt=today
        )
        return self.open().filter(
            Q(status=codes.CaseStatus.AWAITING_CONTACT, first_contact_due_on__lt=today)
            | Exists(late_review)
        )

    def search(self, text: str) -> CaseQuerySet:
        """By NHS number (typed with or without spaces) or by any part of the name."""
        compact = text.replace(" ", "").replace("-", "")
        if compact.isdigit():
            return self.filter(referral__person__nhs_number__startswith=compact)
        for word in text.split():
            self = self.filter(
                Q(referral__person__given_name__icontains=word)
                | Q(referral__person__family_name__icontains=word)
            )
        return self

    def sorted_by(self, sort: str) -> CaseQuerySet:
        """``due``: the date something falls due (first contact, else the next review),
        soonest first; ``opened``: longest open first; ``name``: family name."""
        if sort == "opened":
            return self.order_by("opened_at", "id")
        if sort == "name":
            return self.order_by(
                "referral__person__family_name", "referral__person__given_name", "id"
            )
        due = Case_(
            When(status=codes.CaseStatus.AWAITING_CONTACT, then=F("first_contact_due_on")),
            default=F("review_due_on"),
            output_field=models.DateField(),
        )
        return self.alias(due=due).order_by(F("due").asc(nulls_last=True), "opened_at", "id")

    def with_list_details(self) -> CaseQuerySet:
        return self.select_related("referral__person", "link_worker", "team")

    def for_caseload(self) -> CaseQuerySet:
        """The columns a caseload row shows (``CaseRow``) and no others: a page of cases
        loaded with every column of their referrals spent a third of the list query's
        time turning text nobody reads into objects. The worker and team are the
        caseload's own, so they are not joined."""
        return self.select_related("referral__person").only(*CASELOAD_ROW_FIELDS)

    def with_page_details(self) -> CaseQuerySet:
        """Everything the case page shows, in a fixed number of queries: the review date,
        the referral and its people joined, organisations attached, the history lists
        prefetched (the attempts so far are counted from the contacts: ``CaseRow``). The
        latest assessment's summary is shown, not its domains, so they are not loaded."""
        return (
            self.with_review_due()
            .select_related("referral__person", "link_worker")
            .with_organisations(
                "team", "referral.person.registered_practice", "referral.referring_organisation"
            )
            .prefetch_related(
                "referral__reasons",
                models.Prefetch("contacts", queryset=Contact.objects.select_related("recorded_by")),
                models.Prefetch("events", queryset=CaseStatusEvent.objects.select_related("actor")),
                models.Prefetch(
                    "assessments", queryset=Assessment.objects.select_related("assessed_by")
                ),
            )
        )


def _subquery_count(rows: models.QuerySet[Any]) -> Coalesce:
    return Coalesce(
        Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=models.IntegerField()),
        0,
    )


class Case(TimeStampedModel):
    """One person's time with a link worker, from an assigned referral to closure."""

    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="case")
    team = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="cases",
        limit_choices_to={"org_type": OrganisationType.LINK_WORKER_TEAM},
    )
    link_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases"
    )
    status = models.CharField(
        max_length=20, choices=codes.CaseStatus.choices, default=codes.CaseStatus.AWAITING_CONTACT
    )
    opened_at = models.DateTimeField(default=timezone.now)
    first_contact_due_on = models.DateField()
    first_contact_at = models.DateTimeField(null=True, blank=True)
    next_appointment_at = models.DateTimeField(
        null=True, blank=True, help_text="The next contact arranged with the person."
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_outcome = models.CharField(max_length=20, choices=ClosureOutcome.choices, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ("-opened_at", "-id")
        indexes = [
            models.Index(fields=["link_worker", "status", "opened_at"]),
            models.Index(fields=["team", "status", "opened_at"]),
            models.Index(fields=["status", "first_contact_due_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False) & ~Q(closure_outcome="")
                | Q(closed_at__isnull=True, closure_outcome="") & ~Q(status="closed"),
                name="case_closed_iff_outcome_and_date",
            ),
            models.CheckConstraint(
                condition=Q(first_contact_at__isnull=True) | ~Q(status="awaiting_contact"),
                name="case_awaiting_contact_has_none",
            ),
        ]

    def __str__(self) -> str:
        return f"Case {self.pk}"

    @property
    def reference(self) -> str:
        return self.referral.reference

    @property
    def is_open(self) -> bool:
        return self.status in codes.OPEN_CASE_STATUSES

    def days_open(self, today: datetime.date | None = None) -> int:
        """Calendar days from opening to closure, or to ``today`` while open."""
        opened = timezone.localtime(self.opened_at).date()
        if self.closed_at is not None:
            return (timezone.localtime(self.closed_at).date() - opened).days
        return ((today or timezone.localdate()) - opened).days


class CaseStatusEvent(ImmutableEvent):
    """Written only by the service that makes the change (``linkworkers.services``)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=codes.CaseEventKind.choices)
    from_status = models.CharField(max_length=20, choices=codes.CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=codes.CaseStatus.choices)

    class Meta(ImmutableEvent.Meta):
        indexes = [models.Index(fields=["case", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.case_id})"


class ContactQuerySet(models.QuerySet["Contact"]):
    def attempts(self) -> ContactQuerySet:
        return self.filter(successful=False)


class Contact(TimeStampedModel):
    """An attempt to reach the person, or a conversation with them."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    occurred_at = models.DateTimeField()
    mode = models.CharField(max_length=20, choices=codes.ContactMode.choices)
    successful = models.BooleanField(
        help_text="False for an attempt that did not reach the person."
    )
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(
        blank=True, help_text="Private to the link worker team; never shown to referrers."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ("-occurred_at", "-id")
        indexes = [models.Index(fields=["case", "occurred_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True)
                | Q(duration_minutes__gte=1, duration_minutes__lte=720),
                name="contact_duration_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Contact {self.pk} ({self.case_id})"


# --- assessments ----------------------------------------------------------------------


class Assessment(TimeStampedModel):
    """A holistic "what matters to me" conversation; repeated over time to show change."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    what_matters = models.TextField(
        "what matters to the person", blank=True, help_text="In the person's own words."
    )
    goals = models.TextField("the person's goals", blank=True)

    class Meta:
        ordering = ("assessed_on", "id")
        indexes = [models.Index(fields=["case", "assessed_on"])]

    def __str__(self) -> str:
        return f"Assessment {self.pk} ({self.case_id})"


class AssessmentDomain(models.Model):
    """One life domain of one assessment: a row each, so change is a join, not a parse."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=24, choices=codes.LifeDomain.choices)
    need_level = models.PositiveSmallIntegerField(choices=codes.NeedLevel.choices)
    strengths = models.TextField(
        "strengths and assets", blank=True, help_text="In the person's own words."
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ("assessment", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "domain"], name="assessment_domain_unique"
            ),
            models.CheckConstraint(
                condition=Q(need_level__gte=0, need_level__lte=3),
                name="assessment_domain_need_level_range",
            ),
        ]
        indexes = [models.Index(fields=["domain", "need_level"])]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}: {self.get_need_level_display()}"


# --- support plans --------------------------------------------------------------------


class SupportPlan(TimeStampedModel):
    """The goals agreed with the person. One per case, changed as the work goes on."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="plan")
    agreed_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Support plan {self.pk} ({self.case_id})"


class PlanGoal(TimeStampedModel):
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="goals")
    description = models.TextField(help_text="In the person's words where possible.")
    domain = models.CharField(max_length=24, choices=codes.LifeDomain.choices, blank=True)
    review_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=codes.GoalStatus.choices, default=codes.GoalStatus.OPEN
    )
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    outcome_note = models.TextField(blank=True)

    class Meta:
        ordering = ("review_on", "id")
        indexes = [models.Index(fields=["status", "review_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", outcome_recorded_at__isnull=True)
                | ~Q(status="open") & Q(outcome_recorded_at__isnull=False),
                name="plan_goal_outcome_recorded_when_marked",
            ),
        ]

    def __str__(self) -> str:
        return f"Goal {self.pk} ({self.get_status_display()})"


class PlanStep(TimeStampedModel):
    """One step towards a goal, and who does it."""

    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="steps")
    description = models.CharField(max_length=300)
    owner = models.CharField("who", max_length=20, choices=codes.StepOwner.choices)
    owner_name = models.CharField(
        max_length=150, blank=True, help_text="For someone else or a service: who."
    )
    due_on = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ("goal", "id")

    def __str__(self) -> str:
        return f"Step {self.pk} ({self.goal_id})"


# --- onward connections ---------------------------------------------------------------


class ConnectionQuerySet(models.QuerySet["Connection"]):
    def live(self) -> ConnectionQuerySet:
        return self.filter(status__in=codes.LIVE_CONNECTION_STATUSES)

    def not_updated_since(self, cutoff: datetime.datetime) -> ConnectionQuerySet:
        return self.live().filter(status_changed_at__lte=cutoff)

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

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="connections")
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

    objects = ConnectionQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["service", "status", "status_changed_at"]),
            models.Index(fields=["case", "status"]),
            models.Index(fields=["status", "status_changed_at"]),
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

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="unmet_needs")
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


# --- closure and reminders ------------------------------------------------------------


class MessageBack(TimeStampedModel):
    """The PRSB Social Prescribing Information Standard "message back" to the GP and
    referrer, written at closure. A snapshot: what was sent stays what was sent."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="message_back")
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

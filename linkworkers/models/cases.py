"""Cases: a person's work with their link worker, its status history and contacts."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Case as SqlCase
from django.db.models import Count, Exists, F, Min, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from linkworkers import codes
from linkworkers.models.plans import Assessment, PlanGoal
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

    def in_status(self, status: str) -> CaseQuerySet:
        """In ``status``, or open when it is blank."""
        return self.filter(status=status) if status else self.open()

    def open_first(self) -> CaseQuerySet:
        """Open cases before closed ones (the statuses sort so), each newest first."""
        return self.order_by("status", "-opened_at")

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
        return self.search_for(*search_terms(text))

    def search_for(self, by_nhs_number: bool, terms: list[str]) -> CaseQuerySet:
        """``search`` with its text already read (``search_terms``)."""
        if by_nhs_number:
            return self.filter(referral__person__nhs_number__startswith=terms[0])
        for word in terms:
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
        due = SqlCase(
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


def search_terms(text: str) -> tuple[bool, list[str]]:
    """What a caseload search looks for: the start of an NHS number (typed with or
    without spaces), or else each word somewhere in the name."""
    compact = text.replace(" ", "").replace("-", "")
    if compact.isdigit():
        return True, [compact]
    return False, text.split()


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
    unable_to_contact_override = models.TextField(
        blank=True,
        help_text="Why the case closed as unable to contact before the attempts rule was met "
        "(LINKWORKERS_UNABLE_TO_CONTACT_*); reported with the closures.",
    )

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
            models.CheckConstraint(
                condition=Q(unable_to_contact_override="")
                | Q(closure_outcome=ClosureOutcome.UNABLE_TO_CONTACT),
                name="case_override_only_when_unable_to_contact",
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

"""Services, what they offer and where and when: the heart of the listing."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from django.db import models
from django.db.models import Case as SqlCase
from django.db.models import Exists, OuterRef, Q, Value, When
from django.utils import timezone

from directory.models.base import (
    LISTING_STALE_AFTER,
    REMINDER_LEAD,
    UUIDModel,
    capacity_stale_cutoff,
    listing_stale_cutoff,
)
from directory.models.organisations import ApprovalStatus, DirectoryOrganisation, Location
from directory.models.taxonomy import TaxonomyTerm
from socialrx.core.models import Organisation

# --- services -------------------------------------------------------------------------

# What templates/directory/search.html and ListingPresenter read of a search result.
SEARCH_RESULT_FIELDS = (
    "name",
    "description",
    "assured_date",
    "organization__name",
    "capacity__status",
    "capacity__expected_wait_weeks",
    "capacity__maximum",
)


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"
    DEFUNCT = "defunct", "Closed for good"
    TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"


class ReferralRoute(models.TextChoices):
    SELF = "self", "People can refer themselves"
    LINK_WORKER = "link_worker", "Referral by a link worker or professional"
    BOTH = "both", "Self-referral or by a link worker"


class Cost(models.TextChoices):
    FREE = "free", "Free"
    DONATION = "donation", "Free, donations welcome"
    PAID = "paid", "There is a charge"


class ServiceQuerySet(models.QuerySet["Service"]):
    def published(self) -> ServiceQuerySet:
        """What the public sees: approved organisations' services that still exist."""
        return self.filter(
            organization__approval_status=ApprovalStatus.APPROVED,
        ).exclude(status=ServiceStatus.DEFUNCT)

    def of_organisations(self, organisations: models.QuerySet[Organisation]) -> ServiceQuerySet:
        return self.filter(organization__organisation__in=organisations)

    def stale(self, today: date | None = None) -> ServiceQuerySet:
        cutoff = listing_stale_cutoff(today)
        return self.filter(Q(assured_date__isnull=True) | Q(assured_date__lt=cutoff))

    def with_stale_rank(self, today: date | None = None) -> ServiceQuerySet:
        """``stale_rank`` 0 for fresh, 1 for stale: stale listings sort after fresh."""
        cutoff = listing_stale_cutoff(today)
        return self.annotate(
            stale_rank=SqlCase(
                When(Q(assured_date__isnull=True) | Q(assured_date__lt=cutoff), then=Value(1)),
                default=Value(0),
            )
        )

    def needing_reminder(self, now: datetime | None = None) -> ServiceQuerySet:
        """Stale within ``REMINDER_LEAD``, already stale, or capacity over 30 days old."""
        now = now or timezone.now()
        soon_stale = listing_stale_cutoff(timezone.localdate(now) + REMINDER_LEAD)
        return self.exclude(status=ServiceStatus.DEFUNCT).filter(
            Q(assured_date__isnull=True)
            | Q(assured_date__lt=soon_stale)
            | Q(capacity__isnull=True)
            | Q(capacity__updated__lt=capacity_stale_cutoff(now))
        )

    def awaiting_review(self, today: date | None = None) -> ServiceQuerySet:
        """Changed since an administrator last looked, or stale."""
        cutoff = listing_stale_cutoff(today)
        return self.filter(
            Q(reviewed_at__isnull=True)
            | Q(last_modified__gt=models.F("reviewed_at"))
            | Q(assured_date__isnull=True)
            | Q(assured_date__lt=cutoff)
        )

    def accepting_referrals(self) -> ServiceQuerySet:
        """Accepting, with a place left this week (or no weekly limit)."""
        from directory.capacity import has_place, with_places_taken

        return with_places_taken(self.filter(capacity__status=CapacityStatus.ACCEPTING)).filter(
            has_place()
        )

    def with_term(self, term_id: uuid.UUID) -> ServiceQuerySet:
        # Exists, not a join, so several term filters combine without duplicate rows.
        return self.filter(
            Exists(ServiceAttribute.objects.filter(service=OuterRef("pk"), taxonomy_term=term_id))
        )

    def for_display(self) -> ServiceQuerySet:
        """Everything a list or API page shows, in a fixed number of queries: each term's
        taxonomy joined to the terms, not fetched in a query of its own."""
        terms = models.Prefetch(
            "taxonomy_terms", queryset=TaxonomyTerm.objects.select_related("taxonomy")
        )
        from directory.capacity import with_places_taken

        # This week's places taken, for "full this week": one subquery per shown service.
        return with_places_taken(
            self.select_related("organization", "capacity").prefetch_related(terms)
        )

    def for_search_results(self, now: datetime | None = None) -> ServiceQuerySet:
        """``for_display``, reading only the columns a search result shows (its name,
        description, organisation, capacity and staleness): turning each row's other
        columns into Python was a tenth of a search page (issue 17). Read another field
        of these services and it costs a query each. The terms' names come apart, from
        ``directory.selectors.term_names_of``."""
        from directory.capacity import with_places_taken

        return with_places_taken(
            self.select_related("organization", "capacity").only(*SEARCH_RESULT_FIELDS), now
        )


class Service(UUIDModel):
    organization = models.ForeignKey(
        DirectoryOrganisation, on_delete=models.CASCADE, related_name="services"
    )
    name = models.CharField(max_length=200)
    description = models.TextField()
    url = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(
        max_length=24, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    accreditations = models.TextField(blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    # Who the service is only for (directory/eligibility.py checks them for a person). The
    # lists are stored ",a,b," so a filter is a plain containment of ",a,", on any database.
    gender_only = models.CharField(
        "only for",
        max_length=8,
        blank=True,
        default="",
        db_default="",
        choices=[("", "Anyone"), ("women", "Women only"), ("men", "Men only")],
    )
    only_for = models.CharField(
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text="Groups it is only for (carers, veterans...), stored ',carers,'.",
    )
    areas_served = models.CharField(
        max_length=500,
        blank=True,
        default="",
        db_default="",
        help_text="Postcode districts or local authority codes it serves, stored ',NN1,NN2,'; "
        "empty for anywhere.",
    )
    assured_date = models.DateField(
        null=True, blank=True, help_text="When the listing was last confirmed as accurate."
    )
    assurer_email = models.EmailField(blank=True)
    alert = models.TextField(blank=True, help_text="A short-term notice, such as a closure.")
    last_modified = models.DateTimeField(default=timezone.now)
    # Social prescribing additions.
    referral_routes = models.CharField(
        "how people are referred",
        max_length=16,
        choices=ReferralRoute.choices,
        default=ReferralRoute.BOTH,
    )
    referral_instructions = models.TextField(blank=True, help_text="How to refer someone.")
    cost = models.CharField(max_length=16, choices=Cost.choices, default=Cost.FREE)
    reviewed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a directory administrator last reviewed it."
    )
    taxonomy_terms: models.ManyToManyField[TaxonomyTerm, ServiceAttribute] = models.ManyToManyField(
        TaxonomyTerm, through="ServiceAttribute", related_name="services", blank=True
    )

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ("name",)
        indexes = [
            models.Index(fields=["status", "name"]),
            models.Index(fields=["assured_date"]),
            models.Index(fields=["organization", "name"]),
            # The ORUK list reads fresh, then stale, services from this a page at a time.
            models.Index(fields=["name", "id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_age__isnull=True)
                | Q(maximum_age__isnull=True)
                | Q(minimum_age__lte=models.F("maximum_age")),
                name="service_age_range_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_stale(self, today: date | None = None) -> bool:
        return self.assured_date is None or self.assured_date < listing_stale_cutoff(today)

    @property
    def only_for_list(self) -> list[str]:
        return [g for g in self.only_for.split(",") if g]

    @property
    def areas_served_list(self) -> list[str]:
        return [a for a in self.areas_served.split(",") if a]

    def becomes_stale_on(self) -> date | None:
        return None if self.assured_date is None else self.assured_date + LISTING_STALE_AFTER


class ServiceAttribute(UUIDModel):
    """ORUK ``attribute``: links a taxonomy term to a service."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="attributes")
    taxonomy_term = models.ForeignKey(TaxonomyTerm, on_delete=models.PROTECT, related_name="+")
    link_type = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ("created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["service", "taxonomy_term"], name="service_attribute_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_id} - {self.taxonomy_term_id}"


class CapacityStatus(models.TextChoices):
    ACCEPTING = "accepting", "Accepting referrals"
    WAITING_LIST = "waiting_list", "Waiting list"
    NOT_ACCEPTING = "not_accepting", "Not accepting referrals"
    ASSESSMENT_REQUIRED = "assessment_required", "Additional assessment required"


class ServiceCapacity(UUIDModel):
    """HSDS 3.1 ``service_capacity`` plus the referral status link workers need."""

    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="capacity")
    status = models.CharField(
        max_length=24, choices=CapacityStatus.choices, default=CapacityStatus.ACCEPTING
    )
    available = models.PositiveIntegerField(
        null=True, blank=True, help_text="Places free now, if known."
    )
    maximum = models.PositiveIntegerField(
        "weekly referral limit",
        null=True,
        blank=True,
        help_text="The most referrals a week the funding covers.",
    )
    unit = models.CharField(max_length=50, default="referrals per week")
    expected_wait_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    updated = models.DateTimeField(default=timezone.now, help_text="When last confirmed.")

    class Meta:
        verbose_name_plural = "service capacities"
        indexes = [models.Index(fields=["status"]), models.Index(fields=["updated"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(available__isnull=True)
                | Q(maximum__isnull=True)
                | Q(available__lte=models.F("maximum")),
                name="capacity_available_within_maximum",
            ),
            models.CheckConstraint(
                condition=Q(expected_wait_weeks__isnull=True) | Q(status="waiting_list"),
                name="capacity_wait_only_for_waiting_list",
            ),
        ]

    def __str__(self) -> str:
        return self.get_status_display()

    def is_stale(self, now: datetime | None = None) -> bool:
        return self.updated < capacity_stale_cutoff(now)


class ServiceAtLocation(UUIDModel):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ("created_at",)
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="service_location_unique")
        ]

    def __str__(self) -> str:
        return f"{self.service} at {self.location}"


class Weekday(models.TextChoices):
    MO = "MO", "Monday"
    TU = "TU", "Tuesday"
    WE = "WE", "Wednesday"
    TH = "TH", "Thursday"
    FR = "FR", "Friday"
    SA = "SA", "Saturday"
    SU = "SU", "Sunday"


class Schedule(UUIDModel):
    """ORUK ``schedule`` (iCalendar-style): opening times of a service or of a service
    at one location."""

    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="schedules",
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    freq = models.CharField(
        max_length=8, blank=True, choices=[("WEEKLY", "Weekly"), ("MONTHLY", "Monthly")]
    )
    interval = models.PositiveSmallIntegerField(null=True, blank=True)
    byday = models.CharField(max_length=40, blank=True, help_text="e.g. MO,WE,FR")
    bymonthday = models.CharField(max_length=40, blank=True)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    description = models.TextField(blank=True)
    schedule_link = models.URLField(blank=True)
    attending_type = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ("created_at",)
        constraints = [
            models.CheckConstraint(
                condition=Q(service__isnull=False) | Q(service_at_location__isnull=False),
                name="schedule_belongs_somewhere",
            )
        ]

    def __str__(self) -> str:
        return self.description or f"{self.byday} {self.opens_at}-{self.closes_at}"


class Contact(UUIDModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    is_referral_contact = models.BooleanField(
        default=False, help_text="Referrals for this service go to this contact."
    )

    class Meta:
        ordering = ("-is_referral_contact", "name")

    def __str__(self) -> str:
        return self.name or self.title or str(self.id)


class Phone(UUIDModel):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(max_length=40)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ("created_at",)

    def __str__(self) -> str:
        return self.number


class Language(UUIDModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="languages")
    name = models.CharField(max_length=100, blank=True)
    code = models.CharField(max_length=12, blank=True, help_text="ISO 639 code, e.g. pl")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name or self.code


class CostOption(UUIDModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    option = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    amount_description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ("created_at",)

    def __str__(self) -> str:
        return self.option or str(self.amount)


class Funding(UUIDModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="funding")
    source = models.TextField()

    class Meta:
        ordering = ("created_at",)

    def __str__(self) -> str:
        return self.source[:60]


class ServiceArea(UUIDModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(max_length=300, blank=True)
    extent = models.TextField(blank=True)
    extent_type = models.CharField(max_length=40, blank=True)
    uri = models.CharField(max_length=300, blank=True)
    service_area = models.TextField(blank=True)

    class Meta:
        ordering = ("created_at",)

    def __str__(self) -> str:
        return self.name[:60]

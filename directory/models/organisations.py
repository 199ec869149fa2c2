"""The organisations that run services, and their locations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from directory.models.base import UUIDModel
from socialrx.core.models import Organisation

# --- organisations ------------------------------------------------------------------


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", "Waiting for approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Not approved"


class DirectoryOrganisationQuerySet(models.QuerySet["DirectoryOrganisation"]):
    def approved(self) -> DirectoryOrganisationQuerySet:
        return self.filter(approval_status=ApprovalStatus.APPROVED)

    def pending(self) -> DirectoryOrganisationQuerySet:
        return self.filter(approval_status=ApprovalStatus.PENDING)


class DirectoryOrganisation(UUIDModel):
    """ORUK ``organization``: who provides services. Linked to the core organisation
    whose VCSE editors maintain it; imported organisations may have none."""

    organisation = models.OneToOneField(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="directory_listing",
        help_text="The organisation whose VCSE editors keep this listing up to date.",
    )
    name = models.CharField(max_length=200)
    description = models.TextField()
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    logo = models.URLField(blank=True)
    uri = models.URLField(blank=True)
    parent_organization = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    approval_status = models.CharField(
        max_length=16, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = DirectoryOrganisationQuerySet.as_manager()

    class Meta:
        ordering = ("name",)
        indexes = [models.Index(fields=["approval_status", "name"])]

    def __str__(self) -> str:
        return self.name


class OrganizationIdentifier(UUIDModel):
    organization = models.ForeignKey(
        DirectoryOrganisation, on_delete=models.CASCADE, related_name="organization_identifiers"
    )
    identifier_scheme = models.CharField(max_length=40, blank=True, help_text="e.g. GB-CHC")
    identifier_type = models.CharField(max_length=100)
    identifier = models.CharField(max_length=100)

    class Meta:
        ordering = ("identifier_type",)

    def __str__(self) -> str:
        return f"{self.identifier_scheme} {self.identifier}".strip()


# --- locations ------------------------------------------------------------------------


class LocationType(models.TextChoices):
    PHYSICAL = "physical", "A place people visit"
    POSTAL = "postal", "Postal address only"
    VIRTUAL = "virtual", "Online or by phone"


class Location(UUIDModel):
    organization = models.ForeignKey(
        DirectoryOrganisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="locations",
        help_text="Whose venue this is: its editors may change it.",
    )
    location_type = models.CharField(
        max_length=16, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    external_identifier = models.CharField(max_length=100, blank=True, help_text="e.g. a UPRN")
    external_identifier_type = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ("name",)
        # Distance searches read the venues in a box around the origin (directory.search).
        indexes = [models.Index(fields=["latitude", "longitude"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="location_lat_lon_together",
            )
        ]

    def __str__(self) -> str:
        return self.name or str(self.id)


class Address(UUIDModel):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = models.CharField(max_length=200, blank=True)
    address_1 = models.CharField(max_length=200)
    address_2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    region = models.CharField(max_length=100, blank=True)
    state_province = models.CharField(max_length=100, help_text="The county.")
    postal_code = models.CharField(max_length=10)
    country = models.CharField(max_length=2, default="GB")
    address_type = models.CharField(
        max_length=16, choices=LocationType.choices, default=LocationType.PHYSICAL
    )

    class Meta:
        ordering = ("address_1",)
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return f"{self.address_1}, {self.city} {self.postal_code}"


class Accessibility(UUIDModel):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="accessibility")
    description = models.TextField(blank=True)
    details = models.TextField(blank=True)
    url = models.URLField(blank=True)

    class Meta:
        ordering = ("created_at",)
        verbose_name_plural = "accessibility"

    def __str__(self) -> str:
        return self.description[:60]


class PostcodeCentroid(models.Model):
    """Where a postcode, or a postcode district (outward code), is: the origin for
    distance searches. Filled by ``seed_demo`` or ``import_postcodes``."""

    postcode = models.CharField(max_length=8, unique=True, help_text="Upper case, one space.")
    latitude = models.FloatField()
    longitude = models.FloatField()

    class Meta:
        ordering = ("postcode",)

    def __str__(self) -> str:
        return self.postcode

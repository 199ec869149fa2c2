"""The community asset directory, modelled on Open Referral UK 3.0 (HSDS 3.0).

Field names follow the profile wherever the concept is the same, so the API is a
serialisation, not a translation. Capacity follows HSDS 3.1 ``service_capacity``
(``available``, ``maximum``, ``unit``, ``updated``) so a later upgrade is a mapping.
Ids are UUIDs, as the profile requires. No personal data is held here.
"""

from directory.models.base import (
    CAPACITY_STALE_AFTER,
    LISTING_STALE_AFTER,
    LISTINGS_VERSION_KEY,
    REMINDER_LEAD,
    UUIDModel,
    capacity_stale_cutoff,
    listing_stale_cutoff,
    listings_changed,
    listings_version,
)
from directory.models.changes import (
    ChangeKind,
    ListingReminder,
    ServiceChange,
)
from directory.models.organisations import (
    Accessibility,
    Address,
    ApprovalStatus,
    DirectoryOrganisation,
    DirectoryOrganisationQuerySet,
    Location,
    LocationType,
    OrganizationIdentifier,
    PostcodeCentroid,
)
from directory.models.services import (
    CapacityStatus,
    Contact,
    Cost,
    CostOption,
    Funding,
    Language,
    Phone,
    ReferralRoute,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceAttribute,
    ServiceCapacity,
    ServiceQuerySet,
    ServiceStatus,
    Weekday,
)
from directory.models.taxonomy import (
    Taxonomy,
    TaxonomyTerm,
)

__all__ = [
    "CapacityStatus",
    "Contact",
    "Cost",
    "CostOption",
    "Funding",
    "Language",
    "Phone",
    "ReferralRoute",
    "Schedule",
    "Service",
    "ServiceArea",
    "ServiceAtLocation",
    "ServiceAttribute",
    "ServiceCapacity",
    "ServiceQuerySet",
    "ServiceStatus",
    "Weekday",
    "CAPACITY_STALE_AFTER",
    "LISTINGS_VERSION_KEY",
    "LISTING_STALE_AFTER",
    "REMINDER_LEAD",
    "UUIDModel",
    "capacity_stale_cutoff",
    "listing_stale_cutoff",
    "listings_changed",
    "listings_version",
    "Taxonomy",
    "TaxonomyTerm",
    "Accessibility",
    "Address",
    "ApprovalStatus",
    "DirectoryOrganisation",
    "DirectoryOrganisationQuerySet",
    "Location",
    "LocationType",
    "OrganizationIdentifier",
    "PostcodeCentroid",
    "ChangeKind",
    "ListingReminder",
    "ServiceChange",
]

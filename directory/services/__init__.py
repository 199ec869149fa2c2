"""Directory workflows: keyword-only functions, each in one transaction, each writing
the listing's change history (what editors and administrators read) and the core
audit log. Split by subject; every workflow is importable from here."""

from directory.services.editing import (
    ContactDetails,
    OpeningTimes,
    Place,
    contact_add,
    contact_remove,
    contact_update,
    location_add,
    location_remove,
    location_update,
    schedule_add,
    schedule_remove,
    schedule_update,
    service_create,
    service_eligibility_update,
)
from directory.services.listings import (
    EDITABLE_FIELDS,
    organisation_decide,
    organisation_register,
    service_capacity_set,
    service_confirm,
    service_mark_reviewed,
    service_update,
)
from directory.services.postcodes import postcodes_import

__all__ = [
    "EDITABLE_FIELDS",
    "ContactDetails",
    "OpeningTimes",
    "Place",
    "contact_add",
    "contact_remove",
    "contact_update",
    "location_add",
    "location_remove",
    "location_update",
    "organisation_decide",
    "organisation_register",
    "postcodes_import",
    "schedule_add",
    "schedule_remove",
    "schedule_update",
    "service_capacity_set",
    "service_confirm",
    "service_create",
    "service_eligibility_update",
    "service_mark_reviewed",
    "service_update",
]

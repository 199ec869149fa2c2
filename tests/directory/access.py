"""Access table for the directory's routes (tests/helpers/routes.py)."""

from tests.helpers.routes import Guarded

_EDITOR = "tests/directory/test_editor_views.py::test_another_organisations_editor_gets_404"
_EDITING = "tests/directory/test_listing_editing.py::test_another_organisations_editor_gets_404"
_NEW = (
    "tests/directory/test_listing_editing.py::"
    "test_new_service_is_404_for_another_organisation_and_403_without_the_role"
)

ACCESS = {
    "directory:my_listings": Guarded(other_org=None),
    "directory:organisation_register": Guarded(other_org=None),
    # The directory admins review every organisation's listings: nothing is scoped.
    "directory:review_queue": Guarded(other_org=None),
    "directory:service_mark_reviewed": Guarded(other_org=None),
    "directory:organisation_decide": Guarded(other_org=None),
    "directory:service_edit": Guarded(other_org=_EDITOR),
    "directory:service_confirm": Guarded(other_org=_EDITOR),
    "directory:service_capacity": Guarded(other_org=_EDITOR),
    "directory:service_capacity_quick": Guarded(other_org=_EDITOR),
    "directory:service_limit_quick": Guarded(other_org=_EDITOR, method="post"),
    "directory:service_history": Guarded(other_org=_EDITOR),
    "directory:service_manage": Guarded(other_org=_EDITING),
    "directory:service_new": Guarded(other_org=_NEW),
    "directory:service_eligibility": Guarded(other_org=_EDITING),
    "directory:location_add": Guarded(other_org=_EDITING),
    "directory:location_edit": Guarded(other_org=_EDITING),
    "directory:location_remove": Guarded(other_org=_EDITING),
    "directory:schedule_add": Guarded(other_org=_EDITING),
    "directory:schedule_edit": Guarded(other_org=_EDITING),
    "directory:schedule_remove": Guarded(other_org=_EDITING),
    "directory:contact_add": Guarded(other_org=_EDITING),
    "directory:contact_edit": Guarded(other_org=_EDITING),
    "directory:contact_remove": Guarded(other_org=_EDITING),
}

_ORUK = "Open Referral UK feed of published listings (public by the standard)"
PUBLIC = {
    "directory:search": "the public directory of services",
    "directory:service_detail": "a published service's public page",
    "directory:oruk_root": _ORUK,
    "directory:oruk_services": _ORUK,
    "directory:oruk_service": _ORUK,
    "directory:oruk_service_at_locations": _ORUK,
    "directory:oruk_service_at_location": _ORUK,
    "directory:oruk_taxonomies": _ORUK,
    "directory:oruk_taxonomy": _ORUK,
    "directory:oruk_taxonomy_terms": _ORUK,
    "directory:oruk_taxonomy_term": _ORUK,
}

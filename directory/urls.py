from django.urls import path

from directory import api
from directory.views import editing, listings, public, review

app_name = "directory"

urlpatterns = [
    path("directory/", public.search, name="search"),
    path("directory/services/<uuid:service_id>/", public.service_detail, name="service_detail"),
    path("directory/listings/", listings.my_listings, name="my_listings"),
    path(
        "directory/organisations/register/",
        listings.organisation_register,
        name="organisation_register",
    ),
    path("directory/review/", review.review_queue, name="review_queue"),
    path(
        "directory/review/listings/<uuid:service_id>/reviewed/",
        review.service_mark_reviewed,
        name="service_mark_reviewed",
    ),
    path(
        "directory/review/organisations/<uuid:organization_id>/",
        review.organisation_decide,
        name="organisation_decide",
    ),
    path("directory/listings/<uuid:service_id>/edit/", listings.service_edit, name="service_edit"),
    path(
        "directory/listings/<uuid:service_id>/confirm/",
        listings.service_confirm,
        name="service_confirm",
    ),
    path(
        "directory/listings/<uuid:service_id>/capacity/",
        listings.service_capacity,
        name="service_capacity",
    ),
    path(
        "directory/listings/<uuid:service_id>/capacity/quick/",
        listings.service_capacity_quick,
        name="service_capacity_quick",
    ),
    path(
        "directory/listings/<uuid:service_id>/capacity/limit/",
        listings.service_limit_quick,
        name="service_limit_quick",
    ),
    path(
        "directory/listings/<uuid:service_id>/history/",
        listings.service_history,
        name="service_history",
    ),
    path("directory/listings/<uuid:service_id>/", editing.service_manage, name="service_manage"),
    path(
        "directory/organisations/<uuid:organization_id>/services/new/",
        editing.service_new,
        name="service_new",
    ),
    path(
        "directory/listings/<uuid:service_id>/eligibility/",
        editing.service_eligibility,
        name="service_eligibility",
    ),
    path(
        "directory/listings/<uuid:service_id>/places/new/",
        editing.location_add,
        name="location_add",
    ),
    path(
        "directory/listings/<uuid:service_id>/places/<uuid:location_id>/",
        editing.location_edit,
        name="location_edit",
    ),
    path(
        "directory/listings/<uuid:service_id>/places/<uuid:location_id>/remove/",
        editing.location_remove,
        name="location_remove",
    ),
    path(
        "directory/listings/<uuid:service_id>/opening-times/new/",
        editing.schedule_add,
        name="schedule_add",
    ),
    path(
        "directory/listings/<uuid:service_id>/opening-times/<uuid:schedule_id>/",
        editing.schedule_edit,
        name="schedule_edit",
    ),
    path(
        "directory/listings/<uuid:service_id>/opening-times/<uuid:schedule_id>/remove/",
        editing.schedule_remove,
        name="schedule_remove",
    ),
    path(
        "directory/listings/<uuid:service_id>/contacts/new/",
        editing.contact_add,
        name="contact_add",
    ),
    path(
        "directory/listings/<uuid:service_id>/contacts/<uuid:contact_id>/",
        editing.contact_edit,
        name="contact_edit",
    ),
    path(
        "directory/listings/<uuid:service_id>/contacts/<uuid:contact_id>/remove/",
        editing.contact_remove,
        name="contact_remove",
    ),
    # Open Referral UK 3.0: the profile fixes these paths (no trailing slashes).
    path("oruk/", api.root, name="oruk_root"),
    path("oruk/services", api.service_list, name="oruk_services"),
    path("oruk/services/<uuid:service_id>", api.service_detail, name="oruk_service"),
    path(
        "oruk/service_at_locations",
        api.service_at_location_list,
        name="oruk_service_at_locations",
    ),
    path(
        "oruk/service_at_locations/<uuid:sal_id>",
        api.service_at_location_detail,
        name="oruk_service_at_location",
    ),
    path("oruk/taxonomies", api.taxonomy_list, name="oruk_taxonomies"),
    path("oruk/taxonomies/<uuid:taxonomy_id>", api.taxonomy_detail, name="oruk_taxonomy"),
    path("oruk/taxonomy_terms", api.taxonomy_term_list, name="oruk_taxonomy_terms"),
    path("oruk/taxonomy_terms/<uuid:term_id>", api.taxonomy_term_detail, name="oruk_taxonomy_term"),
]

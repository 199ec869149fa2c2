from django.urls import path

from directory import api, views

app_name = "directory"

urlpatterns = [
    path("directory/", views.search, name="search"),
    path("directory/services/<uuid:service_id>/", views.service_detail, name="service_detail"),
    path("directory/listings/", views.my_listings, name="my_listings"),
    path(
        "directory/organisations/register/",
        views.organisation_register,
        name="organisation_register",
    ),
    path("directory/review/", views.review_queue, name="review_queue"),
    path(
        "directory/review/listings/<uuid:service_id>/reviewed/",
        views.service_mark_reviewed,
        name="service_mark_reviewed",
    ),
    path(
        "directory/review/organisations/<uuid:organization_id>/",
        views.organisation_decide,
        name="organisation_decide",
    ),
    path("directory/listings/<uuid:service_id>/edit/", views.service_edit, name="service_edit"),
    path(
        "directory/listings/<uuid:service_id>/confirm/",
        views.service_confirm,
        name="service_confirm",
    ),
    path(
        "directory/listings/<uuid:service_id>/capacity/",
        views.service_capacity,
        name="service_capacity",
    ),
    path(
        "directory/listings/<uuid:service_id>/capacity/quick/",
        views.service_capacity_quick,
        name="service_capacity_quick",
    ),
    path(
        "directory/listings/<uuid:service_id>/history/",
        views.service_history,
        name="service_history",
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

from django.urls import path

from directory import api

app_name = "directory"

urlpatterns = [
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

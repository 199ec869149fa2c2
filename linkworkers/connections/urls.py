"""Routes for onward connections and the VCSE side of the loop (the connections work)."""

from django.urls import path

from linkworkers.connections import views

urlpatterns = [
    # The link worker, on a case.
    path("cases/<int:case_pk>/connections/", views.case_connections, name="case_connections"),
    path(
        "cases/<int:case_pk>/connections/find/",
        views.connection_choose,
        name="connection_choose",
    ),
    path(
        "cases/<int:case_pk>/connections/new/<uuid:service_id>/",
        views.connection_new,
        name="connection_new",
    ),
    path(
        "cases/<int:case_pk>/connections/<int:pk>/<slug:action>/",
        views.connection_act,
        name="connection_act",
    ),
    path("cases/<int:case_pk>/unmet-needs/new/", views.unmet_need_new, name="unmet_need_new"),
    # A service's track record, as a fragment the directory's service page can hx-get.
    path(
        "services/<uuid:service_id>/track-record/",
        views.track_record_fragment,
        name="service_track_record",
    ),
    # The receiving service's VCSE editors.
    path("service-connections/", views.vcse_connections, name="vcse_connections"),
    path("service-connections/<int:pk>/", views.vcse_connection, name="vcse_connection"),
    path(
        "service-connections/<int:pk>/<slug:action>/",
        views.vcse_connection_act,
        name="vcse_connection_act",
    ),
]

from django.urls import path

from socialrx.core.data_protection import views

urlpatterns = [
    path("data-protection/", views.overview, name="data_protection"),
    path(
        "data-protection/requests/new/",
        views.rights_request_new,
        name="data_protection_request_new",
    ),
    path(
        "data-protection/subject-access/",
        views.subject_access,
        name="data_protection_subject_access",
    ),
]

from django.apps import AppConfig


class InteropConfig(AppConfig):
    """The FHIR R4 face GP systems talk to: translates, and calls referrals and linkworkers."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "interop"

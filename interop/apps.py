from django.apps import AppConfig


class InteropConfig(AppConfig):
    """The FHIR face GP systems talk to: translates, and calls referrals and linkworkers."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "interop"
    verbose_name = "GP systems"

    def ready(self) -> None:
        from interop.tasks import on_referral_transition
        from socialrx.core.listeners import register_listener
        from socialrx.core.models import Role
        from socialrx.core.workspaces import register_workspace

        # First contact and closure produce the message back to the registered practice.
        register_listener("referral.transition", on_referral_transition)
        register_workspace(
            role=Role.REFERRER,
            title="Practice inbox",
            url_name="interop:inbox",
            description="Social prescribing messages back for your practice's registered "
            "patients, to file in the GP record.",
        )

from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "referrals"

    def ready(self) -> None:
        from referrals import retention
        from socialrx.core.models import Role
        from socialrx.core.workspaces import register_workspace

        retention.register()
        register_workspace(
            role=Role.REFERRER,
            title="Refer someone",
            url_name="referrals:create",
            description="Send a referral to social prescribing in a couple of minutes.",
        )
        register_workspace(
            role=Role.REFERRER,
            title="Your referrals",
            url_name="referrals:list",
            description="See what happened to the people your organisation referred.",
        )
        register_workspace(
            role=Role.TRIAGE_LEAD,
            title="Triage queue",
            url_name="referrals:triage",
            description="New referrals for your service, oldest first.",
        )

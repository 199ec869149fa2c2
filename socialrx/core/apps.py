from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "socialrx.core"
    label = "core"
    verbose_name = "People, organisations and audit"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from socialrx.core import signin
        from socialrx.core.data_protection.rules import register_core_rules
        from socialrx.core.middleware import mark_session_signed_in
        from socialrx.core.models import Role
        from socialrx.core.permissions import GOVERNANCE_ROLES

        signin.connect_receivers()
        user_logged_in.connect(mark_session_signed_in, dispatch_uid="socialrx-session-clocks")
        from socialrx.core.workspaces import register_workspace

        register_core_rules()
        for role in GOVERNANCE_ROLES:
            register_workspace(
                role=role,
                title="Data protection",
                url_name="data_protection",
                description=(
                    "The retention schedule and its runs, erasure and restriction "
                    "requests, and subject access exports."
                ),
            )

        register_workspace(
            role=Role.SYSTEM_ADMIN,
            title="Users, organisations and roles",
            url_name="admin:index",
            description="Add people, give them roles and manage organisations.",
        )
        register_workspace(
            role=Role.SYSTEM_ADMIN,
            title="Audit log",
            url_name="admin:core_auditevent_changelist",
            description="Search who viewed or changed which record, and when.",
        )

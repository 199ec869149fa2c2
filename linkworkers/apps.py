from django.apps import AppConfig


class LinkworkersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "linkworkers"

    def ready(self) -> None:
        from linkworkers import retention
        from linkworkers.connections.capacity import week_counts
        from referrals.models import Referral
        from socialrx.core.capacity import register_week_counts
        from socialrx.core.models import Role
        from socialrx.core.workspaces import register_waiting, register_workspace

        # The directory counts a service's weekly places through core, not this app.
        register_week_counts("linkworkers.connections", week_counts)
        retention.register()
        # A message to someone the worker was given did not reach them (Notify's receipt):
        # until their details change, the case page says which and how.
        register_waiting(
            role=Role.LINK_WORKER,
            label="{n} of your people did not get a message: contact them another way",
            url_name="linkworkers:caseload",
            count=lambda user: (
                Referral.objects.open()
                .filter(assigned_link_worker=user)
                .with_undelivered_message()
                .count()
            ),
        )
        register_workspace(
            role=Role.LINK_WORKER,
            title="My caseload",
            url_name="linkworkers:caseload",
            description="Your open cases and what needs doing next; open assigned referrals.",
        )
        register_workspace(
            role=Role.SERVICE_MANAGER,
            title="Team caseloads",
            url_name="linkworkers:team",
            description="Each link worker's open cases, overdue work and capacity.",
        )
        register_workspace(
            role=Role.VCSE_EDITOR,
            title="Connections to your services",
            url_name="linkworkers:vcse_connections",
            description="People link workers have connected to your services: accept or decline.",
        )

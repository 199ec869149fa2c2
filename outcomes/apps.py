from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "outcomes"
    verbose_name = "Outcomes and reports"

    def ready(self) -> None:
        from outcomes import retention
        from outcomes.digest import follow_ups_due_lines
        from outcomes.gp_summary import case_measure_summaries
        from socialrx.core.digest import register_digest_section
        from socialrx.core.measures import register_measure_provider
        from socialrx.core.models import Role
        from socialrx.core.workspaces import register_workspace

        for role in (Role.COMMISSIONER, Role.SERVICE_MANAGER):
            register_workspace(
                role=role,
                title="Reports",
                url_name="outcomes:dashboard",
                description="Activity, reach and equity, wellbeing change, voluntary sector "
                "demand and outcome payments, with CSV, Excel and PDF downloads.",
            )
            register_workspace(
                role=role,
                title="Report archive and subscriptions",
                url_name="outcomes:archive",
                description="Reports generated for you, and monthly or quarterly subscriptions.",
            )
            register_workspace(
                role=role,
                title="Gap map",
                url_name="outcomes:gap_map",
                description="Where need meets no service: demand against services "
                "accepting referrals, by postcode district and need.",
            )
        register_workspace(
            role=Role.VCSE_EDITOR,
            title="Needs near you",
            url_name="outcomes:needs",
            description="Referral reasons, unmet needs and capacity refusals in your areas "
            "and categories, month by month.",
        )
        register_workspace(
            role=Role.VCSE_EDITOR,
            title="Report archive and subscriptions",
            url_name="outcomes:archive",
            description="Needs near you, generated monthly or quarterly for you.",
        )
        for role in (Role.SERVICE_MANAGER, Role.SYSTEM_ADMIN):
            register_workspace(
                role=role,
                title="Referral data extract",
                url_name="outcomes:extract",
                description="Every referral as one row of a CSV file, pseudonymised, for "
                "your own analysis: your service's referrals, or the county's for "
                "system administrators.",
            )
        register_workspace(
            role=Role.COMMISSIONER,
            title="Payment evidence extract",
            url_name="outcomes:payment_evidence",
            description="The evidence for each outcome your tariffs pay for, pseudonymised, "
            "as a CSV file a payer can audit.",
        )
        register_digest_section("outcomes.follow_ups", follow_ups_due_lines)
        register_measure_provider(case_measure_summaries)
        retention.register()

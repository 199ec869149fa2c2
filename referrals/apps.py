from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "referrals"

    def ready(self) -> None:
        from referrals import codes, notifications, retention
        from referrals.permissions import referrals_made_by_organisations_of, triage_queue_for
        from socialrx.core.listeners import register_listener
        from socialrx.core.models import Role
        from socialrx.core.notification_receipts import NOTIFICATION_UNDELIVERABLE
        from socialrx.core.workspaces import (
            register_public_entry,
            register_waiting,
            register_workspace,
        )

        register_public_entry(
            title="Refer yourself",
            url_name="referrals:self_referral",
            description="Ask for a link worker to help you find support near you.",
        )
        # The triage team asked a question: the referral waits until the referrer answers.
        register_waiting(
            role=Role.REFERRER,
            label="{n} referral{s} waiting for your answer",
            url_name="referrals:list",
            query=f"?status={codes.Status.INFO_REQUESTED}",
            count=lambda user: (
                referrals_made_by_organisations_of(user)
                .filter(status=codes.Status.INFO_REQUESTED)
                .count()
            ),
        )

        # A message to someone waiting for triage did not reach them (Notify's receipt).
        register_waiting(
            role=Role.TRIAGE_LEAD,
            label="{n} referral{s} in your queue where a message did not reach the person",
            url_name="referrals:triage",
            count=lambda user: triage_queue_for(user).with_undelivered_message().count(),
        )

        retention.register()
        # A message to the person did not reach them: whoever works with them is told.
        register_listener(NOTIFICATION_UNDELIVERABLE, notifications.person_message_undeliverable)
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
            description="New referrals for your service, urgent first, then oldest.",
        )

"""Data migrations of the linkworkers app, run against today's models."""

import datetime
import importlib

from django.apps import apps
from django.utils import timezone

from linkworkers import codes
from linkworkers.models import ConnectionEvent
from tests.linkworkers.factories import ConnectionFactory

S = codes.ConnectionStatus
migration_0002 = importlib.import_module(
    "linkworkers.migrations.0002_connection_nudged_at_and_domain"
)


def test_nudged_at_is_carried_over_from_the_last_nudge_since_the_referral(db):
    # Given a connection nudged before it was sent again and once since, and one never nudged
    referred_at = timezone.now() - datetime.timedelta(days=8)
    nudged, never = (
        ConnectionFactory(status=S.REFERRED, consent_to_share=True, referred_at=referred_at)
        for _ in range(2)
    )
    for days_after in (-3, 5):
        ConnectionEvent.objects.create(
            connection=nudged,
            occurred_at=referred_at + datetime.timedelta(days=days_after),
            from_status=S.REFERRED,
            to_status=S.REFERRED,
        )

    # When the migration's data step runs
    migration_0002.nudged_at_from_events(apps, None)

    # Then only the nudge since the (last) referral counts
    nudged.refresh_from_db()
    never.refresh_from_db()
    assert nudged.nudged_at == referred_at + datetime.timedelta(days=5)
    assert never.nudged_at is None

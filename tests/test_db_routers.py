"""The read-replica router: reports read from the replica only when one is configured
and only inside replica_reads(); writes and migrations never go there."""

import os
import subprocess
import sys

import pytest

from referrals.models import Referral
from socialrx.db_routers import (
    REPLICA,
    ReplicaStatus,
    ReportReplicaRouter,
    replica_reads,
    replica_restore,
    replica_set_aside,
    replica_status,
)
from tests.helpers.replica import replica_not_answering

router = ReportReplicaRouter()


@pytest.fixture
def with_replica(settings):
    settings.DATABASES = {
        **settings.DATABASES,
        REPLICA: {"ENGINE": "django.db.backends.postgresql"},
    }


@pytest.mark.usefixtures("with_replica")
def test_reads_in_a_report_go_to_the_replica():
    with replica_reads():
        assert router.db_for_read(Referral) == REPLICA


@pytest.mark.usefixtures("with_replica")
def test_other_reads_and_all_writes_stay_on_the_primary():
    assert router.db_for_read(Referral) is None
    with replica_reads():
        assert router.db_for_write(Referral) is None


@pytest.mark.usefixtures("with_replica")
def test_the_block_ends_with_its_reads():
    with replica_reads():
        pass
    assert router.db_for_read(Referral) is None


def test_without_a_replica_reports_read_the_primary():
    with replica_reads():
        assert router.db_for_read(Referral) is None


def test_the_replica_is_never_migrated():
    assert router.allow_migrate(REPLICA, "referrals") is False
    assert router.allow_migrate("default", "referrals") is None


def _settings_with(**env: str) -> str:
    code = (
        "import socialrx.settings as s; "
        "print(getattr(s, 'DATABASE_ROUTERS', []), sorted(s.DATABASES), "
        "s.DATABASES.get('replica', {}).get('TEST'))"
    )
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"} | env
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_settings_add_the_replica_and_router_only_when_asked():
    assert _settings_with() == "[] ['default'] None"
    configured = _settings_with(DATABASE_REPLICA_URL="postgres://u:p@replica:5432/socialrx")
    assert configured == (
        "['socialrx.db_routers.ReportReplicaRouter'] ['default', 'replica'] {'MIRROR': 'default'}"
    )


def test_a_replica_set_aside_sends_report_reads_to_the_primary(settings, with_replica):
    # Given a replica that failed a moment ago
    settings.DATABASE_REPLICA_RETRY_SECONDS = 30
    replica_set_aside()
    try:
        # Then reports read the primary, until the replica is in use again
        with replica_reads():
            assert router.db_for_read(Referral) is None
        replica_restore()
        with replica_reads():
            assert router.db_for_read(Referral) == REPLICA
    finally:
        replica_restore()


@pytest.mark.django_db
def test_a_replica_not_answering_is_set_aside_and_said_so(settings):
    with replica_not_answering(settings):
        # When a report page asks the replica how far behind it is
        status = replica_status()

        # Then the answer says the figures are the primary's, and reports read there
        assert status == ReplicaStatus(from_replica=False)
        with replica_reads():
            assert router.db_for_read(Referral) is None


def test_without_a_replica_there_is_no_status():
    assert replica_status() is None

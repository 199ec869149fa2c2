import pytest

from tests.linkworkers.factories import CaseFactory


@pytest.fixture
def case(link_worker, link_worker_team, referrer):
    """An open case of the test team, referred by the test GP."""
    return CaseFactory(team=link_worker_team, link_worker=link_worker, referral__referrer=referrer)

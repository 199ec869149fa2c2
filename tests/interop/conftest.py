import pytest

from tests.referrals.factories import TriageRouteFactory


@pytest.fixture
def route(practice, link_worker_service, link_worker_team):
    """The test practice is triaged by the test service, whose team is the test team."""
    return TriageRouteFactory(
        practice=practice, service=link_worker_service, default_team=link_worker_team
    )

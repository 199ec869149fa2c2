import datetime

import pytest
from django.utils import timezone

from referrals.models import Referral
from tests.linkworkers.factories import CaseFactory
from tests.referrals.factories import TriageRouteFactory


@pytest.fixture
def route(practice, link_worker_service, link_worker_team):
    """The test practice is triaged by the test service, whose team is the test team."""
    return TriageRouteFactory(
        practice=practice, service=link_worker_service, default_team=link_worker_team
    )


@pytest.fixture
def case(link_worker, link_worker_team, referrer, practice, link_worker_service):
    """An open case of the test team, referred by the test GP's practice."""
    case = CaseFactory(
        team=link_worker_team,
        link_worker=link_worker,
        referral__referrer=referrer,
        referral__referring_organisation=practice,
        referral__triage_service=link_worker_service,
    )
    # Referred five days ago, so contacts made since are after the referral.
    Referral.objects.filter(pk=case.referral_id).update(
        created_at=timezone.now() - datetime.timedelta(days=5)
    )
    case.referral.refresh_from_db()
    return case

import datetime

import pytest
from django.utils import timezone

from referrals.models import Referral
from tests.linkworkers.factories import CaseFactory


@pytest.fixture
def case(link_worker, link_worker_team, referrer, link_worker_service):
    """An open case of the test team, referred by the test GP five days ago."""
    case = CaseFactory(
        team=link_worker_team,
        link_worker=link_worker,
        referral__referrer=referrer,
        referral__triage_service=link_worker_service,
        opened_at=timezone.now() - datetime.timedelta(days=3),
    )
    Referral.objects.filter(pk=case.referral_id).update(
        created_at=timezone.now() - datetime.timedelta(days=5)
    )
    case.referral.refresh_from_db()
    return case


@pytest.fixture
def other_team_worker(db):
    """A link worker of another team: must get 404 for every case of ours."""
    from socialrx.core.models import OrganisationType, Role
    from tests.factories import OrganisationFactory, user_with_role

    team = OrganisationFactory(org_type=OrganisationType.LINK_WORKER_TEAM)
    return user_with_role(Role.LINK_WORKER, team)

import datetime

import pytest
from django.utils import timezone

from referrals import codes
from referrals.services import PersonInput, ReferralInput
from tests.referrals.factories import TriageRouteFactory


@pytest.fixture
def route(practice, link_worker_service, link_worker_team):
    """The test practice is triaged by the test service, whose team is the test team."""
    return TriageRouteFactory(
        practice=practice, service=link_worker_service, default_team=link_worker_team
    )


@pytest.fixture
def default_route(link_worker_service):
    return TriageRouteFactory(practice=None, is_default=True, service=link_worker_service)


def referral_input(practice=None, **overrides) -> ReferralInput:
    person = PersonInput(
        given_name="Ada",
        family_name="Lane",
        date_of_birth=datetime.date(1948, 3, 2),
        nhs_number="999 000 0018",
        postcode="nn1 1aa",
        email="ada.lane@person.example",
        registered_practice_id=practice.pk if practice else None,
    )
    values = {
        "person": person,
        "reasons": (codes.Reason.LONELINESS, codes.Reason.BEREAVEMENT),
        "consent_to_referral": True,
        "consent_to_share": True,
        "consent_recorded_on": timezone.localdate(),
        "consent_recorded_by": "Dr Test",
        "source": codes.ReferralSource.GP,
        "what_matters": "Seeing people again since my husband died.",
        "contact_consent": True,
    }
    values.update(overrides)
    return ReferralInput(**values)


@pytest.fixture
def make_input():
    return referral_input

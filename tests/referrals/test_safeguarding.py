"""A safeguarding concern written by the referrer reaches everyone who acts on the
referral: the triage lead deciding it and the link worker who meets the person (hazard
H06 in docs/clinical-safety/hazard-log.md)."""

import pytest
from django.urls import reverse

from tests.linkworkers.factories import CaseFactory
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db

CONCERN = "Lives with a partner who has been violent; do not leave voicemails."
RISK = "Dog in the house; visit in pairs."


def test_the_triage_lead_sees_the_concern_before_deciding(
    client, triage_lead, referrer, link_worker_service
):
    referral = ReferralFactory(
        referrer=referrer,
        triage_service=link_worker_service,
        safeguarding_concerns=CONCERN,
        lone_working_risks=RISK,
    )
    client.force_login(triage_lead)

    response = client.get(reverse("referrals:triage_detail", args=[referral.pk]))

    assert response.status_code == 200
    assert CONCERN in response.text
    assert RISK in response.text


def test_the_link_worker_sees_the_concern_on_the_case(client, link_worker, link_worker_team):
    case = CaseFactory(
        team=link_worker_team,
        link_worker=link_worker,
        referral__safeguarding_concerns=CONCERN,
        referral__lone_working_risks=RISK,
    )
    client.force_login(link_worker)

    response = client.get(reverse("linkworkers:case", args=[case.pk]))

    assert response.status_code == 200
    assert CONCERN in response.text
    assert RISK in response.text

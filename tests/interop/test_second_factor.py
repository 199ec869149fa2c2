"""The sign-in's second factor and the GP systems' face. GP systems authenticate with OAuth
2.0 client credentials (no session, and a service user that cannot sign in), so the rule
that a signed-in session needs a second factor never stands in their way; a session signed
in with a password only reaches neither FHIR records nor the launch from the GP record."""

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from interop.services import system_client_register
from referrals.models import Referral
from referrals.views import PREFILL_SESSION_KEY
from tests.helpers.interop import (
    PATIENT,
    SECRET,
    SERVICE_REQUEST,
    launch_link,
)
from tests.referrals.factories import ReferralFactory

pytestmark = [pytest.mark.django_db, pytest.mark.password_only]
SCOPES = "servicerequest.write servicerequest.read"


def test_a_gp_systems_token_is_not_asked_for_a_second_factor(practice, route):
    credentials = system_client_register(name="EMIS Web", practice=practice)
    assert not Authenticator.objects.filter(user=credentials.client.service_user).exists()
    client = Client()
    token = client.post(
        "/oauth/token/",
        {
            "grant_type": "client_credentials",
            "client_id": credentials.client_id,
            "client_secret": credentials.client_secret,
            "scope": SCOPES,
        },
    ).json()["access_token"]
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    sent = client.post(
        "/fhir/ServiceRequest",
        {**SERVICE_REQUEST, "contained": [PATIENT], "supportingInfo": []},
        content_type="application/fhir+json",
        **bearer,
    )
    found = client.get("/fhir/ServiceRequest", **bearer)

    assert sent.status_code == 201, sent.content
    assert found.status_code == 200
    assert found.json()["total"] == 1 == Referral.objects.count()


def test_a_session_without_a_second_factor_reads_no_fhir_record(client, referrer, practice):
    referral = ReferralFactory(referrer=referrer, referring_organisation=practice)
    client.force_login(referrer)  # password_only: the password step, no second factor

    for path in ("/fhir/ServiceRequest", f"/fhir/ServiceRequest/{referral.uuid}"):
        response = client.get(path, HTTP_ACCEPT="application/fhir+json")
        assert response.status_code == 403
        assert response.json()["message"].startswith("Set up a second way to prove it is you")
        assert referral.person.family_name not in response.content.decode()


def test_a_launch_without_a_second_factor_goes_to_set_one_up_and_prefills_nothing(
    client, referrer, practice
):
    from interop.models import PracticeIntegration

    PracticeIntegration.objects.create(practice=practice, launch_secret=SECRET)
    client.force_login(referrer)

    response = client.get(launch_link())

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert PREFILL_SESSION_KEY not in client.session

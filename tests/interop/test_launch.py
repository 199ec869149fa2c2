"""Launching a referral from the GP record: a signed, fresh link pre-fills the form; a
bad, expired or foreign one is refused with a clear page and nothing pre-filled."""

import time

import pytest
from django.urls import reverse

from interop.launch import encode_context, sign
from interop.models import PracticeIntegration

pytestmark = pytest.mark.django_db
SECRET = "s3cret-for-tests-only-0123456789abcdef"
CONTEXT = {
    "nhs_number": "9990000018",
    "given_name": "Ada",
    "family_name": "Lane",
    "birth_date": "1948-03-02",
    "address": "1 Test Street, Northshire",
    "postcode": "NN1 1AA",
    "clinician": "Dr Ngozi Okafor",
}


@pytest.fixture
def integration(practice):
    return PracticeIntegration.objects.create(practice=practice, launch_secret=SECRET)


def _link(context=None, *, secret=SECRET, practice="Y99001", issued=None):
    ctx = encode_context({**(context or CONTEXT), "iat": issued or int(time.time())})
    query = f"practice={practice}&ctx={ctx}&sig={sign(secret, ctx)}"
    return f"{reverse('interop:gp_launch')}?{query}"


def test_a_signed_link_prefills_the_referral_form_once(client, referrer, integration, practice):
    client.force_login(referrer)
    response = client.get(_link(), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("referrals:create")
    assert 'value="Ada"' in page
    assert 'value="9990000018"' in page
    assert "Dr Ngozi Okafor" in page
    # Once only: opening the form again starts empty.
    assert 'value="Ada"' not in client.get(reverse("referrals:create")).content.decode()


@pytest.mark.parametrize(
    ("make_link", "reason"),
    [
        (lambda: _link(secret="wrong-secret-wrong-secret-wrong-secret"), "signature"),
        (lambda: _link(issued=int(time.time()) - 3600), "expired"),
        (lambda: _link(issued=int(time.time()) + 3600), "expired"),
        (lambda: _link(practice="Y00000"), "not set up"),
        (lambda: _link().replace("ctx=", "ctx=x"), "signature"),
        (lambda: reverse("interop:gp_launch"), "incomplete"),
    ],
)
def test_bad_links_are_refused_and_nothing_is_prefilled(
    client, referrer, integration, make_link, reason
):
    client.force_login(referrer)
    response = client.get(make_link())
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert 'value="Ada"' not in client.get(reverse("referrals:create")).content.decode()


def test_a_link_for_another_practice_is_refused(client, other_org_user, integration):
    client.force_login(other_org_user)
    response = client.get(_link())
    assert response.status_code == 400
    assert "do not refer for" in response.content.decode()


def test_only_referrers_may_launch(client, link_worker, integration):
    client.force_login(link_worker)
    assert client.get(_link()).status_code == 403

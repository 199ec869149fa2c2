"""Launching a referral from the GP record: a signed, fresh link pre-fills the form; a
bad, expired or foreign one is refused with a clear page and nothing pre-filled."""

import time

import pytest
from django.urls import reverse

from interop.models import PracticeIntegration
from tests.helpers.interop import (
    SECRET,
    launch_link,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def integration(practice):
    return PracticeIntegration.objects.create(practice=practice, launch_secret=SECRET)


def test_a_signed_link_prefills_the_referral_form_once(client, referrer, integration, practice):
    client.force_login(referrer)
    response = client.get(launch_link(), follow=True)
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
        (lambda: launch_link(secret="wrong-secret-wrong-secret-wrong-secret"), "signature"),
        (lambda: launch_link(issued=int(time.time()) - 3600), "expired"),
        (lambda: launch_link(issued=int(time.time()) + 3600), "expired"),
        (lambda: launch_link(practice="Y00000"), "not set up"),
        (lambda: launch_link().replace("ctx=", "ctx=x"), "signature"),
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
    response = client.get(launch_link())
    assert response.status_code == 400
    assert "do not refer for" in response.content.decode()


def test_only_referrers_may_launch(client, link_worker, integration):
    client.force_login(link_worker)
    assert client.get(launch_link()).status_code == 403

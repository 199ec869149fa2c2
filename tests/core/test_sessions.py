"""Signed-in sessions: the idle and absolute limits, the warning's endpoints and markup,
and ``Cache-Control: no-store`` on everything a signed-in user is sent."""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from socialrx.core.api_tokens.services import api_token_issue
from socialrx.core.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from socialrx.core.models import AuditAction, AuditEvent
from tests.core.pages import SIGNED_IN_ONLY
from tests.helpers.html import parse

pytestmark = pytest.mark.django_db


def age_session(client, **seconds_ago: float) -> None:
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[{"signed_in": SIGNED_IN_AT, "last_seen": LAST_SEEN_AT}[key]] = now - ago
    session.save()


def test_a_session_idle_past_the_limit_is_signed_out_with_the_reason(client, referrer, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    client.force_login(referrer)
    age_session(client, last_seen=30 * 60 + 1)

    response = client.get(reverse("home"), follow=True)

    assert response.redirect_chain[0][0].startswith(reverse("login"))
    page = response.content.decode()
    assert "had not used the service for 30 minutes" in page
    assert client.get(reverse(SIGNED_IN_ONLY)).status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.LOGOUT)
    assert (event.actor, event.detail) == (referrer, {"reason": "session timed out"})


def test_a_session_in_use_is_not_signed_out(client, referrer):
    client.force_login(referrer)
    age_session(client, last_seen=29 * 60)

    assert client.get(reverse(SIGNED_IN_ONLY)).status_code == 200
    # ... and that request counted as activity
    assert time.time() - client.session[LAST_SEEN_AT] < 5


def test_a_busy_session_ends_at_the_absolute_limit(client, referrer, settings):
    settings.SESSION_COOKIE_AGE = 10 * 60 * 60
    client.force_login(referrer)
    age_session(client, signed_in=10 * 60 * 60 + 1, last_seen=1)

    assert client.get(reverse(SIGNED_IN_ONLY)).status_code == 302


def test_htmx_and_api_requests_of_an_ended_session_are_told_plainly(client, referrer):
    client.force_login(referrer)
    age_session(client, last_seen=10 * 60 * 60)

    htmx = client.get(reverse("referrals:list"), HTTP_HX_REQUEST="true")

    assert htmx["HX-Redirect"].startswith(reverse("login"))
    client.force_login(referrer)
    age_session(client, last_seen=10 * 60 * 60)
    api = client.get(reverse("api_me"))
    assert api.status_code == 401
    assert "signed out" in api.json()["message"]


def test_the_status_check_does_not_count_as_activity_but_stay_signed_in_does(client, referrer):
    client.force_login(referrer)
    age_session(client, last_seen=25 * 60)

    status = client.get(reverse("session_status"))
    assert 4 * 60 < status.json()["seconds_left"] <= 5 * 60

    stay = client.post(reverse("session_keep_alive"))
    assert stay.json()["seconds_left"] > 29 * 60
    assert client.get(reverse("session_status")).json()["seconds_left"] > 29 * 60


def test_the_status_check_of_an_ended_session_is_401(client, referrer):
    client.force_login(referrer)
    age_session(client, last_seen=31 * 60)

    response = client.get(reverse("session_status"), HTTP_ACCEPT="application/json")

    assert response.status_code == 401


def test_signed_in_pages_carry_the_accessible_timeout_warning(client, referrer, settings):
    settings.SESSION_IDLE_TIMEOUT = 1800
    settings.SESSION_IDLE_WARNING = 120
    client.force_login(referrer)

    page = parse(client.get(reverse("home")).content.decode())

    dialog = page.one("dialog", id="session-timeout")
    assert dialog.attrs["aria-labelledby"] == "session-timeout-heading"
    assert page.by_id("session-timeout-heading").text == "You'll be signed out in 2 minutes"
    assert dialog.attrs["data-idle-seconds"] == "1800"
    assert dialog.one("button", type="button").text == "Stay signed in"
    assert page.one("script", src="/static/js/session-timeout.js")


def test_signed_out_pages_have_no_timeout_warning(client):
    page = parse(client.get(reverse("login")).content.decode())

    assert not page.find_all("dialog")


# Cache-Control: no-store.


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_every_signed_in_response_is_no_store(client, referrer, link_worker):
    client.force_login(referrer)

    assert no_store(client.get(reverse("home")))
    assert no_store(client.get(reverse("referrals:list")))
    assert no_store(client.get(reverse("referrals:list"), HTTP_HX_REQUEST="true"))
    assert no_store(client.get(reverse("api_me")))


def test_a_signed_in_page_carries_django_s_never_cache_headers_whole(client, referrer):
    client.force_login(referrer)

    response = client.get(reverse("home"))

    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert parsedate_to_datetime(response["Expires"]) <= timezone.now()


def test_downloads_are_no_store(client, service_manager):
    client.force_login(service_manager)

    response = client.get(reverse("outcomes:extract_csv"))

    assert response.status_code == 200
    assert no_store(response)


def test_the_records_extract_asks_a_stale_session_to_reauthenticate(
    client, service_manager, settings
):
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0
    client.force_login(service_manager)

    response = client.get(reverse("outcomes:extract_csv"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_api_calls_with_a_token_are_no_store(client, referrer):
    issued = api_token_issue(user=referrer, name="test", actor=referrer)

    response = client.get(reverse("api_me"), HTTP_AUTHORIZATION=f"Bearer {issued.secret}")

    assert response.status_code == 200
    assert no_store(response)

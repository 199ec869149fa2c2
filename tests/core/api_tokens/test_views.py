"""The owner's token pages and the administrator's revoke action, as people use them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from socialrx.core.api_tokens.models import ApiToken, RevocationReason
from socialrx.core.api_tokens.services import api_token_issue, token_digest
from socialrx.core.models import AuditAction, AuditEvent, User
from tests.helpers.html import parse

LIST = reverse("api_tokens")
NEW = reverse("api_token_new")


def _revoke_url(token: ApiToken) -> str:
    return reverse("api_token_revoke", args=[token.pk])


def _api_status(secret: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client.get("/api/v1/me/").status_code


@pytest.mark.django_db
@pytest.mark.parametrize("url", [LIST, NEW, "/accounts/api-tokens/1/revoke/"])
def test_the_pages_ask_anonymous_visitors_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_creating_a_token_shows_its_secret_once(client, referrer):
    client.force_login(referrer)

    # When the user names a new token
    response = client.post(NEW, {"name": "Practice system"})

    # Then the page shows the secret, kept by no cache, and it works against the API
    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]
    secret = parse(response.content.decode()).by_id("api-token-secret").attrs["value"]
    token = ApiToken.objects.get(user=referrer)
    assert token.digest == token_digest(secret)
    assert _api_status(secret) == 200
    # And never again: the list shows the name and prefix only
    listing = client.get(LIST).content.decode()
    assert "Practice system" in listing
    assert token.prefix in listing
    assert secret not in listing
    # And the issue is audited with the owner as actor
    event = AuditEvent.objects.get(action=AuditAction.TOKEN_ISSUED)
    assert (event.actor, event.object_id) == (referrer, str(token.pk))


@pytest.mark.django_db
def test_a_token_needs_a_name(client, referrer):
    client.force_login(referrer)

    response = client.post(NEW, {"name": "  "})

    assert response.status_code == 200
    page = parse(response.content.decode())
    assert page.one("head").one("title").text.startswith("Error: ")
    assert "Enter a name for the token" in page.one("div", "nhsuk-error-summary").text
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_the_list_shows_each_token_with_its_state(client, referrer):
    active = api_token_issue(user=referrer, name="Live one", actor=referrer).token
    revoked = api_token_issue(user=referrer, name="Old one", actor=referrer).token
    client.force_login(referrer)
    client.post(_revoke_url(revoked))

    page = parse(client.get(LIST).content.decode())

    rows = {
        row.find_all("td")[0].text: row.find_all("td") for row in page.one("tbody").find_all("tr")
    }
    assert rows["Live one"][5].text == "Active"
    assert rows["Live one"][3].text == "Never"
    assert rows["Live one"][6].one("a").attrs["href"] == _revoke_url(active)
    assert rows["Old one"][5].text == "Revoked by its owner"
    assert rows["Old one"][6].find_all("a") == []


@pytest.mark.django_db
def test_the_owner_revokes_a_token_after_confirming(client, referrer):
    issued = api_token_issue(user=referrer, name="Practice system", actor=referrer)
    client.force_login(referrer)

    confirm = parse(client.get(_revoke_url(issued.token)).content.decode())
    assert confirm.one("h1").text == "Revoke token 'Practice system'?"
    assert _api_status(issued.secret) == 200  # looking at the question revokes nothing

    response = client.post(_revoke_url(issued.token), follow=True)

    assert response.redirect_chain[-1][0] == LIST
    banner = parse(response.content.decode()).one("p", "nhsuk-notification-banner__heading")
    assert banner.text == "Token 'Practice system' revoked. It no longer works."
    assert _api_status(issued.secret) == 401
    event = AuditEvent.objects.get(action=AuditAction.TOKEN_REVOKED)
    assert (event.actor, event.detail["reason"]) == (referrer, "owner")


@pytest.mark.django_db
def test_another_user_cannot_see_or_revoke_your_token(client, referrer, other_org_user):
    issued = api_token_issue(user=referrer, name="Practice system", actor=referrer)
    client.force_login(other_org_user)

    assert "Practice system" not in client.get(LIST).content.decode()
    assert client.get(_revoke_url(issued.token)).status_code == 404
    assert client.post(_revoke_url(issued.token)).status_code == 404
    assert _api_status(issued.secret) == 200


@pytest.mark.django_db
def test_revoking_needs_the_csrf_token(referrer):
    issued = api_token_issue(user=referrer, name="Practice system", actor=referrer)
    client = Client(enforce_csrf_checks=True)
    client.force_login(referrer)

    assert client.post(_revoke_url(issued.token)).status_code == 403
    assert client.post(NEW, {"name": "Sneaky"}).status_code == 403
    assert _api_status(issued.secret) == 200
    assert ApiToken.objects.count() == 1


@pytest.mark.django_db
def test_the_list_page_costs_the_same_queries_for_many_tokens(
    client, referrer, django_assert_num_queries
):
    for n in range(5):
        api_token_issue(user=referrer, name=f"System {n}", actor=referrer)
    client.force_login(referrer)
    client.get(LIST)  # the session is cached from here on

    # 1 the user with their roles (the backend's one query), 2 the tokens with their owner
    with django_assert_num_queries(2):
        assert client.get(LIST).status_code == 200


@pytest.fixture
def admin_client_for(db):
    admin = User.objects.create_superuser("root@test.example", "x", full_name="Root Admin")
    client = Client()
    client.force_login(admin)
    return client, admin


@pytest.mark.django_db
def test_a_system_administrator_revokes_anyones_tokens_in_the_admin(admin_client_for, referrer):
    client, admin = admin_client_for
    issued = api_token_issue(user=referrer, name="Practice system", actor=referrer)

    changelist = client.get(reverse("admin:core_apitoken_changelist")).content.decode()
    assert "Practice system" in changelist
    assert issued.token.digest not in changelist
    response = client.post(
        reverse("admin:core_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [issued.token.pk]},
    )

    assert response.status_code == 302
    assert _api_status(issued.secret) == 401
    issued.token.refresh_from_db()
    assert (issued.token.revoked_reason, issued.token.revoked_by) == ("administrator", admin)
    event = AuditEvent.objects.get(action=AuditAction.TOKEN_REVOKED)
    assert (event.actor, event.detail["reason"]) == (admin, "administrator")


@pytest.mark.django_db
def test_deactivating_a_user_in_the_admin_revokes_their_tokens(admin_client_for, referrer):
    client, admin = admin_client_for
    issued = api_token_issue(user=referrer, name="Practice system", actor=referrer)
    url = reverse("admin:core_user_change", args=[referrer.pk])
    form = {
        "email": referrer.email,
        "full_name": referrer.full_name,
        "is_staff": "",
        "is_active": "",  # unticked
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }

    response = client.post(url, form)

    assert response.status_code == 302, response.content.decode()[:2000]
    issued.token.refresh_from_db()
    assert (issued.token.revoked_reason, issued.token.revoked_by) == ("deactivated", admin)
    assert _api_status(issued.secret) == 401


@pytest.mark.django_db
def test_changing_a_password_in_the_admin_revokes_the_users_tokens(admin_client_for, referrer):
    client, _ = admin_client_for
    issued = api_token_issue(user=referrer, name="Practice system", actor=referrer)
    password = "a much longer passphrase 42"

    response = client.post(
        reverse("admin:auth_user_password_change", args=[referrer.pk]),
        {"password1": password, "password2": password, "usable_password": "true"},
    )

    assert response.status_code == 302
    issued.token.refresh_from_db()
    assert issued.token.revoked_reason == RevocationReason.PASSWORD_CHANGED
    event = AuditEvent.objects.get(action=AuditAction.TOKEN_REVOKED)
    assert (event.actor, event.detail["reason"]) == (None, "password_changed")

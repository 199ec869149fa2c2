"""Accounts an administrator makes: the person chooses their own password from a link
that works once and for a few hours (ASVS V6.4.1; socialrx.core.account_setup)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from socialrx.core.account_setup import KIND
from socialrx.core.models import AuditAction, AuditEvent, Notification, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long passphrase nobody typed for me 7"


@pytest.fixture
def admin_client(system_admin):
    system_admin.is_staff = system_admin.is_superuser = True
    system_admin.save()
    client = Client()
    client.force_login(system_admin)
    return client


def _add_user(client: Client, email: str, name: str):
    # The memberships inline's management form: no memberships added here.
    inline = {"memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"}
    return client.post(
        reverse("admin:core_user_add"), {"email": email, "full_name": name, **inline}
    )


def _link_in(notification: Notification) -> str:
    """The link's path on this site (the test client has no host to visit)."""
    [link] = re.findall(r"https?://\S+", notification.body_text)
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def _choose_password(client: Client, link: str, password: str = NEW_PASSWORD):
    page = client.get(link, follow=True)
    return client.post(
        page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )


def test_the_add_user_form_asks_for_no_password(admin_client):
    page = admin_client.get(reverse("admin:core_user_add")).content.decode()

    assert 'name="email"' in page
    assert 'name="full_name"' in page
    assert "password1" not in page
    assert "We will email this person a link to choose their password" in page


def test_a_new_account_has_no_working_password_and_its_owner_chooses_one(
    admin_client, system_admin
):
    response = _add_user(admin_client, "new.nurse@test.example", "Ann")

    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="new.nurse@test.example")
    assert not user.has_usable_password()
    [email] = Notification.objects.filter(kind=KIND)
    assert (email.to_email, email.recipient) == ("new.nurse@test.example", user)
    assert "expires in 3 hours" in email.body_text
    sent = AuditEvent.objects.get(action=AuditAction.UPDATE, detail__sent=KIND)
    assert (sent.actor, sent.object_id) == (system_admin, str(user.pk))

    owner = Client()
    chosen = _choose_password(owner, _link_in(email))

    assert chosen.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_the_link_works_once(admin_client):
    _add_user(admin_client, "new.gp@test.example", "Bo")
    link = _link_in(Notification.objects.get(kind=KIND))
    _choose_password(Client(), link)

    again = Client().get(link, follow=True)

    assert again.context["validlink"] is False
    user = User.objects.get(email="new.gp@test.example")
    assert user.check_password(NEW_PASSWORD)


def test_an_expired_link_is_refused(admin_client, settings):
    _add_user(admin_client, "late@test.example", "Cy")
    link = _link_in(Notification.objects.get(kind=KIND))
    # Any link older than the timeout: here every link is.
    settings.PASSWORD_RESET_TIMEOUT = -1

    page = Client().get(link, follow=True)

    assert page.context["validlink"] is False
    assert not User.objects.get(email="late@test.example").has_usable_password()


def test_the_action_sends_a_new_link_to_active_users_only(admin_client):
    active = UserFactory(email="active@test.example")
    inactive = UserFactory(email="gone@test.example", is_active=False)

    response = admin_client.post(
        reverse("admin:core_user_changelist"),
        {"action": "send_set_password_link", "_selected_action": [active.pk, inactive.pk]},
        follow=True,
    )

    assert [n.to_email for n in Notification.objects.filter(kind=KIND)] == ["active@test.example"]
    text = response.content.decode()
    assert "Set-password link sent to 1 user(s)." in text
    assert "Not sent to 1 inactive user(s)" in text


def test_only_a_system_administrator_sends_links(client, referrer):
    staff = UserFactory(is_staff=True, is_superuser=False)
    staff.user_permissions.add(*_user_admin_permissions())
    client.force_login(staff)

    response = client.post(
        reverse("admin:core_user_changelist"),
        {"action": "send_set_password_link", "_selected_action": [referrer.pk]},
        follow=True,
    )

    assert "Only a system administrator can do this." in response.content.decode()
    assert not Notification.objects.filter(kind=KIND).exists()


def _user_admin_permissions():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="core", codename__endswith="_user")

"""Throttling and lockout on every way in: the password (per account and per address),
the admin's sign-in, the second-factor code and password reset; unlocking."""

from __future__ import annotations

import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from socialrx.core.models import AuditAction, AuditEvent, User
from socialrx.core.signin import totp_code, totp_enrol
from tests.core.pages import SIGNED_IN_ONLY
from tests.factories import TEST_PASSWORD
from tests.helpers.signin import SECRET, enter_code, sign_in, signed_in_with_code

pytestmark = [pytest.mark.django_db, pytest.mark.password_only]

LOCKED = "too many attempts to sign in"


def fail_sign_in(client: Client, email: str, times: int, **extra: str) -> None:
    for _ in range(times):
        response = client.post(reverse("login"), {"login": email, "password": "wrong", **extra})
        assert response.status_code == 200


@pytest.fixture
def limits(settings):
    settings.SIGNIN_FAILURE_LIMIT = 5
    settings.SIGNIN_LOCKOUT_MINUTES = 15
    return settings


def test_an_account_locks_after_five_failures_and_says_when_to_try_again(client, referrer):
    fail_sign_in(client, referrer.email, 5)

    # The right password is refused too while the lock lasts
    response = sign_in(client, referrer)

    page = response.content.decode()
    assert response.status_code == 200
    assert LOCKED in page
    assert "try again in 15 minutes" in page
    assert client.get(reverse(SIGNED_IN_ONLY)).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 5
    lockout = AuditEvent.objects.get(action=AuditAction.LOCKOUT)
    assert lockout.actor == referrer
    assert lockout.detail == {"step": "password"}


def test_the_lock_is_per_account_whatever_the_address(referrer, link_worker):
    # Five failures from five different addresses still lock the account
    for number in range(5):
        Client(REMOTE_ADDR=f"192.0.2.{number}").post(
            reverse("login"), {"login": referrer.email, "password": "wrong"}
        )

    locked = sign_in(Client(REMOTE_ADDR="192.0.2.99"), referrer)
    other_account = sign_in(Client(REMOTE_ADDR="192.0.2.99"), link_worker)

    assert LOCKED in locked.content.decode()
    assert other_account.status_code == 302  # another account from there is unaffected


def test_an_address_is_throttled_across_accounts(settings, referrer):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/15m/ip"}
    client = Client(REMOTE_ADDR="198.51.100.7")
    for number in range(3):
        client.post(reverse("login"), {"login": f"guess{number}@test.example", "password": "x"})

    response = sign_in(client, referrer)

    assert LOCKED in response.content.decode()
    assert sign_in(Client(REMOTE_ADDR="198.51.100.8"), referrer).status_code == 302


def test_the_lock_says_nothing_about_whether_the_account_exists(client, referrer):
    fail_sign_in(client, referrer.email, 6)
    known = sign_in(client, referrer).content.decode()
    fail_sign_in(Client(), "nobody-here@test.example", 6)
    unknown = (
        Client()
        .post(reverse("login"), {"login": "nobody-here@test.example", "password": "wrong"})
        .content.decode()
    )

    def message(page: str) -> str:
        start = page.index("There have been too many")
        return page[start : page.index("</", start)]

    assert message(known) == message(unknown)


def test_the_lock_ends_after_the_set_time(client, referrer, monkeypatch):
    fail_sign_in(client, referrer.email, 5)
    assert LOCKED in sign_in(client, referrer).content.decode()

    # 14 minutes later: still locked. 15 minutes after the failures: signed in.
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 14 * 60)
    assert LOCKED in sign_in(client, referrer).content.decode()
    monkeypatch.setattr(time, "time", lambda: now + 15 * 60 + 1)
    assert sign_in(client, referrer).status_code == 302


def test_an_administrator_unlocks_an_account(client, referrer, system_admin):
    fail_sign_in(client, referrer.email, 5)
    system_admin.is_staff = system_admin.is_superuser = True
    system_admin.save()
    admin_client = signed_in_with_code(system_admin)

    response = admin_client.post(
        reverse("admin:core_user_changelist"),
        {"action": "unlock_sign_in", "_selected_action": [referrer.pk]},
    )

    assert response.status_code == 302
    assert sign_in(client, referrer).status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.UNLOCK)
    assert (event.actor, event.object_id) == (system_admin, str(referrer.pk))


def test_sign_ins_for_the_admin_are_throttled_and_audited_as_admin(client, system_admin):
    system_admin.is_staff = system_admin.is_superuser = True
    system_admin.save()
    # The admin's own sign-in page leads to the site's, with next=/admin/
    login_url = client.get("/admin/login/?next=/admin/")["Location"]
    assert login_url.startswith(reverse("login"))

    for _ in range(5):
        client.post(login_url, {"login": system_admin.email, "password": "wrong"})
    response = client.post(login_url, {"login": system_admin.email, "password": TEST_PASSWORD})

    assert LOCKED in response.content.decode()
    assert client.get("/admin/").status_code == 302
    failures = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED)
    assert failures.count() == 5
    assert {event.detail["via"] for event in failures} == {"admin"}


def test_second_factor_codes_are_throttled(client, referrer):
    totp_enrol(referrer, SECRET)
    sign_in(client, referrer)
    wrong = "000000" if totp_code(SECRET) != "000000" else "111111"
    for _ in range(5):
        enter_code(client, wrong)

    response = enter_code(client, totp_code(SECRET))

    assert LOCKED in response.content.decode()
    assert client.get(reverse(SIGNED_IN_ONLY)).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.LOCKOUT, detail__step="mfa").exists()


def test_password_reset_emails_are_limited_per_account(
    client, referrer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(5):
            response = Client(REMOTE_ADDR=f"203.0.113.{number}").post(
                reverse("password_reset"), {"email": referrer.email}
            )
            # Every request is answered the same, sent or not
            assert response["Location"] == reverse("password_reset_done")

    assert len(mail.outbox) == 3
    assert (
        AuditEvent.objects.filter(action=AuditAction.LOCKOUT, detail__step="password_reset").count()
        == 2
    )


def test_password_reset_requests_are_limited_per_address(
    client, django_capture_on_commit_callbacks
):
    users = [
        User.objects.create_user(f"person{n}@test.example", "x", full_name=f"P {n}")
        for n in range(11)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for user in users:
            client.post(reverse("password_reset"), {"email": user.email})

    assert len(mail.outbox) == 10

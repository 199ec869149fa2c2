"""Signing in with a password and a second factor, through the real forms (no fixtures
marking the session): enrolment, the code step, replayed codes, reauthentication,
removing and resetting factors, and the audit of each."""

from __future__ import annotations

import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.test import Client
from django.urls import reverse

from socialrx.core.account_setup import KIND as SET_PASSWORD_LINK
from socialrx.core.models import AuditAction, AuditEvent, Notification, User
from socialrx.core.signin import totp_code, totp_enrol
from tests.core.pages import SIGNED_IN_ONLY
from tests.factories import TEST_PASSWORD
from tests.helpers.signin import SECRET, enter_code, sign_in, signed_in_with_code

NEW_PASSWORD = "a fresh passphrase after a lost phone 9"

pytestmark = [pytest.mark.django_db, pytest.mark.password_only]


def secret_from_enrolment_page(html: str) -> str:
    match = re.search(r'id="authenticator-secret">([A-Z2-7]+)<', html)
    assert match, "the enrolment page shows the setup key"
    return match.group(1)


def test_a_user_without_a_second_factor_is_taken_to_set_one_up(client, referrer):
    # Given a user who has only a password
    # When they sign in with it
    response = sign_in(client, referrer)

    # Then they are taken to set up an authenticator app
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    assert "Set up your authenticator app" in response.content.decode()


@pytest.mark.parametrize(
    "url_name", ["home", "referrals:list", "linkworkers:caseload", "admin:index", "api_me"]
)
def test_before_enrolling_no_page_with_records_can_be_reached(client, referrer, url_name):
    sign_in(client, referrer)

    response = client.get(reverse(url_name))

    if url_name == "api_me":
        assert response.status_code == 403
        assert "second way to prove" in response.json()["message"]
    else:
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")


def test_htmx_requests_before_enrolling_are_sent_to_enrol(client, referrer):
    sign_in(client, referrer)

    response = client.get(reverse("referrals:list"), HTTP_HX_REQUEST="true")

    assert response["HX-Redirect"] == reverse("mfa_activate_totp")


# allauth announces a new factor once its transaction commits, before the response:
# only a test that really commits sees the order production has.
@pytest.mark.django_db(transaction=True)
def test_enrolling_an_authenticator_app_then_reaches_the_work(client, referrer):
    sign_in(client, referrer)
    page = client.get(reverse("mfa_activate_totp")).content.decode()
    secret = secret_from_enrolment_page(page)

    # A wrong code is refused with the reason, and nothing is enrolled
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 200
    assert "nhsuk-error-summary" in response.content.decode()
    assert not Authenticator.objects.filter(user=referrer).exists()

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=referrer, type="totp").exists()
    # Recovery codes are made with it and shown next
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert client.get(response["Location"]).status_code == 200
    assert client.get(reverse(SIGNED_IN_ONLY)).status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.MFA_ADDED, detail__type="totp")
    assert event.actor == referrer


def test_an_enrolled_user_is_asked_for_a_code_after_the_password(client, referrer):
    totp_enrol(referrer, SECRET)

    response = sign_in(client, referrer)

    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse(SIGNED_IN_ONLY)).status_code == 302  # not signed in yet
    response = enter_code(client, totp_code(SECRET))
    assert response.status_code == 302
    assert client.get(reverse(SIGNED_IN_ONLY)).status_code == 200
    login = AuditEvent.objects.get(action=AuditAction.LOGIN, actor=referrer)
    assert login.detail["steps"] == ["password", "mfa"]


def test_a_wrong_code_is_refused_and_audited(client, referrer):
    totp_enrol(referrer, SECRET)
    sign_in(client, referrer)

    response = enter_code(client, "123456" if totp_code(SECRET) != "123456" else "654321")

    assert response.status_code == 200
    assert "Enter the current 6-digit code" in response.content.decode()
    assert client.get(reverse(SIGNED_IN_ONLY)).status_code == 302
    failed = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED, detail__step="mfa")
    assert failed.actor == referrer


def test_a_replayed_code_is_refused(client, referrer):
    totp_enrol(referrer, SECRET)
    code = totp_code(SECRET)
    sign_in(client, referrer)
    enter_code(client, code)
    assert client.get(reverse(SIGNED_IN_ONLY)).status_code == 200

    # Someone who saw the code tries it in another browser within its 30 seconds
    other = Client()
    sign_in(other, referrer)
    response = enter_code(other, code)

    assert response.status_code == 200
    assert "Enter the current 6-digit code" in response.content.decode()
    assert other.get(reverse(SIGNED_IN_ONLY)).status_code == 302


def test_a_recovery_code_signs_in_once(client, referrer):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    totp_enrol(referrer, SECRET)
    code = RecoveryCodes.activate(referrer).get_unused_codes()[0]
    sign_in(client, referrer)
    enter_code(client, code)
    assert client.get(reverse(SIGNED_IN_ONLY)).status_code == 200

    other = Client()
    sign_in(other, referrer)
    assert enter_code(other, code).status_code == 200  # refused: shown the form again
    assert other.get(reverse(SIGNED_IN_ONLY)).status_code == 302


def test_a_session_from_before_second_factors_is_signed_out(client, referrer):
    # Given a user with a second factor whose session never gave it
    totp_enrol(referrer, SECRET)
    client.force_login(referrer)  # password_only: Django's plain session

    response = client.get(reverse(SIGNED_IN_ONLY))

    assert response["Location"].startswith(reverse("login"))
    assert client.get(reverse(SIGNED_IN_ONLY))["Location"].startswith(reverse("login"))


def test_users_see_their_factors_and_removing_one_asks_for_the_password_again(referrer):
    client = signed_in_with_code(referrer)

    page = client.get(reverse("mfa_index")).content.decode()
    assert "Authenticator App" in page or "authenticator app" in page.lower()

    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert Authenticator.objects.filter(user=referrer, type="totp").exists()

    client.post(
        reverse("account_reauthenticate") + "?next=" + reverse("mfa_deactivate_totp"),
        {"password": TEST_PASSWORD},
    )
    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=referrer, type="totp").exists()
    assert AuditEvent.objects.filter(action=AuditAction.MFA_REMOVED, actor=referrer).exists()
    # With no factor left, the session is sent to set one up again
    assert client.get(reverse(SIGNED_IN_ONLY))["Location"] == reverse("mfa_activate_totp")


def test_changing_a_second_factor_signs_out_the_other_sessions(referrer):
    laptop = signed_in_with_code(referrer)
    phone = Client()
    sign_in(phone, referrer)
    enter_code(phone, totp_code(SECRET, at=time.time() + 30))
    assert phone.get(reverse(SIGNED_IN_ONLY)).status_code == 200

    laptop.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    laptop.post(reverse("mfa_deactivate_totp"))

    assert phone.get(reverse(SIGNED_IN_ONLY)).status_code == 302
    assert phone.get(reverse(SIGNED_IN_ONLY))["Location"].startswith(reverse("login"))


def test_changing_the_password_signs_out_the_other_sessions(referrer):
    laptop = signed_in_with_code(referrer)
    phone = Client()
    sign_in(phone, referrer)
    enter_code(phone, totp_code(SECRET, at=time.time() + 30))

    new = "a much longer passphrase 42"
    response = laptop.post(
        reverse("account_change_password"),
        {"oldpassword": TEST_PASSWORD, "password1": new, "password2": new},
    )

    assert response.status_code == 302
    assert laptop.get(reverse(SIGNED_IN_ONLY)).status_code == 200
    assert phone.get(reverse(SIGNED_IN_ONLY)).status_code == 302


def test_the_session_id_changes_at_sign_in(client, referrer):
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    totp_enrol(referrer, SECRET)

    sign_in(client, referrer)
    after_password = client.session.session_key
    enter_code(client, totp_code(SECRET))

    # allauth keeps the half-done sign-in in the session; the key changes once it is done
    assert client.get(reverse(SIGNED_IN_ONLY)).status_code == 200
    assert client.session.session_key not in (before, after_password)


@pytest.mark.parametrize("proof", ["password", "code"])
def test_reauthenticating_gives_the_session_a_new_id(referrer, proof):
    from allauth.usersessions.models import UserSession

    client = signed_in_with_code(referrer)
    before = client.session.session_key

    if proof == "password":
        response = client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    else:
        # The code of the next 30-second step: the current one was used to sign in
        next_code = totp_code(SECRET, at=time.time() + 30)
        response = client.post(reverse("mfa_reauthenticate"), {"code": next_code})

    assert response.status_code == 302
    after = client.session.session_key
    assert after != before
    assert client.get(reverse(SIGNED_IN_ONLY)).status_code == 200
    # The old id signs nobody in any more
    stolen = Client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = before
    assert stolen.get(reverse(SIGNED_IN_ONLY)).status_code == 302
    # The sessions list (and "Sign out everywhere") follows the new id
    assert list(
        UserSession.objects.filter(user=referrer).values_list("session_key", flat=True)
    ) == [after]


def test_the_admin_sign_in_page_sends_people_to_the_site_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=/admin/" in response["Location"].replace("%2F", "/")


def test_the_admin_asks_for_the_password_again_after_a_while(system_admin, settings):
    system_admin.is_staff = system_admin.is_superuser = True
    system_admin.save()
    client = signed_in_with_code(system_admin)
    assert client.get(reverse("admin:index")).status_code == 200

    settings.ADMIN_REAUTHENTICATION_SECONDS = 0
    response = client.get(reverse("admin:index"))

    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_a_system_administrator_resets_a_users_second_factors(system_admin, referrer):
    system_admin.is_staff = system_admin.is_superuser = True
    system_admin.save()
    victim_session = signed_in_with_code(referrer)
    admin_client = signed_in_with_code(system_admin)  # codes are single-use per user

    response = admin_client.post(
        reverse("admin:core_user_changelist"),
        {"action": "reset_second_factors", "_selected_action": [referrer.pk]},
    )

    assert response.status_code == 302, response
    assert response["Location"] == reverse("admin:core_user_changelist")
    assert not Authenticator.objects.filter(user=referrer).exists()
    event = AuditEvent.objects.get(action=AuditAction.MFA_RESET)
    assert (event.actor, event.object_id) == (system_admin, str(referrer.pk))
    # Their sessions are over, and the old password with them: whoever knows it cannot
    # enrol a new factor (ASVS V6.4.4)
    assert victim_session.get(reverse(SIGNED_IN_ONLY)).status_code == 302
    referrer.refresh_from_db()
    assert not referrer.has_usable_password()
    stranger = Client()
    sign_in(stranger, referrer)
    assert stranger.get(reverse(SIGNED_IN_ONLY)).status_code == 302
    assert stranger.get(reverse(SIGNED_IN_ONLY))["Location"] != reverse("mfa_activate_totp")
    # The owner chooses a new password from the link sent to their work mailbox, as at
    # the account's start, and their next sign-in must set up a new factor
    link = Notification.objects.get(kind=SET_PASSWORD_LINK, recipient=referrer).body_text
    path = "/" + re.search(r"https?://\S+", link).group().split("://", 1)[1].split("/", 1)[1]
    owner = Client()
    page = owner.get(path, follow=True)
    owner.post(
        page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    fresh = Client()
    sign_in(fresh, referrer, password=NEW_PASSWORD)
    assert fresh.get(reverse(SIGNED_IN_ONLY))["Location"] == reverse("mfa_activate_totp")


def test_sign_out_ends_the_session_and_is_audited(referrer):
    client = signed_in_with_code(referrer)

    response = client.post(reverse("logout"))

    # A password sign-in's sign-out stays here (a CIS2 one goes on to CIS2: test_cis2)
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse(SIGNED_IN_ONLY)).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor=referrer).exists()


def test_people_reach_their_passkeys_and_sessions_pages(referrer):
    client = signed_in_with_code(referrer)

    for name in ("mfa_index", "mfa_list_webauthn", "usersessions_list"):
        assert client.get(reverse(name)).status_code == 200, name
    # Adding a passkey is a change of second factor: the password first
    assert client.get(reverse("mfa_add_webauthn"))["Location"].startswith(
        reverse("account_reauthenticate")
    )


def other_sessions_of(user: User, count: int) -> list[int]:
    """The user signed in in other browsers, each with one of their recovery codes: the
    ids of those sessions in allauth's sessions list."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.usersessions.models import UserSession

    if not Authenticator.objects.filter(user=user, type="totp").exists():
        totp_enrol(user, SECRET)
    codes = RecoveryCodes.activate(user).get_unused_codes()
    ids = []
    for code in codes[:count]:
        browser = Client()
        sign_in(browser, user)
        enter_code(browser, code)
        ids.append(UserSession.objects.get(session_key=browser.session.session_key).pk)
    return ids


def test_ending_sessions_asks_to_prove_who_you_are_again(referrer, settings):
    from allauth.usersessions.models import UserSession

    client = signed_in_with_code(referrer)
    [other] = other_sessions_of(referrer, 1)
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0  # the sign-in is no longer recent

    response = client.post(reverse("usersessions_list"))

    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert UserSession.objects.filter(pk=other).exists()
    # Looking at the list does not ask
    assert client.get(reverse("usersessions_list")).status_code == 200


def test_one_session_is_ended_on_its_own(referrer, link_worker):
    from allauth.usersessions.models import UserSession

    client = signed_in_with_code(referrer)
    ended, kept = other_sessions_of(referrer, 2)
    [someone_elses] = other_sessions_of(link_worker, 1)
    page = client.get(reverse("usersessions_list")).content.decode()
    assert f'name="session" value="{ended}"' in page
    # Ending sessions needs a fresh proof (signing in is not one)
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})

    response = client.post(reverse("usersessions_list"), {"session": ended})

    assert response.status_code == 302
    assert not UserSession.objects.filter(pk=ended).exists()
    assert UserSession.objects.filter(pk=kept).exists()
    assert client.get(reverse(SIGNED_IN_ONLY)).status_code == 200
    # Another person's session is not theirs to end
    response = client.post(reverse("usersessions_list"), {"session": someone_elses})
    assert response.status_code == 200
    assert UserSession.objects.filter(pk=someone_elses).exists()


def test_second_factors_cannot_be_deleted_one_by_one_in_the_admin(system_admin):
    system_admin.is_staff = system_admin.is_superuser = True
    system_admin.save()
    client = signed_in_with_code(system_admin)

    assert client.get("/admin/mfa/authenticator/").status_code == 404


def test_a_system_administrator_signs_a_user_out_everywhere(system_admin, referrer):
    system_admin.is_staff = system_admin.is_superuser = True
    system_admin.save()
    laptop = signed_in_with_code(referrer)
    admin_client = signed_in_with_code(system_admin)

    admin_client.post(
        reverse("admin:core_user_changelist"),
        {"action": "sign_out_everywhere", "_selected_action": [referrer.pk]},
    )

    assert laptop.get(reverse(SIGNED_IN_ONLY)).status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.LOGOUT, object_id=str(referrer.pk))
    assert event.actor == system_admin


def test_another_users_passkey_cannot_be_renamed_or_removed(referrer, link_worker):
    owner = signed_in_with_code(referrer)
    client = signed_in_with_code(link_worker)
    # Changing a second factor asks for the password again: both have given it.
    for session in (owner, client):
        session.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    # Its name is all these pages read (a real credential is needed only to sign in).
    key = Authenticator.objects.create(
        user=referrer,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": "Work laptop", "credential": {}},
    )
    assert owner.get(reverse("mfa_edit_webauthn", args=[key.pk])).status_code == 200

    for name in ("mfa_edit_webauthn", "mfa_remove_webauthn"):
        url = reverse(name, args=[key.pk])
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"name": "Mine now"}).status_code == 404, name

    key.refresh_from_db()
    assert (key.user, key.data["name"]) == (referrer, "Work laptop")


def test_sign_up_is_closed(client):
    page = client.get(reverse("account_signup"))
    assert "the sign up is currently closed" in page.content.decode()

    new = "a much longer passphrase 42"
    client.post(
        reverse("account_signup"),
        {"email": "newcomer@test.example", "password1": new, "password2": new},
    )

    assert not User.objects.filter(email="newcomer@test.example").exists()


def test_people_cannot_change_their_sign_in_email_or_cis2_link_themselves(referrer):
    # Administrators set the address people sign in with; CIS2 is linked by matching.
    client = signed_in_with_code(referrer)

    for name in ("account_email", "socialaccount_connections"):
        assert client.get(reverse(name)).status_code == 404, name
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "mine@elsewhere.example"}
    )

    assert response.status_code == 404
    assert not EmailAddress.objects.filter(email="mine@elsewhere.example").exists()

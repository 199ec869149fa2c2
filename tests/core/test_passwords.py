"""Password rules of our own, through the forms people use to set a password: the
breached-password check (Pwned Passwords, faked at its HTTP boundary by a local server).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from socialrx.core.models import User
from tests.factories import TEST_PASSWORD
from tests.helpers import pwned_passwords
from tests.helpers.html import parse

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long enough passphrase for the tests 7"
BREACH_ERROR = "This password has appeared in a data breach"


@pytest.fixture
def pwned(settings) -> Iterator[pwned_passwords.FakePwnedPasswords]:
    with pwned_passwords.serve() as fake:
        settings.PWNED_PASSWORDS_ENABLED = True
        settings.PWNED_PASSWORDS_URL = fake.url
        yield fake


def reset_password(client: Client, user: User, password: str):
    """The emailed reset link's form, posted with a new password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    page = client.get(reverse("password_reset_confirm", args=[uid, token]), follow=True)
    return client.post(
        page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )


def change_password(client: Client, password: str):
    return client.post(
        reverse("account_change_password"),
        {"oldpassword": TEST_PASSWORD, "password1": password, "password2": password},
    )


def test_a_breached_password_is_refused_at_reset_with_a_field_error(client, referrer, pwned):
    pwned.breach(NEW_PASSWORD)

    response = reset_password(client, referrer, NEW_PASSWORD)

    assert response.status_code == 200
    page = parse(response.content.decode())
    assert len(page.find_all(cls="nhsuk-error-summary")) == 1
    # The message is tied to the field (aria-describedby), not only in the summary
    field = page.by_id("id_new_password2")
    assert any(BREACH_ERROR in page.by_id(id_).text for id_ in field.described_by())
    referrer.refresh_from_db()
    assert referrer.check_password(TEST_PASSWORD)


def test_a_breached_password_is_refused_at_change(client, referrer, pwned):
    client.force_login(referrer)
    pwned.breach(NEW_PASSWORD)

    response = change_password(client, NEW_PASSWORD)

    assert response.status_code == 200
    assert BREACH_ERROR in response.content.decode()
    referrer.refresh_from_db()
    assert referrer.check_password(TEST_PASSWORD)


def test_only_five_hex_characters_of_the_hash_leave_the_server_padded(client, referrer, pwned):
    digest = hashlib.sha1(NEW_PASSWORD.encode()).hexdigest().upper()

    response = reset_password(client, referrer, NEW_PASSWORD)

    assert response.status_code == 302  # not in a breach: accepted
    [(path, headers)] = pwned.requests
    assert path == f"/range/{digest[:5]}"
    assert headers["Add-Padding"] == "true"
    assert NEW_PASSWORD not in path
    assert digest[5:] not in path
    referrer.refresh_from_db()
    assert referrer.check_password(NEW_PASSWORD)


def test_a_padding_line_is_not_a_breach(client, referrer, pwned):
    # The API pads answers with real-looking suffixes counted 0
    pwned.breach(NEW_PASSWORD, count=0)

    client.force_login(referrer)
    response = change_password(client, NEW_PASSWORD)

    assert response.status_code == 302
    referrer.refresh_from_db()
    assert referrer.check_password(NEW_PASSWORD)


@pytest.mark.parametrize("outage", ["unreachable", "error"])
def test_when_the_service_cannot_answer_the_password_is_accepted_and_logged(
    client, referrer, pwned, settings, caplog, outage
):
    pwned.breach(NEW_PASSWORD)
    if outage == "unreachable":
        settings.PWNED_PASSWORDS_URL = f"http://127.0.0.1:{pwned_passwords.a_closed_port()}"
    else:
        pwned.down = True

    with caplog.at_level(logging.WARNING, logger="socialrx.core.passwords"):
        response = reset_password(client, referrer, NEW_PASSWORD)

    # The decision of ADR 0032: an outside outage does not stop a password change
    assert response.status_code == 302
    referrer.refresh_from_db()
    assert referrer.check_password(NEW_PASSWORD)
    assert "Pwned Passwords could not be asked" in caplog.text
    assert NEW_PASSWORD not in caplog.text


def test_the_common_passwords_list_still_applies_without_the_service(client, referrer, settings):
    settings.PWNED_PASSWORDS_ENABLED = True
    settings.PWNED_PASSWORDS_URL = f"http://127.0.0.1:{pwned_passwords.a_closed_port()}"

    response = reset_password(client, referrer, "password1234")

    assert response.status_code == 200
    assert "This password is too common" in response.content.decode()


def test_the_check_can_be_turned_off(client, referrer, pwned, settings):
    settings.PWNED_PASSWORDS_ENABLED = False
    pwned.breach(NEW_PASSWORD)

    response = reset_password(client, referrer, NEW_PASSWORD)

    assert response.status_code == 302
    assert pwned.requests == []


# The context-specific words (socialrx/core/data/password_words.txt and the database).

CONTEXT_ERROR = "Your password cannot contain the name of this service"


@pytest.mark.parametrize(
    ("password", "word"),
    [
        pytest.param("my socialrx account 2026", "socialrx", id="the-product"),
        pytest.param("S0c1alRx-is-where-I-work", "socialrx", id="look-alike-digits"),
        pytest.param("Northshire rocks 2026!", "northshire", id="the-county"),
        pytest.param("NHS-2026!!", "nhs", id="a-short-word-alone"),
        pytest.param("Triage Lead forever 9", "Triage lead", id="a-role-name"),
    ],
)
def test_a_password_of_this_services_words_is_refused_at_reset(client, referrer, password, word):
    response = reset_password(client, referrer, password)

    assert response.status_code == 200
    page = parse(response.content.decode())
    field = page.by_id("id_new_password2")
    errors = " ".join(page.by_id(id_).text for id_ in field.described_by())
    assert CONTEXT_ERROR in errors
    assert word.lower() in errors.lower()
    referrer.refresh_from_db()
    assert referrer.check_password(TEST_PASSWORD)


def test_an_organisations_name_from_the_database_is_refused_at_change(client, referrer):
    organisation = referrer.memberships.first().organisation
    organisation.name = "Kestrel Vale Surgery"
    organisation.save()
    client.force_login(referrer)

    response = change_password(client, "kestrel-vale-surgery-1999")

    assert response.status_code == 200
    assert CONTEXT_ERROR in response.content.decode()
    assert "Kestrel Vale Surgery" in response.content.decode()
    referrer.refresh_from_db()
    assert referrer.check_password(TEST_PASSWORD)


def test_a_short_word_inside_a_longer_password_is_allowed(client, referrer):
    # "nhs" by chance inside other words is not the service's name
    client.force_login(referrer)

    response = change_password(client, "sunhsiang mountain tea 88")

    assert response.status_code == 302
    referrer.refresh_from_db()
    assert referrer.check_password("sunhsiang mountain tea 88")


def test_a_long_password_of_digits_alone_is_allowed(client, referrer):
    # No composition rules (ASVS V6.2.5): not even "not only digits"
    response = reset_password(client, referrer, "829862982986298")

    assert response.status_code == 302
    referrer.refresh_from_db()
    assert referrer.check_password("829862982986298")

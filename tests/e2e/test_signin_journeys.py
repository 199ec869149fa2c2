"""Signing in as people do it: a new user enrols an authenticator app, a locked-out user
is told when to try again, an idle session ends after its warning, and NHS staff sign in
through CIS2 (a real OpenID Connect provider process, tests/oidc/)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from socialrx.core.models import Role, User
from socialrx.core.signin import totp_code, totp_enrol
from tests.core.pages import SIGNED_IN_ONLY
from tests.factories import TEST_PASSWORD, OrganisationFactory, user_with_role
from tests.oidc import CALLBACK_PATH, OidcProvider, running_provider

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def new_referrer(transactional_db: None) -> User:
    return user_with_role(Role.REFERRER, OrganisationFactory(name="Journey Surgery"))


def sign_in_with_password(page: Page, email: str, password: str = TEST_PASSWORD) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_a_new_user_enrols_an_authenticator_app_then_reaches_their_work(
    page: Page, new_referrer: User
) -> None:
    # Given a new account with only a password
    sign_in_with_password(page, new_referrer.email)

    # Then the first page is setting up a second factor, and nothing else opens first
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    page.goto("/referrals/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))

    # When they add the key to their app and enter the code it shows
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator("#authenticator-secret").inner_text()
    page.get_by_label("Security code from the app").fill(totp_code(secret))
    page.get_by_role("button", name="Turn on the authenticator app").click()

    # Then they are shown their recovery codes, and can reach their work
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery Codes")
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your work")


def test_an_enrolled_user_gives_a_code_after_the_password(page: Page, new_referrer: User) -> None:
    totp_enrol(new_referrer, SECRET)

    sign_in_with_password(page, new_referrer.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    page.get_by_label("Security code").fill(totp_code(SECRET))
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your work")


def test_a_locked_out_user_is_told_when_to_try_again(page: Page, new_referrer: User) -> None:
    for _ in range(5):
        sign_in_with_password(page, new_referrer.email, "not-the-password")
        expect(page.locator(".nhsuk-error-summary")).to_contain_text("correct email address")

    # The right password, too late
    sign_in_with_password(page, new_referrer.email)

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("too many attempts to sign in")
    expect(summary).to_contain_text("try again in 15 minutes")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def open_home_with_a_tiny_idle_limit(
    page: Page, login_as: Any, user: User, settings: Any
) -> Locator:
    """Signed in with a 6-second idle limit and a 4-second warning (seconds, not half an
    hour, of waiting); the warning dialog once it has opened."""
    settings.SESSION_IDLE_TIMEOUT = 6
    settings.SESSION_IDLE_WARNING = 4
    login_as(page, user)
    page.goto("/")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible(timeout=5_000)
    return dialog


def test_an_idle_session_ends_after_the_warning(
    page: Page, login_as: Any, new_referrer: User, settings: Any
) -> None:
    dialog = open_home_with_a_tiny_idle_limit(page, login_as, new_referrer, settings)
    expect(dialog.get_by_role("heading")).to_have_text("You'll be signed out in 4 seconds")
    expect(dialog.get_by_role("button", name="Stay signed in")).to_be_focused()

    # Nobody answers: the session ends and the sign-in page says why
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/\?next=/$"), timeout=10_000)
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("You have been signed out")
    # Not signed in: a page for signed-in users only sends them to sign in
    page.goto(reverse(SIGNED_IN_ONLY))
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/"))


def test_stay_signed_in_keeps_the_session(
    page: Page, login_as: Any, new_referrer: User, settings: Any
) -> None:
    dialog = open_home_with_a_tiny_idle_limit(page, login_as, new_referrer, settings)
    dialog.get_by_role("button", name="Stay signed in").click()

    expect(dialog).to_be_hidden()
    page.wait_for_timeout(3_000)  # past the original end of the session
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your work")


# CIS2.

CIS2_ACCOUNTS = {
    "nhs-referrer": {
        "email": "journey.cis2@test.example",
        "name": "Dr Journey",
        "acr": "AAL3_ANY",  # a smartcard: CIS2's second factor counts (ADR 0032)
        "amr": ["N3_SMARTCARD"],
    },
    "nhs-stranger": {"email": "stranger@nhs.example", "name": "Not Known"},
}


@pytest.fixture(scope="module")
def oidc_provider(live_server: Any) -> Iterator[OidcProvider]:
    with running_provider(
        redirect_uris=[f"{live_server.url}{CALLBACK_PATH}"], accounts=CIS2_ACCOUNTS
    ) as running:
        yield running


@pytest.fixture
def cis2(settings: Any, oidc_provider: OidcProvider) -> OidcProvider:
    settings.CIS2_ISSUER_URL = oidc_provider.issuer
    settings.SOCIALACCOUNT_PROVIDERS = oidc_provider.socialaccount_settings()
    return oidc_provider


def sign_in_with_cis2(page: Page, login: str) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_role("button", name="Sign in with NHS Care Identity").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Test CIS2 sign-in")
    page.get_by_label("Smartcard user").fill(login)
    page.get_by_label("Passcode").fill("any")
    page.get_by_role("button", name="Sign in").click()


def test_nhs_staff_sign_in_with_cis2_and_land_on_their_home_page(
    page: Page, cis2: OidcProvider, new_referrer: User
) -> None:
    new_referrer.email = CIS2_ACCOUNTS["nhs-referrer"]["email"]
    new_referrer.save()

    sign_in_with_cis2(page, "nhs-referrer")

    expect(page.get_by_role("heading", level=1)).to_have_text("Your work")


def test_an_unknown_cis2_identity_is_refused(
    page: Page, cis2: OidcProvider, transactional_db: None
) -> None:
    sign_in_with_cis2(page, "nhs-stranger")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your NHS Care Identity is not linked to an account"
    )
    expect(page.get_by_text("Ask your organisation's administrator")).to_be_visible()
    # Not signed in: a page for signed-in users only sends them to sign in
    page.goto(reverse(SIGNED_IN_ONLY))
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/"))

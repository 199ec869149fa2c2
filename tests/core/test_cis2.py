"""CIS2 single sign-on by OpenID Connect, against a real provider process (tests/oidc/).

The Django test client plays the browser on our side; ``requests`` plays it on the
provider's (its development sign-in form stands in for the smartcard step). allauth's
calls to the provider's token, keys and userinfo endpoints are real HTTP.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.urls import reverse

from socialrx.core.models import AuditAction, AuditEvent, User
from socialrx.core.signin import totp_code, totp_enrol
from tests.core.pages import SIGNED_IN_ONLY
from tests.helpers.signin import SECRET, enter_code
from tests.oidc import CALLBACK_PATH, OidcProvider, running_provider

pytestmark = [pytest.mark.django_db, pytest.mark.password_only]

# Where CIS2's end session page sends the browser back: our sign-in page, as registered.
SIGNED_OUT_URL = "http://testserver/accounts/sign-in/"

# acr and amr as CIS2 states them in the ID token: a smartcard at assurance level 3, a
# password alone, and a sign-in that says nothing of its strength.
ACCOUNTS = {
    "nhs-referrer": {
        "email": "gp.cis2@test.example",
        "name": "Dr Cis Two",
        "acr": "AAL3_ANY",
        "amr": ["N3_SMARTCARD"],
    },
    "nhs-stranger": {"email": "stranger@nhs.example", "name": "Not Known"},
    "nhs-password-only": {
        "email": "password.cis2@test.example",
        "name": "Pat Word",
        "acr": "AAL1_USERPASS",
        "amr": ["PWD"],
    },
    "nhs-unstated": {"email": "unstated.cis2@test.example", "name": "Una Stated"},
}


@pytest.fixture(scope="module")
def provider() -> Iterator[OidcProvider]:
    with running_provider(
        redirect_uris=[f"http://testserver{CALLBACK_PATH}"],
        accounts=ACCOUNTS,
        post_logout_redirect_uris=[SIGNED_OUT_URL],
    ) as running:
        yield running


@pytest.fixture
def cis2(settings, provider: OidcProvider) -> OidcProvider:
    settings.CIS2_ISSUER_URL = provider.issuer
    settings.SOCIALACCOUNT_PROVIDERS = provider.socialaccount_settings()
    return provider


@pytest.fixture
def nhs_referrer(referrer) -> User:
    referrer.email = ACCOUNTS["nhs-referrer"]["email"]
    referrer.save()
    return referrer


def sign_in_at_provider(client: Client, login: str, browser: requests.Session | None = None) -> str:
    """Start CIS2 sign-in on our side, sign in at the provider (in ``browser``, a new one
    unless given); the callback URL it sends the browser back to (path and query)."""
    response = client.post(reverse("openid_connect_login", kwargs={"provider_id": "cis2"}))
    assert response.status_code == 302
    browser = browser or requests.Session()
    url = response["Location"]
    for _ in range(10):
        if url.startswith("http://testserver/"):
            parts = urlsplit(url)
            return f"{parts.path}?{parts.query}"
        page = browser.get(url, allow_redirects=False, timeout=10)
        if page.is_redirect:
            url = urljoin(url, page.headers["Location"])
            continue
        action = re.search(r'<form[^>]*action="([^"]+)"', page.text)
        assert action, f"no sign-in form at the provider: {page.text[:500]}"
        posted = browser.post(
            urljoin(url, action.group(1)),
            data={"login": login, "password": "any"},
            allow_redirects=False,
            timeout=10,
        )
        url = urljoin(url, posted.headers["Location"])
    raise AssertionError("the provider never sent the browser back")


def assert_refused_and_audited(client: Client, response) -> AuditEvent:
    """allauth's "could not sign you in" page, nobody signed in or linked, one failure
    audited (returned)."""
    assert response.status_code == 401
    assert "could not sign you in" in response.content.decode()
    assert client.get(reverse(SIGNED_IN_ONLY)).status_code == 302
    assert not SocialAccount.objects.exists()
    failed = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert failed.detail["step"] == "cis2"
    return failed


def test_a_matched_nhs_identity_signs_in_and_reaches_home(client, cis2, nhs_referrer):
    callback = sign_in_at_provider(client, "nhs-referrer")

    response = client.get(callback)

    assert response.status_code == 302
    # CIS2's ID token says a smartcard at AAL3: no second factor is asked for here
    assert client.get(reverse(SIGNED_IN_ONLY)).status_code == 200
    # The subject is stored: from now on it is matched by subject, whatever the email
    account = SocialAccount.objects.get(user=nhs_referrer)
    assert account.uid == "nhs-referrer"
    login = AuditEvent.objects.get(action=AuditAction.LOGIN, actor=nhs_referrer)
    assert login.detail["subject"] == "nhs-referrer"
    assert login.detail["acr"] == "AAL3_ANY"
    assert login.detail["amr"] == ["N3_SMARTCARD"]
    assert login.detail["cis2_two_factors"] is True


@pytest.mark.parametrize("login", ["nhs-password-only", "nhs-unstated"])
def test_a_cis2_sign_in_without_a_strong_method_asks_for_our_own_second_factor(
    client, cis2, referrer, login
):
    referrer.email = ACCOUNTS[login]["email"]
    referrer.save()

    client.get(sign_in_at_provider(client, login))

    # Signed in, but with one factor only: sent to set up an authenticator app first
    response = client.get(reverse(SIGNED_IN_ONLY))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    event = AuditEvent.objects.get(action=AuditAction.LOGIN, actor=referrer)
    assert event.detail["cis2_two_factors"] is False


def test_a_weak_cis2_sign_in_by_someone_with_an_app_asks_for_its_code(client, cis2, referrer):
    referrer.email = ACCOUNTS["nhs-password-only"]["email"]
    referrer.save()
    totp_enrol(referrer, SECRET)

    response = client.get(sign_in_at_provider(client, "nhs-password-only"))

    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse(SIGNED_IN_ONLY)).status_code == 302
    enter_code(client, totp_code(SECRET))
    assert client.get(reverse(SIGNED_IN_ONLY)).status_code == 200


def test_cis2_checks_the_person_again_at_every_sign_in(client, cis2, nhs_referrer):
    browser = requests.Session()
    client.get(sign_in_at_provider(client, "nhs-referrer", browser))
    client.post(reverse("logout"))

    response = client.post(reverse("openid_connect_login", kwargs={"provider_id": "cis2"}))

    assert "prompt=login" in response["Location"]
    # The provider still has a live session for this browser, yet shows its sign-in again
    page = browser.get(response["Location"], timeout=10)
    assert "Test CIS2 sign-in" in page.text


def test_a_stored_subject_signs_in_after_the_email_changes(client, cis2, nhs_referrer):
    client.get(sign_in_at_provider(client, "nhs-referrer"))
    client.post(reverse("logout"))
    nhs_referrer.email = "changed@test.example"
    nhs_referrer.save()

    client.get(sign_in_at_provider(client, "nhs-referrer"))

    assert client.get(reverse(SIGNED_IN_ONLY)).status_code == 200


def test_an_unknown_identity_is_refused_and_told_to_ask_an_administrator(client, cis2, referrer):
    callback = sign_in_at_provider(client, "nhs-stranger")

    response = client.get(callback)

    assert response.status_code == 403
    page = response.content.decode()
    assert "not linked to an account" in page
    assert "Ask your organisation's administrator" in page
    assert client.get(reverse(SIGNED_IN_ONLY)).status_code == 302
    assert not User.objects.filter(email=ACCOUNTS["nhs-stranger"]["email"]).exists()
    assert not SocialAccount.objects.exists()
    failed = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert failed.detail["subject"] == "nhs-stranger"


def test_a_callback_with_a_state_we_did_not_issue_is_refused(client, cis2, nhs_referrer):
    callback = sign_in_at_provider(client, "nhs-referrer")
    forged = re.sub(r"state=[^&]+", "state=forged", callback)

    response = client.get(forged)

    assert response.status_code == 401
    assert "could not sign you in" in response.content.decode()
    assert client.get(reverse(SIGNED_IN_ONLY)).status_code == 302


def test_a_callback_in_another_browser_is_refused(client, cis2, nhs_referrer):
    # A code and state sent to the attacker's browser, not the one that asked
    callback = sign_in_at_provider(client, "nhs-referrer")

    other = Client()
    response = other.get(callback)

    assert response.status_code == 401
    assert "could not sign you in" in response.content.decode()
    assert other.get(reverse(SIGNED_IN_ONLY)).status_code == 302


def test_an_id_token_from_another_issuer_is_refused(client, settings, provider, nhs_referrer):
    # Our configuration expects another issuer than the one that signs the token
    settings.CIS2_ISSUER_URL = provider.issuer
    settings.SOCIALACCOUNT_PROVIDERS = provider.socialaccount_settings(
        openid_configuration_overrides={"issuer": "https://am.nhsidentity.spineservices.nhs.uk"}
    )
    callback = sign_in_at_provider(client, "nhs-referrer")

    response = client.get(callback)

    assert_refused_and_audited(client, response)


@pytest.fixture
def id_tokens(provider: OidcProvider) -> Iterator[Callable[[str], None]]:
    """Switch the provider's token endpoint to forged ID tokens (tests/oidc/provider.js)."""

    def mode(name: str) -> None:
        answer = requests.post(f"{provider.issuer}/test/id-token", data={"mode": name}, timeout=10)
        answer.raise_for_status()

    yield mode
    mode("normal")


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        pytest.param("wrong-key", "Signature verification failed", id="signed-with-another-key"),
        pytest.param("alg-none", "not signed with an accepted algorithm: 'none'", id="alg-none"),
    ],
)
def test_an_id_token_not_signed_by_the_provider_is_refused(
    client, cis2, nhs_referrer, id_tokens, mode, reason
):
    # The token comes straight from the provider's token endpoint, where allauth alone
    # would not check the signature
    id_tokens(mode)
    callback = sign_in_at_provider(client, "nhs-referrer")

    response = client.get(callback)

    failed = assert_refused_and_audited(client, response)
    assert reason in failed.detail["message"]


def test_an_expired_id_token_is_refused(client, cis2, nhs_referrer, monkeypatch):
    import jwt

    callback = sign_in_at_provider(client, "nhs-referrer")
    decode = jwt.decode

    def decode_two_hours_later(*args, **kwargs):
        # The token's own exp is checked against a clock two hours on (its issue time,
        # which would then be in the past, is not what this test is about).
        options = {**kwargs.get("options", {}), "verify_iat": False}
        kwargs["leeway"] = -2 * 60 * 60
        kwargs["options"] = options
        return decode(*args, **kwargs)

    monkeypatch.setattr(jwt, "decode", decode_two_hours_later)
    response = client.get(callback)

    assert "could not sign you in" in response.content.decode()
    assert client.get(reverse(SIGNED_IN_ONLY)).status_code == 302


def test_signing_out_after_a_cis2_sign_in_ends_the_cis2_session_too(client, cis2, nhs_referrer):
    browser = requests.Session()
    client.get(sign_in_at_provider(client, "nhs-referrer", browser))
    assert client.get(reverse(SIGNED_IN_ONLY)).status_code == 200

    response = client.post(reverse("logout"))

    # Signed out here, and the browser sent on to CIS2's end session page with this
    # sign-in's ID token as the hint and our sign-in page to come back to
    assert client.get(reverse(SIGNED_IN_ONLY)).status_code == 302
    end_session = response["Location"]
    parts = urlsplit(end_session)
    assert f"{parts.scheme}://{parts.netloc}" == cis2.issuer
    query = parse_qs(parts.query)
    assert query["post_logout_redirect_uri"] == [SIGNED_OUT_URL]
    assert query["client_id"] == [cis2.client_id]
    assert query["id_token_hint"][0].count(".") == 2  # a JWT
    logout = AuditEvent.objects.get(action=AuditAction.LOGOUT, actor=nhs_referrer)
    assert logout.detail == {"cis2_sign_out": True}
    # There the person confirms; the provider ends its session (its cookie goes) and
    # sends the browser back to us
    assert any(c.name.startswith("_session") for c in browser.cookies)
    page = browser.get(end_session, allow_redirects=False, timeout=10)
    assert page.status_code == 200, page.text[:500]
    action = re.search(r'<form[^>]*action="([^"]+)"', page.text)
    assert action, f"no confirmation form at the provider: {page.text[:500]}"
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    confirmed = browser.post(
        urljoin(end_session, action.group(1)),
        data={**hidden, "logout": "yes"},
        allow_redirects=False,
        timeout=10,
    )
    assert confirmed.headers["Location"] == SIGNED_OUT_URL
    assert not any(c.name.startswith("_session") for c in browser.cookies)


def test_a_provider_without_an_end_session_endpoint_is_signed_out_of_here_only(
    client, settings, provider, nhs_referrer
):
    settings.CIS2_ISSUER_URL = provider.issuer
    settings.SOCIALACCOUNT_PROVIDERS = provider.socialaccount_settings(
        openid_configuration_overrides={"end_session_endpoint": ""}
    )
    client.get(sign_in_at_provider(client, "nhs-referrer"))

    response = client.post(reverse("logout"))

    assert response["Location"] == reverse("login")
    assert client.get(reverse(SIGNED_IN_ONLY)).status_code == 302

"""API calls with personal tokens: Bearer and Token, every refusal a 401 in the one error
shape, and automatic revocation on deactivation or a password change."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.db.models import Q
from django.utils import timezone
from rest_framework.test import APIClient

from socialrx.core.api_tokens.models import ApiToken, RevocationReason
from socialrx.core.api_tokens.services import api_token_issue, api_token_revoke
from socialrx.core.models import AuditAction, AuditEvent
from tests.factories import TEST_PASSWORD

ME = "/api/v1/me/"


def _get(authorization: str | None, path: str = ME, **extra):
    client = APIClient()
    if authorization is not None:
        client.credentials(HTTP_AUTHORIZATION=authorization)
    return client.get(path, **extra)


def _issue(user, name="Practice system"):
    return api_token_issue(user=user, name=name, actor=user)


@pytest.mark.django_db
def test_the_database_holds_a_digest_and_a_short_prefix_never_the_secret(referrer):
    issued = _issue(referrer)

    row = ApiToken.objects.filter(pk=issued.token.pk).values().get()
    assert row["digest"] == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert issued.secret.startswith(row["prefix"])
    assert len(row["prefix"]) == 8
    assert len(issued.secret) > 40
    assert not any(issued.secret in str(value) for value in row.values())
    # Nor does the audit entry of its issue carry it.
    event = AuditEvent.objects.get(action=AuditAction.TOKEN_ISSUED)
    assert issued.secret not in str(event.detail)


@pytest.mark.django_db
@pytest.mark.parametrize("scheme", ["Bearer", "Token", "bearer"])
def test_bearer_and_the_older_token_scheme_both_work(referrer, scheme):
    issued = _issue(referrer)

    response = _get(f"{scheme} {issued.secret}")

    assert response.status_code == 200
    assert response.json()["email"] == referrer.email


@pytest.mark.django_db
def test_a_new_token_expires_after_the_configured_days(referrer, settings):
    settings.API_TOKEN_EXPIRY_DAYS = 30
    issued = _issue(referrer)
    assert issued.token.expires_at - issued.token.created_at == pytest.approx(
        timedelta(days=30), abs=timedelta(seconds=5)
    )

    ApiToken.objects.filter(pk=issued.token.pk).update(expires_at=timezone.now())
    response = _get(f"Bearer {issued.secret}")

    assert response.status_code == 401
    assert response.json()["message"].startswith("The API token expired on ")
    assert response.json()["extra"] == {}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Bearer", "The Authorization header must hold one token."),
        ("Bearer  ", "The Authorization header must hold one token."),
        ("Bearer one two", "The Authorization header must hold one token."),
        ("Bearer sxr_not-a-real-token", "The API token is not valid."),
        ("Token 0123456789abcdef0123456789abcdef01234567", "The API token is not valid."),
        ("Bearer caf\u00e9", "The API token is not valid."),
        ("Basic dXNlcjpwYXNz", "Authentication credentials were not provided."),
        ("", "Authentication credentials were not provided."),
    ],
)
def test_bad_headers_get_401_in_the_one_error_shape_with_www_authenticate(
    referrer, header, message
):
    _issue(referrer)

    response = _get(header)

    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"message", "extra"}
    assert body["message"].startswith(message)
    assert response["WWW-Authenticate"].startswith('Bearer realm="socialrx API"')


@pytest.mark.django_db
def test_a_refused_token_is_named_invalid_in_www_authenticate(referrer):
    assert 'error="invalid_token"' in _get("Bearer sxr_wrong")["WWW-Authenticate"]
    assert "error" not in _get(None)["WWW-Authenticate"]


@pytest.mark.django_db
def test_a_revoked_token_is_refused(referrer):
    issued = _issue(referrer)
    api_token_revoke(token=issued.token, reason=RevocationReason.OWNER, actor=referrer)

    response = _get(f"Bearer {issued.secret}")

    assert response.status_code == 401
    assert response.json()["message"] == (
        "The API token has been revoked. Ask its owner for a new one."
    )


@pytest.mark.django_db
def test_first_use_is_audited_once_and_last_use_recorded(referrer):
    issued = _issue(referrer)

    for _ in range(3):
        assert _get(f"Bearer {issued.secret}", REMOTE_ADDR="192.0.2.7").status_code == 200

    first_uses = AuditEvent.objects.filter(action=AuditAction.TOKEN_FIRST_USED)
    assert [(e.actor, e.object_id, e.ip_address) for e in first_uses] == [
        (referrer, str(issued.token.pk), "192.0.2.7")
    ]
    issued.token.refresh_from_db()
    assert issued.token.last_used_at is not None


@pytest.mark.django_db
def test_a_user_deactivated_anywhere_loses_their_tokens_on_next_use(referrer):
    # Given a token, and the user deactivated by a path that knows nothing of tokens
    issued = _issue(referrer)
    referrer.is_active = False
    referrer.save()

    # When the token is used, it is refused
    assert _get(f"Bearer {issued.secret}").status_code == 401

    # And revoked, with the reason audited (no person did it)
    issued.token.refresh_from_db()
    assert issued.token.revoked_reason == RevocationReason.DEACTIVATED
    event = AuditEvent.objects.get(action=AuditAction.TOKEN_REVOKED)
    assert (event.actor, event.detail["reason"]) == (None, "deactivated")


@pytest.mark.django_db
def test_a_password_changed_anywhere_ends_tokens_issued_before_it(referrer):
    # Given two tokens, then a password change by a path that knows nothing of tokens
    before = _issue(referrer, "before")
    referrer.set_password("an entirely new passphrase 7")
    referrer.save()
    after = _issue(referrer, "after")

    # Then the older token is refused and revoked, the newer one works
    assert _get(f"Bearer {before.secret}").status_code == 401
    assert _get(f"Bearer {after.secret}").status_code == 200
    before.token.refresh_from_db()
    assert before.token.revoked_reason == RevocationReason.PASSWORD_CHANGED
    assert AuditEvent.objects.filter(
        action=AuditAction.TOKEN_REVOKED, detail__reason="password_changed"
    ).exists()


@pytest.mark.django_db
def test_signing_in_with_an_old_password_hash_does_not_end_tokens(client, referrer, settings):
    # Given a password stored with a hasher that sign-in upgrades
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    issued = _issue(referrer)
    assert referrer.password.startswith("md5$")

    # When the user signs in (Django rehashes the same password)
    assert client.login(username=referrer.email, password=TEST_PASSWORD)
    referrer.refresh_from_db()
    assert referrer.password.startswith("pbkdf2_sha256$")

    # Then the token still works: the password did not change
    assert _get(f"Bearer {issued.secret}").status_code == 200


@pytest.mark.django_db
def test_fhir_endpoints_refuse_a_bad_bearer_token_as_an_operation_outcome(referrer):
    response = _get("Bearer sxr_wrong", "/fhir/ServiceRequest/00000000-0000-0000-0000-000000000000")

    assert response.status_code == 401
    assert response.json()["resourceType"] == "OperationOutcome"
    assert response.json()["issue"][0]["code"] == "login"
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
def test_tokens_of_other_users_are_untouched_by_a_revocation(referrer, link_worker):
    mine, theirs = _issue(referrer), _issue(link_worker)
    referrer.set_password("an entirely new passphrase 7")
    referrer.save()

    assert _get(f"Bearer {mine.secret}").status_code == 401
    assert _get(f"Bearer {theirs.secret}").status_code == 200
    assert ApiToken.objects.filter(~Q(revoked_reason="")).count() == 1

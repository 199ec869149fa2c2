"""Second-factor secrets encrypted at rest (ASVS V6.5.2): the table read as an attacker
with a copy of the database would read it, and the people still signing in with codes."""

from __future__ import annotations

import io
import json
import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from socialrx.core import mfa_secrets
from socialrx.core.models import User
from socialrx.core.signin import totp_code, totp_enrol
from tests.core.pages import SIGNED_IN_ONLY
from tests.helpers.signin import SECRET, enter_code, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.password_only]

# allauth's recovery-code seed: 40 random bytes as 80 hex characters.
SEED = re.compile(r"[0-9a-f]{80}")


def stored_rows(user: User) -> list[str]:
    """mfa_authenticator.data as the database holds it, read with SQL."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator WHERE user_id = %s", [user.pk])
        return [row[0] if isinstance(row[0], str) else json.dumps(row[0]) for row in cursor]


def signs_in_with(user: User, code: str) -> bool:
    client = Client()
    sign_in(client, user)
    enter_code(client, code)
    return client.get(reverse(SIGNED_IN_ONLY)).status_code == 200


def test_the_table_holds_no_secret_in_clear_and_codes_still_sign_in(referrer):
    totp_enrol(referrer, SECRET)
    recovery = RecoveryCodes.activate(referrer)
    seed = mfa_secrets.decrypt(recovery.instance.data["seed"])

    rows = stored_rows(referrer)

    assert len(rows) == 2
    for row in rows:
        assert SECRET not in row
        assert seed not in row
        assert not SEED.search(row)
        assert mfa_secrets.PREFIX in row
    assert signs_in_with(referrer, totp_code(SECRET))
    assert signs_in_with(referrer, recovery.get_unused_codes()[0])


def test_secrets_stored_in_clear_before_encryption_are_encrypted_by_the_migration(referrer):
    # As allauth stored them before MFAAdapter.encrypt was overridden
    totp = Authenticator.objects.create(
        user=referrer, type=Authenticator.Type.TOTP, data={"secret": SECRET}
    )
    seed = "ab" * 40
    Authenticator.objects.create(
        user=referrer,
        type=Authenticator.Type.RECOVERY_CODES,
        data={"seed": seed, "used_mask": 0},
    )

    # The function migration 0010 runs, with the live model here
    assert mfa_secrets.encrypt_stored_secrets(Authenticator) == 2

    for row in stored_rows(referrer):
        assert SECRET not in row
        assert seed not in row
    totp.refresh_from_db()
    assert mfa_secrets.decrypt(totp.data["secret"]) == SECRET
    codes = RecoveryCodes(Authenticator.objects.get(user=referrer, type="recovery_codes"))
    assert signs_in_with(referrer, totp_code(SECRET))
    assert signs_in_with(referrer, codes.get_unused_codes()[0])


def test_a_secret_in_clear_written_behind_our_back_is_not_read():
    with pytest.raises(mfa_secrets.SecretNotReadable):
        mfa_secrets.decrypt(SECRET)


def test_rotating_the_key_keeps_every_factor_working(settings, referrer):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.MFA_ENCRYPTION_KEYS = [old]
    totp_enrol(referrer, SECRET)

    # The new key first, the old one kept to decrypt, then the command
    settings.MFA_ENCRYPTION_KEYS = [new, old]
    output = io.StringIO()
    call_command("mfa_encrypt_secrets", stdout=output)
    assert "Re-encrypted the secrets of 1 second factors" in output.getvalue()

    settings.MFA_ENCRYPTION_KEYS = [new]
    assert signs_in_with(referrer, totp_code(SECRET))
    settings.MFA_ENCRYPTION_KEYS = [old]
    stored = Authenticator.objects.get(user=referrer).data["secret"]
    with pytest.raises(mfa_secrets.SecretNotReadable):
        mfa_secrets.decrypt(stored)

"""Second-factor secrets encrypted at rest (ASVS V6.5.2, ADR 0032).

allauth keeps each authenticator app's TOTP secret and the seed the recovery codes are
derived from in ``mfa_authenticator.data``, passing them through ``MFAAdapter.encrypt``
and ``decrypt`` (``socialrx.core.signin.MFAAdapter``), which call these functions.
Whoever reads that table, or a backup of it, without ``MFA_ENCRYPTION_KEY`` learns
nothing that makes a code.

Fernet (AES-128-CBC with HMAC-SHA256, from ``cryptography``) with a ``MultiFernet`` for
rotation: the first key of ``MFA_ENCRYPTION_KEYS`` encrypts, every key decrypts.
``encrypt_stored_secrets`` brings every stored value to the first key: the migration
that introduced encryption runs it, and ``manage.py mfa_encrypt_secrets`` after a key
changes (README, "Signing in").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

# Marks a stored value as ours: a value without it is clear text from before encryption,
# whatever key is configured now (so the migration never encrypts twice).
PREFIX = "fernet:"


class SecretNotReadable(Exception):
    """A stored value is not encrypted, or not with any configured key."""


def _fernet() -> MultiFernet:
    keys = settings.MFA_ENCRYPTION_KEYS
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            "MFA_ENCRYPTION_KEY (and MFA_ENCRYPTION_OLD_KEYS) must be Fernet keys: 32 random "
            "bytes, URL-safe base64 (see .env.example)"
        ) from error


def encrypt(text: str) -> str:
    return PREFIX + _fernet().encrypt(text.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        # Refused rather than passed through: a clear value written into the table
        # behind our back must not become a working factor.
        raise SecretNotReadable("a second-factor secret is stored without encryption")
    try:
        return _fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken as error:
        raise SecretNotReadable(
            "a second-factor secret is encrypted with a key that is not configured"
        ) from error


def _current(stored: str) -> str:
    """The stored value encrypted with the first key (clear values are encrypted)."""
    if not stored.startswith(PREFIX):
        return encrypt(stored)
    token = stored[len(PREFIX) :].encode()
    try:
        return PREFIX + _fernet().rotate(token).decode()
    except InvalidToken as error:
        raise SecretNotReadable(
            "a second-factor secret is encrypted with a key that is not configured: add the "
            "old key to MFA_ENCRYPTION_OLD_KEYS"
        ) from error


def _reencrypted(data: dict[str, Any]) -> dict[str, Any]:
    # The fields allauth passes through encrypt(): the TOTP secret, the recovery-code seed,
    # and codes carried over from an older allauth. WebAuthn holds only public keys.
    data = dict(data)
    for field in ("secret", "seed"):
        if isinstance(data.get(field), str):
            data[field] = _current(data[field])
    if isinstance(data.get("migrated_codes"), list):
        data["migrated_codes"] = [_current(code) for code in data["migrated_codes"]]
    return data


def _decrypted(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    for field in ("secret", "seed"):
        if isinstance(data.get(field), str) and data[field].startswith(PREFIX):
            data[field] = decrypt(data[field])
    if isinstance(data.get("migrated_codes"), list):
        data["migrated_codes"] = [
            decrypt(code) if code.startswith(PREFIX) else code for code in data["migrated_codes"]
        ]
    return data


def encrypt_stored_secrets(authenticator_model: Any) -> int:
    """Encrypt every stored secret with the current key; returns how many rows changed.
    Takes the model so the migration can pass its historical one."""
    return _rewrite_rows(authenticator_model, _reencrypted)


def decrypt_stored_secrets(authenticator_model: Any) -> int:
    """Back to clear text: only for reversing the migration (allauth without our adapter
    reads secrets as stored)."""
    return _rewrite_rows(authenticator_model, _decrypted)


@transaction.atomic
def _rewrite_rows(
    authenticator_model: Any, rewrite: Callable[[dict[str, Any]], dict[str, Any]]
) -> int:
    changed = 0
    for authenticator in authenticator_model.objects.all().iterator():
        data = rewrite(authenticator.data)
        if data != authenticator.data:
            authenticator_model.objects.filter(pk=authenticator.pk).update(data=data)
            changed += 1
    return changed

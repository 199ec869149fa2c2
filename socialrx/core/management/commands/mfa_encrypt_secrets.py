"""Re-encrypt every stored second-factor secret with the current MFA_ENCRYPTION_KEY.

Run after changing the key, with the old one still in MFA_ENCRYPTION_OLD_KEYS; once it
has run, the old key can be dropped (README, "Signing in"; ADR 0032).
"""

from typing import Any

from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand, CommandError

from socialrx.core import mfa_secrets


class Command(BaseCommand):
    help = "Re-encrypt TOTP secrets and recovery-code seeds with the current MFA_ENCRYPTION_KEY."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            changed = mfa_secrets.encrypt_stored_secrets(Authenticator)
        except mfa_secrets.SecretNotReadable as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Re-encrypted the secrets of {changed} second factors.")

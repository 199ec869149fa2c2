"""Encrypt the TOTP secrets and recovery-code seeds allauth stored in clear (ASVS V6.5.2,
ADR 0032) with MFA_ENCRYPTION_KEY. Reversing decrypts them again, for the code before
``MFAAdapter.encrypt`` was overridden."""

from django.db import migrations

from socialrx.core import mfa_secrets


def encrypt(apps, schema_editor):
    mfa_secrets.encrypt_stored_secrets(apps.get_model("mfa", "Authenticator"))


def decrypt(apps, schema_editor):
    mfa_secrets.decrypt_stored_secrets(apps.get_model("mfa", "Authenticator"))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0010_notification_delivery_receipts"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt)]

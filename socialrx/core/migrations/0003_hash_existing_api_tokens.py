"""Hash the plain-text tokens of DRF's authtoken app into ApiToken, then delete them.

rest_framework.authtoken is no longer installed, so its table is read with SQL when it
exists (databases made before this change). Each token keeps working, now checked
against its SHA-256 digest, for API_TOKEN_EXPIRY_DAYS from this migration; its owner
sees it as "Token from before hashing" and can revoke it. The plain-text rows are
deleted so no secret stays at rest; the emptied table is left for Django's records.
Reversing this cannot bring the plain text back, so it does nothing.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone

LEGACY_TABLE = "authtoken_token"
LEGACY_NAME = "Token from before hashing"


def hash_legacy_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if LEGACY_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("core", "ApiToken")
    quoted = schema_editor.quote_name(LEGACY_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {schema_editor.quote_name('key')}, user_id, created FROM {quoted}")
        rows = cursor.fetchall()
    expires_at = timezone.now() + timedelta(days=settings.API_TOKEN_EXPIRY_DAYS)
    for key, user_id, created in rows:
        token = ApiToken.objects.create(
            user_id=user_id,
            name=LEGACY_NAME,
            prefix=key[:8],
            digest=hashlib.sha256(key.encode()).hexdigest(),
            expires_at=expires_at,
        )
        # created_at is auto_now_add: keep the token's real age with an update.
        ApiToken.objects.filter(pk=token.pk).update(created_at=created)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {quoted}")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_api_tokens")]

    operations = [migrations.RunPython(hash_legacy_tokens, migrations.RunPython.noop)]

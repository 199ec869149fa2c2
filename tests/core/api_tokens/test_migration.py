"""The data migration that hashes DRF's plain-text tokens, run on a table like theirs."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection
from rest_framework.test import APIClient

from socialrx.core.api_tokens.models import ApiToken

migration = importlib.import_module("socialrx.core.migrations.0003_hash_existing_api_tokens")
LEGACY_KEY = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"  # DRF's 40 hex characters


@pytest.mark.django_db(transaction=True)
def test_plain_text_tokens_are_hashed_keep_working_and_leave_no_secret(referrer):
    # Given a database from before: users with no password change time (the column is
    # new) and DRF's token table holding a key in plain text
    type(referrer).objects.filter(pk=referrer.pk).update(password_changed_at=None)
    with connection.schema_editor() as editor:
        editor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "created timestamp with time zone NOT NULL, user_id bigint NOT NULL)"
            if connection.vendor == "postgresql"
            else "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "created datetime NOT NULL, user_id bigint NOT NULL)"
        )
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
                [LEGACY_KEY, "2025-06-01 09:00:00+00:00", referrer.pk],
            )

        # When the migration runs
        with connection.schema_editor() as editor:
            migration.hash_legacy_tokens(apps, editor)

        # Then the plain text is gone, the token is listed for its owner, and still works
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM authtoken_token")
            assert cursor.fetchone()[0] == 0
        token = ApiToken.objects.get(user=referrer)
        assert (token.name, token.prefix) == ("Token from before hashing", LEGACY_KEY[:8])
        assert token.created_at.year == 2025
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {LEGACY_KEY}")
        assert client.get("/api/v1/me/").status_code == 200
    finally:
        with connection.schema_editor() as editor:
            editor.execute("DROP TABLE authtoken_token")


@pytest.mark.django_db(transaction=True)
def test_a_database_without_the_old_table_is_left_alone(referrer):
    with connection.schema_editor() as editor:
        migration.hash_legacy_tokens(apps, editor)
    assert not ApiToken.objects.exists()

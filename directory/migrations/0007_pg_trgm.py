"""pg_trgm for typo-tolerant search (directory/synonyms.py), where the database allows.

pg_trgm is a trusted extension from PostgreSQL 13: a database owner may create it. A
database user who may not gets a warning and search without typo tolerance (the
difflib fallback), not a failed deploy. Nothing on SQLite.
"""

import logging

from django.db import migrations

logger = logging.getLogger(__name__)


def create_pg_trgm(apps, schema_editor):  # noqa: ARG001
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SAVEPOINT pg_trgm")
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception as error:  # noqa: BLE001 - any refusal leaves search working
            cursor.execute("ROLLBACK TO SAVEPOINT pg_trgm")
            logger.warning("pg_trgm not created (%s): search corrects typos by difflib", error)
        else:
            cursor.execute("RELEASE SAVEPOINT pg_trgm")


class Migration(migrations.Migration):
    dependencies = [("directory", "0006_location_latitude_longitude_index")]

    operations = [migrations.RunPython(create_pg_trgm, migrations.RunPython.noop, elidable=False)]

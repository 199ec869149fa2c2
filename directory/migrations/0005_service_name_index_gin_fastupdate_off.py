"""An index for the ORUK list's order, and a search index that is never scanned as a list.

``/oruk/services`` sorted every published service on each request; it now reads fresh,
then stale, services a page at a time from the (name, id) index (directory.search).

The GIN index of migration 0004 was created with ``fastupdate`` on, PostgreSQL's default:
new rows wait in a pending list that every search scans row by row until a vacuum
merges it. After a bulk load, or wherever autovacuum is off or behind, that list holds
every service (10,000 at county scale: 5 ms per search, the whole of a selective
term's plan). The directory is read far more than it is written, so new rows go
straight into the index, and the list already pending is merged now.
"""

from django.db import migrations, models

FASTUPDATE_OFF = """
ALTER INDEX directory_service_search_document_gin SET (fastupdate = off);
SELECT gin_clean_pending_list('directory_service_search_document_gin'::regclass);
"""
FASTUPDATE_ON = "ALTER INDEX directory_service_search_document_gin SET (fastupdate = on);"


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_service_search_document")]

    operations = [
        migrations.AddIndex(
            model_name="service",
            index=models.Index(fields=["name", "id"], name="directory_s_name_ee290b_idx"),
        ),
        migrations.RunPython(_on_postgresql(FASTUPDATE_OFF), _on_postgresql(FASTUPDATE_ON)),
    ]

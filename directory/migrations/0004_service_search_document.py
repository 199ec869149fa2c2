"""A stored full-text document for each service, with a GIN index (PostgreSQL only).

Searching computed ``to_tsvector`` over every description on each request: 0.3-1 s per
query at 10,000 services (docs/performance.md). A generated column keeps the document
up to date without any code on save; the model does not declare it (SQLite, used
locally and in the suite, has no tsvector), and ``directory.search`` reads it only on
PostgreSQL. The expression must match ``directory.search.SEARCH_CONFIG``.
"""

from django.db import migrations

ADD = """
ALTER TABLE directory_service ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce(name, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'B')
) STORED;
CREATE INDEX directory_service_search_document_gin
    ON directory_service USING gin (search_document);
"""
DROP = """
DROP INDEX IF EXISTS directory_service_search_document_gin;
ALTER TABLE directory_service DROP COLUMN IF EXISTS search_document;
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_listing_reminder")]

    operations = [migrations.RunPython(_on_postgresql(ADD), _on_postgresql(DROP))]

"""Schema changes that large tables need done without blocking writes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.migrations.operations import AddIndex


class AddIndexWithoutLocking(AddIndex):
    """``AddIndex`` as ``CREATE INDEX CONCURRENTLY`` on PostgreSQL, and a plain index
    elsewhere (SQLite has no such option and no concurrent writers to block).

    A plain ``CREATE INDEX`` holds off every insert into the table while it builds: on
    the audit table, every page that shows a person, for as long as an index over
    billions of entries takes (docs/scaling.md). Django's own ``AddIndexConcurrently`` is
    PostgreSQL's alone. The migration must be ``atomic = False``."""

    atomic = False

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        self._change(schema_editor, model, schema_editor.add_index)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = from_state.apps.get_model(app_label, self.model_name)
        self._change(schema_editor, model, schema_editor.remove_index)

    def _change(self, schema_editor: Any, model: Any, change: Callable[..., None]) -> None:
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        if schema_editor.connection.vendor == "postgresql":
            change(model, self.index, concurrently=True)
        else:
            change(model, self.index)

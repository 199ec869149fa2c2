"""Apply the retention schedule now, or with --dry-run see what it would remove.

The nightly Celery task does the same; this is for the IG lead's first look and for
checking a changed schedule before the night it takes effect.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from socialrx.core.data_protection.services import retention_apply


class Command(BaseCommand):
    help = "Delete or anonymise records past their retention period (see --dry-run)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what is due; change nothing."
        )
        parser.add_argument("--as-of", help="Measure from this day (YYYY-MM-DD), not today.")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = None
        if options["as_of"]:
            try:
                as_of = datetime.date.fromisoformat(options["as_of"])
            except ValueError as exc:
                raise CommandError(f"--as-of must be a date as YYYY-MM-DD: {exc}") from exc
        run = retention_apply(today=as_of, dry_run=options["dry_run"])
        verb = "would remove" if run.dry_run else "removed"
        for record_type, count in run.counts.items():
            self.stdout.write(f"{record_type}: {verb} {count}")
        self.stdout.write(f"Total {verb}: {run.total} (run {run.pk} as of {run.as_of})")

"""``python manage.py import_census_ethnicity census2021-ts021-lsoa.csv``: usual residents
by ethnic group from the Census 2021 TS021 bulk download (Nomis), for LSOAs or local
authorities; see outcomes.services.geography for the layout."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from outcomes.services.geography import census_ethnicity_import, read_table


class Command(BaseCommand):
    help = "Import Census 2021 population by ethnic group (TS021, Nomis bulk CSV)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path of the TS021 CSV file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = census_ethnicity_import(rows=read_table(options["file"]))
        except (OSError, ValidationError) as error:
            raise CommandError(_message(error)) from error
        self.stdout.write(
            f"{result.areas} areas, {result.rows} figures; "
            f"{result.skipped} rows of other geographies skipped"
        )


def _message(error: Exception) -> str:
    return "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)

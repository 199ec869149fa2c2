"""``python manage.py import_postcode_lsoa NSPL21_FEB_2024_UK.csv --areas NN``: each
postcode's 2011 and 2021 LSOA and local authority, from the ONS postcode directories
(NSPL or ONSPD), so people and services can be placed in an area without storing more."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from outcomes.management.commands.import_census_ethnicity import _message
from outcomes.services.geography import postcode_lookup_import, read_table


class Command(BaseCommand):
    help = "Import a postcode to LSOA lookup (ONS NSPL or ONSPD CSV)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path of the NSPL or ONSPD CSV file")
        parser.add_argument(
            "--areas",
            default="",
            help="Only these postcode areas, comma separated (e.g. NN,MK); default all",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = postcode_lookup_import(
                rows=read_table(options["file"]), postcode_areas=options["areas"].split(",")
            )
        except (OSError, ValidationError) as error:
            raise CommandError(_message(error)) from error
        self.stdout.write(f"{result.rows} postcodes; {result.skipped} outside the areas skipped")

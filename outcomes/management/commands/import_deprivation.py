"""``python manage.py import_deprivation File_1_-_IMD2019_Index_of_Multiple_Deprivation.xlsx``:
IMD 2019 ranks and deciles by 2011 LSOA, from File 1 as published (Excel) or saved as CSV."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from outcomes.management.commands.import_census_ethnicity import _message
from outcomes.services.geography import deprivation_import, read_table


class Command(BaseCommand):
    help = "Import the English Indices of Deprivation 2019 (File 1: IMD rank and decile)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path of File 1 (.xlsx or .csv)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = deprivation_import(rows=read_table(options["file"]))
        except (OSError, ValidationError) as error:
            raise CommandError(_message(error)) from error
        self.stdout.write(f"{result.areas} LSOAs with an IMD decile")

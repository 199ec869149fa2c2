"""``python manage.py import_practice_populations gp-reg-pat-prac-sing-age.csv``: practice
list sizes, sex and age band figures from NHS Digital's "Patients Registered at a GP
Practice" (see outcomes.services.populations for the format)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from outcomes.services.populations import parse_date, practice_populations_import, read_csv


class Command(BaseCommand):
    help = "Import practice list sizes and populations (NHS Digital format) from a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv", help="Path of the CSV file")
        parser.add_argument(
            "--as-of",
            type=_date,
            help="The date the figures are for (default: the file's EXTRACT_DATE)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = practice_populations_import(
                rows=read_csv(options["csv"]), as_of=options["as_of"]
            )
        except (OSError, ValidationError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{result.figures} figures for {result.practices} practices as of {result.as_of} "
            f"({result.created} new, {result.changed} changed, {result.removed} removed); "
            f"{len(result.skipped_practices)} practices in the file are not ours and were skipped"
        )


def _date(value: str) -> datetime.date:
    try:
        return parse_date(value)
    except ValueError as error:
        raise CommandError(str(error)) from error

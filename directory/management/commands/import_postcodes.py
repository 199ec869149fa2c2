"""Load postcode centroids for distance searches.

Takes the ONS Postcode Directory CSV (columns ``pcds``, ``lat``, ``long``; rows
without a location are skipped) or a smaller district centroid CSV (``postcode``,
``latitude``, ``longitude``), such as ``demo/data/northshire_postcode_districts.csv``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from directory.services import postcodes_import

COLUMNS = [("pcds", "lat", "long"), ("postcode", "latitude", "longitude")]
# The ONS directory marks postcodes with no known location with this latitude.
ONS_NO_LOCATION = 99.999999


def read_centroids(path: Path) -> Iterator[tuple[str, float, float]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = set(reader.fieldnames or [])
        columns = next((c for c in COLUMNS if set(c) <= header), None)
        if columns is None:
            raise CommandError(f"Expected columns {COLUMNS[0]} or {COLUMNS[1]} in {path}")
        name, lat, lon = columns
        for row in reader:
            try:
                latitude, longitude = float(row[lat]), float(row[lon])
            except ValueError:
                continue
            if latitude >= ONS_NO_LOCATION:
                continue
            yield row[name], latitude, longitude


class Command(BaseCommand):
    help = "Load postcode or postcode-district centroids from a CSV file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("csv_path", type=Path)

    def handle(self, *args: Any, csv_path: Path, **options: Any) -> None:
        if not csv_path.exists():
            raise CommandError(f"No such file: {csv_path}")
        count = postcodes_import(rows=read_centroids(csv_path))
        self.stdout.write(f"Loaded {count} postcode centroids.")

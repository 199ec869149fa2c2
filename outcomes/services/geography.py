"""Import the published small-area files, each in the layout its publisher uses:

- Census 2021 TS021 "Ethnic group" (Nomis bulk download, one row per area, one column
  per category, headed ``Ethnic group: <broad>: <detailed>``), for 2021 LSOAs or local
  authorities. The 19 detailed categories are added up into the NHS ethnic category
  codes (the Data Dictionary's A-S); the broad sub-total columns are not read, so
  nobody is counted twice.
- English Indices of Deprivation 2019, File 1 (``LSOA code (2011)``, ``Index of Multiple
  Deprivation (IMD) Decile`` ...), as CSV or as the published Excel workbook.
- ONS postcode directories (NSPL or ONSPD: ``pcds`` or ``pcd``, ``lsoa21`` and/or
  ``lsoa11``, ``laua`` or ``oslaua``). A national file has 2.7 million rows: it is read
  as a stream and written in batches, optionally only for some postcode areas.

Each import replaces the rows for the areas in the file and leaves others alone, so a
second run of the same file changes nothing.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from directory.models import PostcodeArea
from outcomes.models import AreaPopulation, AreaType, Deprivation
from referrals.models import normalise_postcode

# Census 2021 detailed ethnic groups (the header's last part) -> NHS ethnic category.
CENSUS_TO_NHS = {
    "english, welsh, scottish, northern irish or british": "A",
    "irish": "B",
    "gypsy or irish traveller": "C",
    "roma": "C",
    "other white": "C",
    "white and black caribbean": "D",
    "white and black african": "E",
    "white and asian": "F",
    "other mixed or multiple ethnic groups": "G",
    "indian": "H",
    "pakistani": "J",
    "bangladeshi": "K",
    "other asian": "L",
    "caribbean": "M",
    "african": "N",
    "other black": "P",
    "chinese": "R",
    "arab": "S",
    "any other ethnic group": "S",
}
CENSUS_TOTAL = "all usual residents"
LSOA_PREFIXES = ("E01", "W01")
LAD_PREFIXES = ("E06", "E07", "E08", "E09", "W06")
AREA_CODE = re.compile(r"^[EW]\d{8}$")

IMD_LSOA = "lsoa code (2011)"
IMD_DECILE = "index of multiple deprivation (imd) decile"
IMD_RANK = "index of multiple deprivation (imd) rank"
IMD_OPTIONAL = {
    "lsoa_name": "lsoa name (2011)",
    "lad_code": "local authority district code (2019)",
    "lad_name": "local authority district name (2019)",
}
BATCH = 5000


@dataclass
class GeographyImport:
    rows: int = 0
    areas: int = 0
    skipped: int = 0


def read_table(path: str) -> Iterator[dict[str, str]]:
    """Rows of a CSV file or of an Excel workbook's data sheet, keyed by the column name
    in lower case. An Excel file's sheet is the first whose header row names an LSOA
    code (IMD File 1's is ``IMD2019``, after a notes sheet)."""
    if Path(path).suffix.lower() in (".xlsx", ".xlsm"):
        yield from _read_xlsx(path)
        return
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = [name.strip().lower() for name in next(reader, [])]
        for row in reader:
            yield dict(zip(header, (value.strip() for value in row), strict=False))


def _read_xlsx(path: str) -> Iterator[dict[str, str]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header = [str(v or "").strip().lower() for v in next(rows, ())]
            if not any("lsoa code" in name for name in header):
                continue
            for values in rows:
                yield {
                    name: "" if value is None else str(value).strip()
                    for name, value in zip(header, values, strict=False)
                }
            return
        raise ValidationError("No sheet of the workbook has an LSOA code column.")
    finally:
        book.close()


def _require(columns: Iterable[str], needed: Iterable[str]) -> None:
    missing = [name for name in needed if name not in set(columns)]
    if missing:
        raise ValidationError(f"Missing column(s): {', '.join(missing)}")


def _count(value: str, line: int, column: str) -> int:
    try:
        number = int(float(value.replace(",", "")))
    except ValueError as error:
        raise ValidationError(f"Line {line}: {column!r} is not a number: {value!r}") from error
    if number < 0:
        raise ValidationError(f"Line {line}: {column!r} is negative")
    return number


# --- Census 2021 TS021 -------------------------------------------------------------------


def census_columns(header: Iterable[str]) -> tuple[str, dict[str, str]]:
    """The total column and {column: NHS code} for the detailed categories."""
    total = ""
    detailed: dict[str, str] = {}
    for name in header:
        parts = [p.strip() for p in name.split(":")]
        if len(parts) < 2 or parts[0] != "ethnic group":
            continue
        if parts[-1] == CENSUS_TOTAL:
            total = name
        elif len(parts) == 3 and parts[-1] in CENSUS_TO_NHS:
            detailed[name] = CENSUS_TO_NHS[parts[-1]]
    found = {name.split(":")[-1].strip() for name in detailed}
    missing = sorted(set(CENSUS_TO_NHS) - found)
    if not total or missing:
        raise ValidationError(
            "Not a Census 2021 TS021 file: missing column(s) "
            + ", ".join(([] if total else ["Ethnic group: Total: All usual residents"]) + missing)
        )
    return total, detailed


def _area_type(code: str) -> str | None:
    if code.startswith(LSOA_PREFIXES):
        return AreaType.LSOA21
    if code.startswith(LAD_PREFIXES):
        return AreaType.LAD
    return None


@transaction.atomic
def census_ethnicity_import(*, rows: Iterable[dict[str, str]]) -> GeographyImport:
    """Replace the population figures of every LSOA or local authority in ``rows``.
    Other geographies of the same download (regions, England) are skipped."""
    result = GeographyImport()
    columns: tuple[str, dict[str, str]] | None = None
    figures: list[AreaPopulation] = []
    for line, row in enumerate(rows, start=2):
        if columns is None:
            _require(row, ["geography code"])
            columns = census_columns(row)
        total, detailed = columns
        code = row["geography code"].upper()
        area_type = _area_type(code)
        if area_type is None or not AREA_CODE.match(code):
            result.skipped += 1
            continue
        by_group: dict[str, int] = {"": _count(row[total], line, total)}
        for column, group in detailed.items():
            by_group[group] = by_group.get(group, 0) + _count(row[column], line, column)
        name = row.get("geography", "")
        figures += [
            AreaPopulation(area_code=code, area_type=area_type, area_name=name, group=g, people=n)
            for g, n in by_group.items()
        ]
        result.areas += 1
    codes = {f.area_code for f in figures}
    AreaPopulation.objects.filter(area_code__in=codes).delete()
    AreaPopulation.objects.bulk_create(figures, batch_size=BATCH)
    result.rows = len(figures)
    return result


# --- IMD 2019 File 1 ---------------------------------------------------------------------


@transaction.atomic
def deprivation_import(*, rows: Iterable[dict[str, str]]) -> GeographyImport:
    """Replace the IMD rank and decile of every 2011 LSOA in ``rows``."""
    result = GeographyImport()
    found: list[Deprivation] = []
    for line, row in enumerate(rows, start=2):
        if line == 2:
            _require(row, [IMD_LSOA, IMD_RANK, IMD_DECILE])
        code = row[IMD_LSOA].upper()
        if not code:
            result.skipped += 1
            continue
        if not AREA_CODE.match(code):
            raise ValidationError(f"Line {line}: not an LSOA code: {code!r}")
        decile = _count(row[IMD_DECILE], line, IMD_DECILE)
        if not 1 <= decile <= 10:
            raise ValidationError(f"Line {line}: the IMD decile must be 1 to 10, not {decile}")
        extra = {field: row.get(column, "") for field, column in IMD_OPTIONAL.items()}
        found.append(
            Deprivation(
                lsoa11=code, rank=_count(row[IMD_RANK], line, IMD_RANK), decile=decile, **extra
            )
        )
    Deprivation.objects.filter(lsoa11__in=[d.lsoa11 for d in found]).delete()
    Deprivation.objects.bulk_create(found, batch_size=BATCH)
    result.rows = result.areas = len(found)
    return result


# --- NSPL / ONSPD --------------------------------------------------------------------------


def _first(row: dict[str, str], *names: str) -> str:
    return next((row[name] for name in names if name in row), "")


@transaction.atomic
def postcode_lookup_import(
    *, rows: Iterable[dict[str, str]], postcode_areas: Iterable[str] = ()
) -> GeographyImport:
    """Replace the LSOAs and local authority of every postcode in ``rows`` (only those
    in ``postcode_areas``, such as ``NN``, when given)."""
    wanted = {a.strip().upper() for a in postcode_areas if a.strip()}
    result = GeographyImport()
    batch: list[PostcodeArea] = []
    for line, row in enumerate(rows, start=2):
        if line == 2:
            if "pcds" not in row and "pcd" not in row:
                raise ValidationError("Missing column(s): pcds (or pcd)")
            if "lsoa21" not in row and "lsoa11" not in row:
                raise ValidationError("Missing column(s): lsoa21 or lsoa11")
        postcode = normalise_postcode(_first(row, "pcds", "pcd"))
        if not postcode or (wanted and _postcode_area(postcode) not in wanted):
            result.skipped += 1
            continue
        batch.append(
            PostcodeArea(
                postcode=postcode,
                lsoa11=row.get("lsoa11", "").upper(),
                lsoa21=row.get("lsoa21", "").upper(),
                lad_code=_first(row, "laua", "oslaua", "lad21cd", "lad23cd").upper(),
            )
        )
        if len(batch) >= BATCH:
            result.rows += _save_postcodes(batch)
            batch = []
    result.rows += _save_postcodes(batch)
    result.areas = result.rows
    return result


def _postcode_area(postcode: str) -> str:
    """The letters before the first digit: ``NN`` of ``NN1 1AA``."""
    return re.split(r"\d", postcode, maxsplit=1)[0]


def _save_postcodes(batch: list[PostcodeArea]) -> int:
    if batch:
        PostcodeArea.objects.bulk_create(
            batch,
            update_conflicts=True,
            unique_fields=["postcode"],
            update_fields=["lsoa11", "lsoa21", "lad_code"],
        )
    return len(batch)

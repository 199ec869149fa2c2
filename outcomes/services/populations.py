"""Practice list sizes and populations from NHS Digital's "Patients Registered at a GP
Practice" files, for the reach and equity report's rates per 1,000 patients.

The files are long: one row per practice, sex (ALL, MALE, FEMALE) and age (ALL, a single
year, 95+), with ``CODE`` the practice's ODS code and ``NUMBER_OF_PATIENTS``. A national
file lists every practice in England, so rows of practices we do not hold are counted
and skipped, and the file is read once, as a stream. Single years of age are added up
into the age bands the reach report uses; an age already given as one of those bands
("18-24") is taken as it is. Each practice in the file has its list size, sex and age
figures replaced; its ethnic group figures (not in these files) are kept.
"""

from __future__ import annotations

import csv
import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from outcomes.models import PopulationDimension, PracticePopulation
from outcomes.reports.reach import AGE_BANDS, OLDEST_BAND
from referrals.codes import Sex
from socialrx.core.models import Organisation, OrganisationType

REQUIRED = ("CODE", "SEX", "AGE", "NUMBER_OF_PATIENTS")
SEXES = {"MALE": Sex.MALE.value, "FEMALE": Sex.FEMALE.value}
BAND_LABELS = {label for _, label in AGE_BANDS} | {OLDEST_BAND}
DATE_FORMATS = ("%Y-%m-%d", "%d%b%Y", "%d/%m/%Y")
Key = tuple[str, str]  # (dimension, group)
# What these files hold; ethnic group figures come from elsewhere and are kept.
REPLACED = [PopulationDimension.ALL, PopulationDimension.SEX, PopulationDimension.AGE_BAND]


@dataclass
class PopulationImport:
    practices: int = 0
    figures: int = 0
    skipped_practices: set[str] = field(default_factory=set)
    as_of: datetime.date | None = None
    created: int = 0
    changed: int = 0
    removed: int = 0


def age_band(age: str) -> str:
    """The reach report's band for a single year of age ("42", "95+") or a band label."""
    if age in BAND_LABELS:
        return age
    match = re.fullmatch(r"(\d+)\+?", age)
    if not match:
        raise ValueError(f"not an age: {age!r}")
    years = int(match.group(1))
    return next((label for limit, label in AGE_BANDS if years < limit), OLDEST_BAND)


def parse_date(value: str) -> datetime.date:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value.strip().title(), fmt).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise ValueError(f"not a date: {value!r}")


def _figures(
    rows: Iterable[dict[str, str]], known: set[str], result: PopulationImport
) -> dict[str, dict[Key, int]]:
    """Per known practice: (dimension, group) -> people, ages by sex kept apart so that a
    file with both ALL and per-sex age rows is not counted twice."""
    totals: dict[str, dict[Key, int]] = defaultdict(lambda: defaultdict(int))
    ages: dict[str, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    for line, row in enumerate(rows, start=2):
        if row.get("TYPE", "GP").strip().upper() not in ("GP", ""):
            continue  # national and regional rows of the same file
        code = row["CODE"].strip().upper()
        if code not in known:
            result.skipped_practices.add(code)
            continue
        sex, age = row["SEX"].strip().upper(), row["AGE"].strip().upper()
        try:
            people = int(row["NUMBER_OF_PATIENTS"])
            if people < 0:
                raise ValueError("a negative count")
            if result.as_of is None and row.get("EXTRACT_DATE"):
                result.as_of = parse_date(row["EXTRACT_DATE"])
            if age == "ALL" and sex == "ALL":
                totals[code][(PopulationDimension.ALL, "")] += people
            elif age == "ALL":
                totals[code][(PopulationDimension.SEX, SEXES[sex])] += people
            else:
                ages[code][sex][age_band(age.lower())] += people
        except (KeyError, ValueError) as error:
            raise ValidationError(f"Line {line}: {error}") from error
    for code, by_sex in ages.items():
        # The ALL rows if the file has them, else male and female added together.
        sexes = [by_sex["ALL"]] if "ALL" in by_sex else list(by_sex.values())
        for counts in sexes:
            for band, people in counts.items():
                totals[code][(PopulationDimension.AGE_BAND, band)] += people
    return totals


@transaction.atomic
def practice_populations_import(
    *, rows: Iterable[dict[str, str]], as_of: datetime.date | None = None
) -> PopulationImport:
    """Replace the list size, sex and age band figures of each of our practices in
    ``rows`` (dicts keyed by the file's column names). All or nothing."""
    practices = {
        p.ods_code.upper(): p
        for p in Organisation.objects.of_type(OrganisationType.GP_PRACTICE).exclude(ods_code="")
    }
    result = PopulationImport(as_of=as_of)
    figures = _figures(rows, set(practices), result)
    if not figures:
        return result
    if result.as_of is None:
        raise ValidationError("The file has no EXTRACT_DATE: give the date the figures are for.")
    _save(figures, practices, result, result.as_of)
    return result


def _save(
    figures: dict[str, dict[Key, int]],
    practices: dict[str, Organisation],
    result: PopulationImport,
    as_of: datetime.date,
) -> None:
    """Create, change or remove rows so the practices' figures are the file's. Rows that
    already hold the same figure are left alone, so importing a file again changes
    nothing (the demo seeder relies on that)."""
    by_id = {practices[code].pk: code for code in figures}
    existing = {
        (by_id[row.practice_id], row.dimension, row.group): row
        for row in PracticePopulation.objects.filter(
            practice__in=list(by_id), dimension__in=REPLACED
        )
    }
    changed, new = [], []
    now = timezone.now()
    for code, counts in figures.items():
        for (dimension, group), people in counts.items():
            row = existing.pop((code, dimension, group), None)
            if row is None:
                new.append(
                    PracticePopulation(
                        practice=practices[code],
                        dimension=dimension,
                        group=group,
                        people=people,
                        as_of=as_of,
                    )
                )
            elif (row.people, row.as_of) != (people, as_of):
                row.people, row.as_of, row.updated_at = people, as_of, now
                changed.append(row)
    PracticePopulation.objects.filter(pk__in=[row.pk for row in existing.values()]).delete()
    PracticePopulation.objects.bulk_create(new)
    PracticePopulation.objects.bulk_update(changed, ["people", "as_of", "updated_at"])
    result.practices = len(figures)
    result.figures = sum(len(counts) for counts in figures.values())
    result.created, result.changed, result.removed = len(new), len(changed), len(existing)


def read_csv(path: str) -> Iterable[dict[str, str]]:
    """The file's rows with upper-case column names; fails before reading on with a
    missing column."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        columns = {name.strip().upper() for name in reader.fieldnames or []}
        missing = [name for name in REQUIRED if name not in columns]
        if missing:
            raise ValidationError(f"Missing column(s): {', '.join(missing)}")
        for row in reader:
            yield {key.strip().upper(): (value or "") for key, value in row.items() if key}

"""Northshire demo data for outcomes: the SWEMWBS licence, published-style practice
populations (the sample file in demo/data/), a tariff, and measures with realistic
change on the demo cases. Idempotent: looks records up by natural keys and creates only
what is missing."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from demo.files import data_path
from demo.seeds.history import seed_history
from linkworkers.models import Case
from outcomes import codes
from outcomes.models import (
    Measure,
    MeasureLicence,
    MeasureRecord,
    OutcomeTariff,
    TariffOutcome,
)
from outcomes.services.measures import measure_record_create, measures_sync_builtin
from outcomes.services.populations import practice_populations_import, read_csv
from socialrx.core.models import Organisation, OrganisationType

# "Patients Registered at a GP Practice" for the six Northshire practices, in NHS
# Digital's layout (single years of age by sex), with invented figures.
POPULATIONS_CSV = data_path("northshire_practice_populations.csv")
# Census 2021 TS021, IMD 2019 File 1 and NSPL, in the published layouts, for Northshire's
# invented LSOAs (E019xxxxx) and postcodes (NS1-NS9): loaded as the commands load them.
GEOGRAPHY = [
    ("import_census_ethnicity", "sample_census2021_ts021_lsoa.csv"),
    ("import_deprivation", "sample_imd2019_file1.csv"),
    ("import_postcode_lsoa", "sample_nspl.csv"),
]

# Baseline SWEMWBS answers, and how many items rise by one at follow-up: most people
# improve a little, some a lot, a few not at all (as in published social prescribing
# evaluations, where mean change is about 2-4 metric points).
BASELINES = [
    [2, 3, 2, 3, 2, 3, 3],
    [2, 2, 2, 3, 2, 2, 2],
    [3, 3, 3, 3, 2, 3, 3],
    [1, 2, 2, 2, 2, 2, 1],
]
RISES = [3, 1, 4, 0, 2, 5, 2]


def seed_outcomes() -> str:
    measures_sync_builtin()
    swemwbs = Measure.objects.get(code=codes.SWEMWBS)
    for service in Organisation.objects.of_type(OrganisationType.LINK_WORKER_SERVICE):
        MeasureLicence.objects.get_or_create(
            organisation=service, measure=swemwbs,
            defaults={"licence_reference": "DEMO-SWEMWBS-0001"},
        )  # fmt: skip
    # Loaded as a real deployment would load NHS Digital's file (import_practice_populations);
    # importing it again changes nothing.
    populations = practice_populations_import(rows=read_csv(str(POPULATIONS_CSV)))
    for icb in Organisation.objects.of_type(OrganisationType.ICB):
        OutcomeTariff.objects.get_or_create(
            commissioner=icb, name="Wellbeing improvement (SWEMWBS)",
            defaults={"outcome": TariffOutcome.SWEMWBS_IMPROVED, "price": Decimal("250.00"),
                      "cap": 200, "valid_from": datetime.date(2024, 4, 1)},
        )  # fmt: skip
    for command, name in GEOGRAPHY:
        call_command(command, str(data_path(name)), stdout=StringIO())
    recorded = sum(_measure(case, n) for n, case in enumerate(_cases()))
    # The recent past, with follow-ups inside their windows: the wellbeing report's data.
    recorded += seed_history()
    return f"{populations.practices} practice populations, {recorded} measures recorded"


def _cases() -> list[Case]:
    done = MeasureRecord.objects.values("case")
    return list(
        Case.objects.exclude(pk__in=done).select_related("link_worker", "team").order_by("pk")
    )


def _measure(case: Case, n: int) -> int:
    """Baseline at opening; the 12-week follow-up where that date has passed."""
    start = timezone.localtime(case.opened_at).date()
    swemwbs = Measure.objects.get(code=codes.SWEMWBS)
    ucla = Measure.objects.get(code=codes.UCLA3)
    before = BASELINES[n % len(BASELINES)]
    after = [min(5, v + (1 if i < RISES[n % len(RISES)] else 0)) for i, v in enumerate(before)]
    count = 0
    for measure, first, second in (
        (swemwbs, before, after),
        (ucla, [3, 2, 3], [2, 2, 2] if n % 3 else [3, 2, 3]),
    ):
        items = list(measure.items.order_by("position").values_list("code", flat=True))
        for answers, on in ((first, start), (second, start + datetime.timedelta(weeks=12))):
            if on > timezone.localdate():
                break
            measure_record_create(
                case=case, measure=measure, answers=dict(zip(items, answers, strict=True)),
                actor=case.link_worker, recorded_on=on,
            )  # fmt: skip
            count += 1
    return count

"""Practice list sizes and populations from NHS Digital's "Patients Registered at a GP
Practice" files: ``import_practice_populations``, and the sample file the demo loads."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from demo.seeds.outcomes import POPULATIONS_CSV
from outcomes.models import PopulationDimension, PracticePopulation
from outcomes.services.populations import age_band
from socialrx.core.models import OrganisationType
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

HEADER = "EXTRACT_DATE,TYPE,CODE,SEX,AGE,NUMBER_OF_PATIENTS\n"


def gp(code: str):
    return OrganisationFactory(org_type=OrganisationType.GP_PRACTICE, ods_code=code)


def run(path: Path | str, *args: str) -> str:
    out = StringIO()
    call_command("import_practice_populations", str(path), *args, stdout=out)
    return out.getvalue()


def figures(practice) -> dict[tuple[str, str], int]:
    rows = PracticePopulation.objects.filter(practice=practice)
    return {(p.dimension, p.group): p.people for p in rows}


@pytest.mark.parametrize(
    ("age", "band"),
    [("0", "0-17"), ("17", "0-17"), ("18", "18-24"), ("24", "18-24"), ("25", "25-34"),
     ("84", "75-84"), ("85", "85 and over"), ("95+", "85 and over"), ("18-24", "18-24")],
)  # fmt: skip
def test_single_years_of_age_fall_into_the_reach_reports_bands(age, band):
    assert age_band(age) == band


def test_the_sample_file_loads_every_demo_practice_and_a_second_import_changes_nothing():
    # Given the six Northshire practices (ODS codes as seeded by the demo)
    practices = [gp(f"Y9000{n}") for n in range(1, 7)]

    output = run(POPULATIONS_CSV)

    assert "for 6 practices as of 2026-04-01" in output
    for practice in practices:
        got = figures(practice)
        total = got[(PopulationDimension.ALL, "")]
        # Then the sexes and the age bands each add up to the list size
        assert got[(PopulationDimension.SEX, "1")] + got[(PopulationDimension.SEX, "2")] == total
        bands = {g: n for (d, g), n in got.items() if d == PopulationDimension.AGE_BAND}
        assert len(bands) == 9
        assert sum(bands.values()) == total
    assert figures(practices[0])[(PopulationDimension.ALL, "")] == 6000  # Abbey Road
    ids = set(PracticePopulation.objects.values_list("pk", "updated_at"))
    assert "(0 new, 0 changed, 0 removed)" in run(POPULATIONS_CSV)
    assert set(PracticePopulation.objects.values_list("pk", "updated_at")) == ids


def test_a_national_file_skips_other_practices_and_regional_rows(tmp_path):
    # Given a file with our practice, another practice in England and a regional total,
    # with ages both for all sexes and per sex (which must not be counted twice)
    ours = gp("Y99001")
    PracticePopulation.objects.create(
        practice=ours, dimension=PopulationDimension.ETHNICITY, group="A", people=900,
        as_of=datetime.date(2021, 3, 21),
    )  # fmt: skip
    path = tmp_path / "national.csv"
    path.write_text(
        "\ufeff" + HEADER
        + "01APR2026,GP,Y99001,ALL,ALL,1000\n"
        "01APR2026,GP,Y99001,MALE,ALL,480\n"
        "01APR2026,GP,Y99001,FEMALE,ALL,520\n"
        "01APR2026,GP,Y99001,ALL,17,300\n"
        "01APR2026,GP,Y99001,ALL,40,700\n"
        "01APR2026,GP,Y99001,MALE,40,330\n"
        "01APR2026,GP,Y99001,FEMALE,40,370\n"
        "01APR2026,GP,A81001,ALL,ALL,12000\n"
        "01APR2026,ICB,QHM,ALL,ALL,3000000\n"
    )  # fmt: skip

    output = run(path)

    assert "1 practices in the file are not ours" in output
    assert figures(ours) == {
        ("all", ""): 1000, ("sex", "1"): 480, ("sex", "2"): 520,
        ("age_band", "0-17"): 300, ("age_band", "35-44"): 700,
        ("ethnicity", "A"): 900,  # not in these files: kept
    }  # fmt: skip
    assert PracticePopulation.objects.filter(practice=ours, dimension="all").get().as_of == (
        datetime.date(2026, 4, 1)
    )


def test_a_new_file_replaces_figures_and_ages_by_sex_are_added_up(tmp_path):
    practice = gp("Y99002")
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text(HEADER + "2026-01-01,GP,Y99002,ALL,ALL,50\n2026-01-01,GP,Y99002,ALL,90,50\n")
    second.write_text(
        HEADER + "2026-04-01,GP,Y99002,ALL,ALL,60\n"
        "2026-04-01,GP,Y99002,MALE,30,25\n2026-04-01,GP,Y99002,FEMALE,30,35\n"
    )  # fmt: skip
    run(first)

    assert "(1 new, 1 changed, 1 removed)" in run(second)
    assert figures(practice) == {("all", ""): 60, ("age_band", "25-34"): 60}


def test_the_date_can_be_given_when_the_file_has_none(tmp_path):
    practice = gp("Y99003")
    path = tmp_path / "p.csv"
    path.write_text("CODE,SEX,AGE,NUMBER_OF_PATIENTS\nY99003,ALL,ALL,4000\n")

    with pytest.raises(CommandError, match="EXTRACT_DATE"):
        run(path)
    run(path, "--as-of", "2026-04-01")

    row = PracticePopulation.objects.get(practice=practice)
    assert (row.people, row.as_of) == (4000, datetime.date(2026, 4, 1))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("CODE,SEX,NUMBER_OF_PATIENTS\nY99004,ALL,1\n", "Missing column.*AGE"),
        (HEADER + "2026-04-01,GP,Y99004,ALL,ALL,many\n", "Line 2"),
        (HEADER + "2026-04-01,GP,Y99004,ALL,ALL,10\n2026-04-01,GP,Y99004,ALL,old,3\n", "Line 3"),
        (HEADER + "2026-04-01,GP,Y99004,OTHER,ALL,3\n", "Line 2"),
    ],
)
def test_a_bad_file_is_refused_whole(tmp_path, content, message):
    practice = gp("Y99004")
    path = tmp_path / "bad.csv"
    path.write_text(content)

    with pytest.raises(CommandError, match=message):
        run(path)
    assert not PracticePopulation.objects.filter(practice=practice).exists()


def test_the_demo_seed_loads_the_sample_populations():
    from demo.seeds import seed_all

    seed_all()

    assert PracticePopulation.objects.filter(dimension="all").aggregate(n=Sum("people"))["n"] == (
        sum(6000 + 1750 * n for n in range(6))
    )
    assert PracticePopulation.objects.filter(dimension="age_band").count() == 6 * 9

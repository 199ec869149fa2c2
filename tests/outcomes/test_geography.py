"""The published-file importers: Census 2021 TS021, IMD 2019 File 1 and the ONS
postcode directory, each read in its published layout (the sample files in
demo/data/ are synthetic, in those layouts)."""

import csv
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from directory.models import PostcodeArea
from outcomes.models import AreaPopulation, AreaType, Deprivation
from outcomes.services.geography import CENSUS_TO_NHS, census_columns

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "demo" / "data"
CENSUS = DATA / "sample_census2021_ts021_lsoa.csv"
IMD = DATA / "sample_imd2019_file1.csv"
NSPL = DATA / "sample_nspl.csv"


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_census_file_adds_detailed_groups_into_nhs_categories():
    call_command("import_census_ethnicity", str(CENSUS))
    first = _rows(CENSUS)[0]
    code = first["geography code"]
    figures = dict(AreaPopulation.objects.filter(area_code=code).values_list("group", "people"))
    white = "Ethnic group: White: "
    # C is "any other White background": Gypsy or Irish Traveller, Roma and Other White.
    assert figures["C"] == sum(
        int(first[white + name]) for name in ("Gypsy or Irish Traveller", "Roma", "Other White")
    )
    assert figures[""] == int(first["Ethnic group: Total: All usual residents"])
    # The broad sub-totals are not read: the groups add up to the total, not twice it.
    assert sum(n for g, n in figures.items() if g) == figures[""]
    assert (
        AreaPopulation.objects.filter(area_type=AreaType.LSOA21)
        .values("area_code")
        .distinct()
        .count()
        == 18
    )


def test_census_import_twice_changes_nothing():
    call_command("import_census_ethnicity", str(CENSUS))
    before = list(AreaPopulation.objects.values_list("area_code", "group", "people"))
    call_command("import_census_ethnicity", str(CENSUS))
    assert list(AreaPopulation.objects.values_list("area_code", "group", "people")) == before


def test_census_file_without_a_category_is_refused_with_its_name(tmp_path):
    rows = _rows(CENSUS)
    header = [h for h in rows[0] if not h.endswith(": Roma")]
    path = tmp_path / "ts021.csv"
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(CommandError, match="roma"):
        call_command("import_census_ethnicity", str(path))
    assert not AreaPopulation.objects.exists()


def test_every_census_category_maps_to_a_code():
    header = list(_rows(CENSUS)[0])
    total, detailed = census_columns([h.lower() for h in header])
    assert total == "ethnic group: total: all usual residents"
    assert len(detailed) == len(CENSUS_TO_NHS) == 19


def test_imd_file_gives_each_lsoa_its_decile():
    call_command("import_deprivation", str(IMD))
    rows = _rows(IMD)
    assert Deprivation.objects.count() == len(rows)
    first = Deprivation.objects.get(lsoa11=rows[0]["LSOA code (2011)"])
    assert first.decile == int(rows[0]["Index of Multiple Deprivation (IMD) Decile"])
    assert first.lad_name == "Northshire"


def test_imd_workbook_as_published_is_read(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["English Indices of Deprivation 2019"])
    sheet = book.create_sheet("IMD2019")
    rows = _rows(IMD)
    sheet.append(list(rows[0]))
    for row in rows[:3]:
        sheet.append([int(v) if v.isdigit() else v for v in row.values()])
    path = tmp_path / "File_1_-_IMD2019_Index_of_Multiple_Deprivation.xlsx"
    book.save(path)
    call_command("import_deprivation", str(path))
    assert Deprivation.objects.count() == 3


def test_imd_decile_out_of_range_is_a_clear_error(tmp_path):
    path = tmp_path / "imd.csv"
    lines = IMD.read_text().splitlines()
    path.write_text("\n".join([lines[0], lines[1].rsplit(",", 1)[0] + ",11"]) + "\n")
    with pytest.raises(CommandError, match="must be 1 to 10"):
        call_command("import_deprivation", str(path))


def test_postcode_lookup_keeps_both_lsoa_vintages_and_the_local_authority():
    call_command("import_postcode_lsoa", str(NSPL))
    area = PostcodeArea.objects.get(postcode="NS1 0AB")
    assert (area.lsoa11, area.lsoa21, area.lad_code) == ("E01900001", "E01900001", "E06099001")
    assert PostcodeArea.objects.count() == 95


def test_postcode_lookup_can_keep_only_some_postcode_areas(tmp_path):
    path = tmp_path / "nspl.csv"
    text = NSPL.read_text().splitlines()
    path.write_text("\n".join([*text, text[1].replace("NS1", "ZZ1")]) + "\n")
    call_command("import_postcode_lsoa", str(path), "--areas", "NS")
    assert not PostcodeArea.objects.filter(postcode__startswith="ZZ").exists()
    assert PostcodeArea.objects.count() == 95


def test_postcode_file_without_lsoa_columns_is_refused(tmp_path):
    path = tmp_path / "nspl.csv"
    path.write_text("pcds,laua\nNS1 0AB,E06099001\n")
    with pytest.raises(CommandError, match="lsoa21 or lsoa11"):
        call_command("import_postcode_lsoa", str(path))


def test_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_deprivation", "/nonexistent/imd.csv")

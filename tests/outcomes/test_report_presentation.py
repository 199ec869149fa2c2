"""What a commissioner taking a report to a board notices: filters that apply, rates that
read as rates, charts in the PDF, names that print, sheets named in words."""

import datetime
import re

import pytest
from django.urls import reverse

from outcomes import exports
from outcomes.models import Measure, PracticePopulation
from outcomes.presenters import bar_chart, format_number
from outcomes.reports import build_disclosed
from outcomes.reports.base import DisclosedReport, DisclosedTable, default_range
from socialrx.core.models import OrganisationType
from tests.factories import OrganisationFactory
from tests.outcomes.formats import csv_cells, pdf_is_tagged, pdf_text, xlsx_cells
from tests.outcomes.world import build_world

pytestmark = pytest.mark.django_db


# Inside the default range (the last four quarters), so a filter alone picks them out.
RECENT = default_range()[0] + datetime.timedelta(days=7)


@pytest.fixture
def second_pcn(area, link_worker_service, link_worker_team, link_worker):
    """Another PCN of the same area, with its own practice and 20 recent referrals."""
    pcn = OrganisationFactory(name="Test North PCN", org_type=OrganisationType.PCN, parent=area)
    practice = OrganisationFactory(
        name="North Surgery", org_type=OrganisationType.GP_PRACTICE, parent=pcn
    )
    build_world(
        people=20, practice=practice, service=link_worker_service, team=link_worker_team,
        link_worker=link_worker, start=RECENT,
    )  # fmt: skip
    return pcn


def test_default_dashboard_fills_the_date_boxes_in_iso_format(client, commissioner):
    client.force_login(commissioner)
    body = client.get(reverse("outcomes:dashboard")).content.decode()
    start, end = default_range()
    # A date input shows nothing unless its value is YYYY-MM-DD.
    assert re.search(rf'type="date"[^>]*value="{start.isoformat()}"', body)
    assert re.search(rf'type="date"[^>]*value="{end.isoformat()}"', body)


def test_choosing_only_a_pcn_gives_that_pcns_figures(client, commissioner, make_world, second_pcn):
    # Given 30 recent referrals in Test Central PCN and 20 in Test North PCN
    make_world(30, start=RECENT)
    client.force_login(commissioner)
    url = reverse("outcomes:report_download", args=["activity", "csv"])
    # When only the PCN is chosen (no dates: the default range applies)
    rows = csv_cells(client.get(url, {"pcn": second_pcn.pk}).content)
    # Then the figures are that PCN's alone, and the notes say so
    assert ["Note", "PCN: Test North PCN"] in rows
    header = rows.index(["Quarter", "PCN", "Referrals"])
    shown = []
    for row in rows[header + 1 :]:
        if len(row) != 3:
            break
        shown.append(row[1:])
    assert shown == [["Test North PCN", "20"]]


def test_filter_errors_are_summarised_at_the_top_with_the_panel_open(client, commissioner):
    client.force_login(commissioner)
    body = client.get(
        reverse("outcomes:dashboard"), {"start": "2025-06-30", "end": "2025-01-01"}
    ).content.decode()
    assert body.count("nhsuk-error-summary__list") == 1
    summary = body.index("nhsuk-error-summary")
    assert summary < body.index("<h1")
    assert "The end date must be on or after the start date" in body
    assert re.search(r'<details class="nhsuk-details" open>', body)


def test_rates_are_plotted_as_rates_and_not_over_precise(client, commissioner, make_world):
    # Given a practice of 2,000 patients with 30 referrals: 15.0 per 1,000
    world = make_world(30)
    PracticePopulation.objects.create(
        practice=world.referrals[0].person.registered_practice,
        dimension="all",
        people=2000,
        as_of=datetime.date(2025, 1, 1),
    )
    client.force_login(commissioner)
    body = client.get(
        reverse("outcomes:report", args=["reach"]),
        {"start": "2025-01-01", "end": "2025-06-30"},
    ).content.decode()
    start = body.index('aria-labelledby="chart-per_practice-title"')
    chart = body[start : body.index("</svg>", start)]
    assert "Referrals per 1,000 patients" in chart
    assert ">15.0</text>" in chart  # the rate, not the count of 30
    assert ">30</text>" not in chart


def test_figures_keep_the_precision_disclosure_gave_them():
    from decimal import Decimal

    assert format_number(Decimal("1.1")) == "1.1"
    assert format_number(Decimal("12.50")) == "12.50"
    assert format_number(1234) == "1,234"
    assert format_number(2.345) == "2.3"


def test_long_chart_labels_wrap_instead_of_being_cut():
    label = "Brackley and Towcester Community Partnership Health Centre"
    table = DisclosedTable(
        key="t", title="T", headers=["Practice", "Referrals"], kinds=["label", "count"],
        rows=[[label, 10]], column_keys=["name", "n"], chart_label="name", chart_value="n",
    )  # fmt: skip
    chart = bar_chart(table)
    assert chart is not None
    assert " ".join(chart.bars[0].lines) == label


def _report_with(titles: list[str]) -> DisclosedReport:
    from django.utils import timezone

    tables = [
        DisclosedTable(
            key=f"t{n}",
            title=title,
            headers=["Group", "Referrals"],
            kinds=["label", "count"],
            rows=[["A", 10]],
            column_keys=["g", "n"],
        )  # fmt: skip
        for n, title in enumerate(titles)
    ]
    return DisclosedReport(
        key="reach", title="Reach and equity", notes=["Area: Test ICB"], tables=tables,
        generated_at=timezone.now(),
    )  # fmt: skip


def test_excel_sheets_have_whole_word_names_and_a_contents_sheet():
    titles = [
        "Referrals per 1,000 registered patients by practice",
        "Referrals by ethnic group against the registered population",
    ]
    sheets = xlsx_cells(exports.to_xlsx(_report_with(titles)))
    names = list(sheets)
    assert names[:2] == ["Contents", "Notes"]
    for name in names[2:]:
        assert len(name) <= 31
        words = name.split()[1:]
        assert all(w in " ".join(titles).replace(",", ",").split() for w in words), name
    assert names[2] == "1 Referrals per 1,000"
    contents = [row[:2] for row in sheets["Contents"]]
    assert [names[3], titles[1]] in [list(r) for r in contents]
    assert sheets[names[3]][0][0] == titles[1]  # the full title heads the sheet


def test_report_pdf_has_its_chart_text_and_is_tagged(commissioner, make_world, filters):
    from outcomes.permissions import report_scope_for

    make_world(30)
    report = build_disclosed("activity", scope=report_scope_for(commissioner), filters=filters)
    pdf = exports.to_pdf(report)
    text = pdf_text(pdf)
    assert report.title in text
    assert "(bar chart" not in text  # the chart's title is for screen readers, not print
    assert "Test Central PCN" in text
    assert pdf_is_tagged(pdf)


def test_ucla3_is_credited_to_its_authors():
    ucla = Measure.objects.get(code="ucla3")
    assert "Hughes" in ucla.notice
    assert "2004" in ucla.notice
    assert not ucla.notice.startswith("Source: Office for National Statistics")


def test_monthly_trends_draw_lines_with_the_same_figures_in_tables(
    client, commissioner, make_world
):
    # Given 60 referrals, one a day from 6 January 2025, half measured at 12 weeks
    make_world(60)
    client.force_login(commissioner)
    # When the commissioner asks for the trends over the first half of 2025
    body = client.get(
        reverse("outcomes:report", args=["trends"]),
        {"start": "2025-01-01", "end": "2025-06-30", "period": "quarter"},
    ).content.decode()
    # Then each trend is a line chart with a table beside it, month by month
    assert body.count("(line chart; the figures are in the table)") == 4
    assert body.count("<polyline") >= 3
    referrals = body[body.index('id="table-referrals"') :]
    table = referrals[: referrals.index("</table>")]
    # 26 in January (6th to 31st) rounds to 25; 28 in February to 30; 6 in March is *.
    assert re.findall(r"<td[^>]*>([^<]*)</td>", table) == ["25", "30", "*"]
    assert "Jan 25" in body
    # and SWEMWBS change appears in the months of the follow-ups (April onwards)
    change = body[body.index('id="table-wellbeing_by_month"') :]
    assert "April 2025" in change[: change.index("</table>")]

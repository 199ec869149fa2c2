"""The dashboard, report pages and downloads: roles, scope, and no count 1-7 leaking
from any report in any format."""

import re

import pytest
from django.urls import reverse

from outcomes.reports import REPORTS
from socialrx.core.models import AuditEvent
from tests.outcomes.formats import csv_cells, pdf_strings, xlsx_cells

pytestmark = pytest.mark.django_db

PARAMS = {"start": "2025-01-01", "end": "2025-06-30", "period": "quarter"}
SMALL = {str(n) for n in range(1, 8)}
# Needs near you is a VCSE editor's report (tests/outcomes/test_equity_and_gaps.py).
AREA_REPORTS = [key for key, kind in REPORTS.items() if "commissioner" in kind.roles]


def test_commissioner_dashboard_has_charts_and_tables(client, commissioner, make_world):
    make_world(12)
    client.force_login(commissioner)
    response = client.get(reverse("outcomes:dashboard"), PARAMS)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<svg") >= 3
    assert "<table" in body
    assert "download.xlsx?" in body
    assert not re.search(r"<script(?![^>]*\bsrc=)", body), "no inline scripts (CSP)"
    assert ' style="' not in body


@pytest.mark.parametrize("key", AREA_REPORTS)
def test_each_report_page_renders(client, commissioner, make_world, key):
    make_world(9)
    client.force_login(commissioner)
    response = client.get(reverse("outcomes:report", args=[key]), PARAMS)
    assert response.status_code == 200
    assert b"Disclosure control" in response.content


def test_wellbeing_report_shows_threshold_and_copyright(client, commissioner, make_world):
    make_world(10)
    client.force_login(commissioner)
    body = client.get(reverse("outcomes:report", args=["wellbeing"]), PARAMS).content.decode()
    assert "a rise of 3 or more metric points" in body
    assert "© NHS Health Scotland, University of Warwick and University of Edinburgh" in body


@pytest.mark.parametrize("user", ["link_worker", "referrer", "user_without_roles"])
def test_other_roles_get_403(client, request, user):
    client.force_login(request.getfixturevalue(user))
    assert client.get(reverse("outcomes:dashboard")).status_code == 403
    url = reverse("outcomes:report_download", args=["activity", "csv"])
    assert client.get(url).status_code == 403


def test_unknown_report_or_format_is_404(client, commissioner):
    client.force_login(commissioner)
    assert client.get(reverse("outcomes:report", args=["nope"])).status_code == 404
    url = reverse("outcomes:report_download", args=["activity", "docx"])
    assert client.get(url).status_code == 404


def test_other_area_download_has_no_figures(client, make_world):
    from tests.factories import OrganisationFactory, user_with_role

    make_world(20)
    outsider = user_with_role("commissioner", OrganisationFactory(org_type="icb"))
    client.force_login(outsider)
    url = reverse("outcomes:report_download", args=["activity", "csv"])
    rows = csv_cells(client.get(url, PARAMS).content)
    header = rows.index(["Quarter", "PCN", "Referrals"])
    assert rows[header + 1] == []  # no rows: nothing of the other area


def test_download_totals_match_independent_counts(client, commissioner, make_world):
    world = make_world(30)
    client.force_login(commissioner)
    url = reverse("outcomes:report_download", args=["activity", "csv"])
    rows = csv_cells(client.get(url, PARAMS).content)
    header = rows.index(["Quarter", "PCN", "Referrals"])
    assert rows[header + 1] == ["Jan to Mar 2025", "Test Central PCN", str(len(world.referrals))]
    assert AuditEvent.objects.filter(action="export", object_id="activity").exists()


@pytest.mark.parametrize("key", AREA_REPORTS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_no_count_from_1_to_7_leaks_in_any_format(client, commissioner, make_world, key, fmt):
    # Given tiny data: every figure about people is 1 to 7
    make_world(5)
    client.force_login(commissioner)
    # When the report is downloaded
    response = client.get(reverse("outcomes:report_download", args=[key, fmt]), PARAMS)
    assert response.status_code == 200
    # Then no cell holds a number from 1 to 7
    if fmt == "csv":
        cells = [c for row in csv_cells(response.content) for c in row]
    elif fmt == "xlsx":
        sheets = xlsx_cells(response.content)
        assert "Notes" in sheets
        assert any("Disclosure control" in str(r[0]) for r in sheets["Notes"])
        cells = [str(c) for rows in sheets.values() for row in rows for c in row if c is not None]
    else:
        cells = pdf_strings(response.content)
        assert any("Disclosure control" in c for c in cells)
    assert not SMALL.intersection(c.strip() for c in cells)
    assert "*" in cells or key in ("payments",)


def test_grouping_is_offered_and_named_only_where_it_changes_the_figures(
    client, commissioner, make_world
):
    make_world(3)
    client.force_login(commissioner)
    monthly = {**PARAMS, "period": "month"}

    activity = client.get(reverse("outcomes:report", args=["activity"]), monthly)
    assert b"Grouped by: month" in activity.content
    assert b'name="period"' in activity.content

    # Monthly trends run by month whatever was chosen, and say so.
    trends = client.get(reverse("outcomes:report", args=["trends"]), PARAMS)
    assert b"Grouped by: month" in trends.content
    assert b"Grouped by: quarter" not in trends.content
    assert b'name="period"' not in trends.content

    # Whole-range reports name no grouping and offer no choice that would change nothing.
    for page in (reverse("outcomes:report", args=["reach"]), reverse("outcomes:gap_map")):
        response = client.get(page, monthly)
        assert response.status_code == 200
        assert b"Grouped by" not in response.content, page
        assert b'name="period"' not in response.content, page


def test_a_population_group_alone_narrows_the_report(client, commissioner):
    client.force_login(commissioner)
    response = client.get(reverse("outcomes:gap_map"), {"group": "imd:6"})
    assert response.status_code == 200
    assert b"Population group: Deprivation decile 6" in response.content

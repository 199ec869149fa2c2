"""The demo commissioner opens the reports dashboard and downloads each report as CSV,
Excel and PDF; each file opens (CSV parses, Excel opens with openpyxl, PDF has text)."""

from pathlib import Path

from playwright.sync_api import expect

from demo.seeds import seed_all
from outcomes.reports import REPORTS
from tests.outcomes.formats import csv_cells, pdf_strings, xlsx_cells


def test_commissioner_downloads_every_report_in_every_format(page, login_as, demo_users):
    # Given the Northshire demo with its referrals, cases and measures
    seed_all()
    login_as(page, demo_users["commissioner"])
    # When the commissioner opens Reports from their home page
    page.goto("/")
    page.get_by_role("link", name="Reports", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    for key, kind in REPORTS.items():
        page.get_by_role("link", name=kind.title, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(kind.title)
        for fmt, label in (("csv", "CSV"), ("xlsx", "Excel"), ("pdf", "PDF")):
            with page.expect_download() as info:
                page.get_by_role("link", name=f"Download {kind.title} as {label}").click()
            content = Path(info.value.path()).read_bytes()
            # Then each file opens
            if fmt == "csv":
                assert csv_cells(content)[0] == [kind.title], key
            elif fmt == "xlsx":
                assert "Notes" in xlsx_cells(content), key
            else:
                assert any(kind.title in text for text in pdf_strings(content)), key
        page.get_by_role("link", name="All reports").click()

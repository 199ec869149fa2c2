"""The demo commissioner opens the reports dashboard and downloads each report as CSV,
Excel and PDF; each file opens (CSV parses, Excel opens with openpyxl, PDF has text)."""

import re
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
        if "commissioner" not in kind.roles:
            continue
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


def test_commissioner_filters_to_one_pcn_and_sees_its_figures_and_trend(page, login_as, demo_users):
    # Given the Northshire demo, whose referrals come from practices in two PCNs
    seed_all()
    login_as(page, demo_users["commissioner"])
    page.goto("/")
    page.get_by_role("link", name="Reports", exact=True).click()
    # The date boxes are filled on the default dashboard
    expect(page.get_by_label("From", exact=True)).not_to_have_value("")
    expect(page.get_by_label("To", exact=True)).not_to_have_value("")
    # When the commissioner chooses only a PCN and shows the report
    page.locator("summary", has_text="Change dates and filters").click()
    page.locator("#id_pcn").select_option(label="Fenbridge and Villages PCN")
    page.get_by_role("button", name="Show report").click()
    # Then the dashboard says it is that PCN's, and every referral row is that PCN's
    expect(page.get_by_text("PCN: Fenbridge and Villages PCN")).to_be_visible()
    pcn_cells = page.locator("#table-referrals_by_period ~ div table tbody tr td:nth-of-type(1)")
    for text in pcn_cells.all_inner_texts():
        assert text == "Fenbridge and Villages PCN"
    # And the monthly trends for that PCN are drawn as lines beside their tables
    page.get_by_role("link", name="Monthly trends", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Monthly trends")
    expect(page.get_by_text("PCN: Fenbridge and Villages PCN")).to_be_visible()
    expect(
        page.get_by_role("img", name=re.compile("Referrals received each month"))
    ).to_be_visible()
    expect(page.get_by_role("table", name="Referrals received each month")).to_be_visible()
    page.screenshot(path="/tmp/c16-trends.png", full_page=True, timeout=60_000)

"""The demo service manager finds the referral data extract on their home page, reads
what it holds and downloads it; the page is checked with axe like every page here."""

from pathlib import Path

from playwright.sync_api import expect

from demo.seeds import seed_all
from outcomes.extract import columns
from tests.outcomes.formats import csv_cells


def test_service_manager_downloads_the_referral_extract(page, login_as, demo_users):
    # Given the Northshire demo with its referrals and cases
    seed_all()
    login_as(page, demo_users["manager"])
    # When the manager opens the extract from their home page
    page.goto("/")
    page.get_by_role("link", name="Referral data extract", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Referral data extract")
    expect(page.get_by_text("This file is personal data")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the referral data extract (CSV)").click()
    # Then the file opens with the documented columns and a row per referral
    cells = csv_cells(Path(info.value.path()).read_bytes())
    assert cells[0] == [c.name for c in columns()]
    assert len(cells) > 1


def test_commissioner_downloads_the_payment_evidence(page, login_as, demo_users):
    # Given the Northshire demo, whose recent past has wellbeing outcomes inside windows
    seed_all()
    login_as(page, demo_users["commissioner"])
    # When the commissioner opens the payment evidence from their home page
    page.goto("/")
    page.get_by_role("link", name="Payment evidence extract", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Payment evidence extract")
    expect(page.get_by_text("This file is personal data")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the payment evidence (CSV)").click()
    # Then the file lists the evidenced outcomes under the demo's tariff
    cells = csv_cells(Path(info.value.path()).read_bytes())
    assert cells[0][:3] == ["tariff", "outcome", "person_key"]
    assert len(cells) > 8
    assert {row[0] for row in cells[1:]} == {"Wellbeing improvement (SWEMWBS)"}

"""The demo's VCSE editor opens "needs near you" from their home page; the demo
commissioner opens the gap map, reads it as a grid and a table, and downloads it."""

from pathlib import Path

from playwright.sync_api import expect

from demo.seeds import seed_all
from tests.outcomes.formats import csv_cells, xlsx_cells


def test_vcse_editor_opens_needs_near_you(page, login_as, demo_users):
    # Given the Northshire demo
    seed_all()
    login_as(page, demo_users["vcse"])
    # When the VCSE editor opens "Needs near you" from their home page
    page.goto("/")
    page.get_by_role("link", name="Needs near you", exact=True).click()
    # Then they see their areas, needs and their own services' refusals for capacity
    expect(page.get_by_role("heading", level=1)).to_have_text("Needs near you")
    expect(page.get_by_text("Your areas:")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Your services: asked, accepted and refused for capacity")
    ).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download Needs near you as CSV").click()
    assert csv_cells(Path(info.value.path()).read_bytes())[0] == ["Needs near you"]


def test_commissioner_opens_the_gap_map_and_downloads_it(page, login_as, demo_users):
    seed_all()
    login_as(page, demo_users["commissioner"])
    page.goto("/")
    page.get_by_role("link", name="Gap map", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Gap map: need against supply by neighbourhood"
    )
    # The grid is an image with a text alternative; the same figures are in the table.
    expect(page.get_by_role("img", name="Gap map: demand and services")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Services accepting")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role(
            "link", name="Download Gap map: need against supply by neighbourhood as Excel"
        ).click()
    assert "Notes" in xlsx_cells(Path(info.value.path()).read_bytes())
    # And can have it every month
    page.get_by_text("Get this report every month or quarter").click()
    page.get_by_label("Monthly").check()
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report archive and subscriptions")

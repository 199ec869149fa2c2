"""A VCSE editor keeps a listing current in two clicks each; another organisation's
listing is refused. Every page is also checked by the harness (axe, assets, CSP)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from directory.models import CapacityStatus, DirectoryOrganisation, Service
from directory.taxonomy import taxonomy_ensure
from socialrx.core.models import User
from tests.directory.factories import DirectoryOrganisationFactory, service_with
from tests.e2e.helpers import start_keyboard_from_top, tab_until


@pytest.fixture
def listing_org(vcse_org) -> DirectoryOrganisation:
    return DirectoryOrganisationFactory(organisation=vcse_org, name=vcse_org.name)


@pytest.fixture
def other_service(db) -> Service:
    return service_with(name="Someone else's walking group")


def test_editor_confirms_and_changes_capacity_in_two_clicks(
    page: Page,
    login_as: Callable[[Page, User], Page],
    vcse_editor: User,
    listing_org,
    other_service: Service,
) -> None:
    # Given a stale listing of the editor's organisation
    service = service_with(
        organization=listing_org,
        name="Friendly phone calls",
        assured_date=timezone.localdate() - timedelta(days=100),
    )
    login_as(page, vcse_editor)

    # When they open their listings (click one) and press "Still accurate" (click two)
    page.goto("/")
    page.get_by_role("link", name="Your listings").click()
    expect(page.get_by_text("Not confirmed for 3 months")).to_be_visible()
    page.get_by_role("button", name="Still accurate").click()

    # Then it is confirmed
    expect(page.get_by_text("Not confirmed for 3 months")).to_have_count(0)
    service.refresh_from_db()
    assert service.assured_date == timezone.localdate()

    # And capacity is one click from the same page
    page.get_by_role("button", name="Not accepting referrals").click()
    # (the current status has no button, so its button going means the page has updated)
    expect(page.get_by_role("button", name="Not accepting referrals")).to_have_count(0)
    service.capacity.refresh_from_db()
    assert service.capacity.status == CapacityStatus.NOT_ACCEPTING

    # Another organisation's listing is not theirs to change
    response = page.goto(f"/directory/listings/{other_service.id}/edit/")
    assert response is not None
    assert response.status == 404


def test_the_public_searches_without_signing_in(page: Page, listing_org) -> None:
    service_with(organization=listing_org, name="Riverside lunch club")
    page.goto("/directory/?q=lunch")
    page.get_by_role("link", name="Riverside lunch club").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside lunch club")


def test_editor_adds_a_service_and_its_opening_times(
    page: Page, login_as: Callable[[Page, User], Page], vcse_editor: User, listing_org
) -> None:
    # Given an editor on their listings page (and the vocabulary the data migration
    # seeds, which a transactional test's flush removes)
    taxonomy_ensure()
    login_as(page, vcse_editor)
    page.goto("/directory/listings/")

    # When they add a new service with four answers
    page.get_by_role("link", name=re.compile("Add a service")).click()
    page.get_by_label("Name of the service").fill("Saturday sketching")
    page.get_by_label("What happens there").fill("Drawing in the park, pencils provided.")
    page.get_by_label("Arts and culture").check()
    page.get_by_label("People can refer themselves").check()
    page.get_by_role("button", name="Publish the service").click()

    # Then it is published and they are on its page, asked where and when it runs
    expect(page.get_by_role("heading", level=1)).to_have_text("Saturday sketching")
    expect(page.get_by_text("Now add where and when it runs")).to_be_visible()
    service = Service.objects.get(name="Saturday sketching")
    assert service.organization == listing_org

    # When they add opening times, closing before opening by mistake
    page.get_by_role("link", name=re.compile("Add opening times")).click()
    page.get_by_label("Saturday").check()
    page.get_by_label("Sunday").check()
    page.get_by_label("Opens at").fill("10:00")
    page.get_by_label("Closes at").fill("9:00")
    page.get_by_role("button", name="Add these times").click()

    # Then the error summary says so and takes them to the closing time
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("The closing time must be after the opening time")
    summary.get_by_role("link").click()
    expect(page.get_by_label("Closes at")).to_be_focused()
    # (what they ticked and typed is kept)
    expect(page.get_by_label("Saturday")).to_be_checked()

    # When they correct it
    page.get_by_label("Closes at").fill("12:30")
    page.get_by_role("button", name="Add these times").click()

    # Then the times are published, on their page and the public one
    expect(page.get_by_text("10:00 to 12:30")).to_be_visible()
    schedule = service.schedules.get()
    assert (schedule.byday, schedule.opens_at, schedule.closes_at) == (
        "SA,SU",
        time(10),
        time(12, 30),
    )
    page.goto(f"/directory/services/{service.id}/")
    expect(page.get_by_text("Saturday and Sunday 10:00 to 12:30")).to_be_visible()


def test_the_search_page_works_by_keyboard(page: Page, listing_org) -> None:
    service_with(organization=listing_org, name="Riverside lunch club")
    service_with(organization=listing_org, name="Hilltop walking group")
    page.goto("/directory/")
    start_keyboard_from_top(page)

    # Tab to the search box, type, and press Enter to search
    tab_until(page, page.get_by_role("textbox", name=re.compile("^Search")))
    page.keyboard.type("lunch")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="1 service found")).to_be_visible()

    # The filters and the Search button are reachable in order, and the button works
    start_keyboard_from_top(page)
    tab_until(page, page.get_by_label("Only services accepting referrals now"))
    page.keyboard.press("Space")
    tab_until(page, page.get_by_role("button", name="Search"), max_presses=5)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("accepting=on"))

    # Then Tab reaches the result, and Enter opens it
    result = page.get_by_role("link", name="Riverside lunch club")
    tab_until(page, result, max_presses=40)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside lunch club")


def test_every_editing_page_passes_the_harness_checks(
    page: Page,
    login_as: Callable[[Page, User], Page],
    vcse_editor: User,
    directory_admin: User,
    listing_org,
) -> None:
    """The harness runs axe on each page opened: open each editing page, empty and
    with errors, as the editor and then the administrator."""
    taxonomy_ensure()
    service = service_with(organization=listing_org, name="Friendly phone calls")
    login_as(page, vcse_editor)
    for path in ["", "edit/", "capacity/", "eligibility/", "places/new/", "contacts/new/",
                 "opening-times/new/", "history/"]:  # fmt: skip
        page.goto(f"/directory/listings/{service.id}/{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    for form_page, button in [
        ("places/new/", "Add this place"),
        ("contacts/new/", "Add this contact"),
        ("eligibility/", "Publish changes"),
    ]:
        page.goto(f"/directory/listings/{service.id}/{form_page}")
        if form_page == "eligibility/":
            page.get_by_label("Youngest age").fill("70")
            page.get_by_label("Oldest age").fill("20")
        page.get_by_role("button", name=button).click()
        expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    login_as(page, directory_admin)
    page.goto("/directory/review/")
    page.get_by_role("link", name=re.compile("^Edit")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit Friendly phone calls")

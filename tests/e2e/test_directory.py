"""A VCSE editor keeps a listing current in two clicks each; another organisation's
listing is refused. Every page is also checked by the harness (axe, assets, CSP)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from directory.models import CapacityStatus, DirectoryOrganisation, Service
from socialrx.core.models import User
from tests.directory.factories import DirectoryOrganisationFactory, service_with


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

"""In the browser: a link worker corrects a missing postcode from the case, then records an
unmet need (which needs the postcode's area). Every page is also checked by the harness
(axe, assets, CSP)."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from linkworkers.models import UnmetNeed
from referrals.models import Person
from socialrx.core.models import User
from tests.linkworkers.factories import CaseFactory


def test_link_worker_corrects_the_postcode_then_records_an_unmet_need(
    page: Page, login_as: Callable[[Page, User], Page], link_worker: User, link_worker_team
) -> None:
    # Given a case whose person was referred without a postcode
    case = CaseFactory(team=link_worker_team, link_worker=link_worker)
    Person.objects.filter(pk=case.referral.person_id).update(postcode="", phone="01604 496 000")
    login_as(page, link_worker)

    # When the link worker opens the case and changes the person's details
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name="Change their details").click()
    page.get_by_label("Postcode").fill("nn1 1aa")
    page.get_by_label("What changed and how you know").fill("Confirmed by phone")
    page.get_by_role("button", name="Save details").click()

    # Then they are back on the case, which shows the corrected postcode
    expect(page.get_by_text("Details updated")).to_be_visible()
    expect(page.get_by_text("NN1 1AA")).to_be_visible()

    # And recording an unmet need now works
    page.goto(f"/cases/{case.pk}/unmet-needs/new/")
    page.get_by_label("Need", exact=True).select_option("housing")
    page.get_by_label("What was needed").fill("Tenancy advice")
    page.get_by_role("button", name="Record unmet need").click()
    expect(page.get_by_text("Unmet need recorded")).to_be_visible()
    assert UnmetNeed.objects.get().postcode_district == "NN1"

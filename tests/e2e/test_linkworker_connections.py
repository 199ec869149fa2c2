"""The closed loop in the browser: a link worker connects the person to a service with
capacity, the service's VCSE editor accepts, and the link worker sees it. Every page is
also checked by the harness (axe, assets, CSP)."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from directory.models import TaxonomyTerm
from directory.taxonomy import CATEGORY, taxonomy_ensure, term_id
from linkworkers import codes
from linkworkers.models import Connection
from socialrx.core.models import User
from tests.directory.factories import DirectoryOrganisationFactory, service_with
from tests.linkworkers.factories import AssessmentDomainFactory, AssessmentFactory, CaseFactory


def test_link_worker_connects_and_the_service_accepts(
    page: Page,
    login_as: Callable[[Page, User], Page],
    link_worker: User,
    link_worker_team,
    vcse_org,
    vcse_editor: User,
) -> None:
    # Given a case whose assessment found a high need for social connection, and a
    # befriending service with capacity run by the editor's organisation
    taxonomy_ensure()
    befriending = TaxonomyTerm.objects.get(id=term_id(CATEGORY, "befriending"))
    listing = DirectoryOrganisationFactory(organisation=vcse_org, name=vcse_org.name)
    service_with(organization=listing, name="Walk and talk", terms=[befriending])
    case = CaseFactory(team=link_worker_team, link_worker=link_worker)
    AssessmentDomainFactory(assessment=AssessmentFactory(case=case))
    person = case.referral.person
    login_as(page, link_worker)

    # When the link worker finds a service for the need and connects the person
    page.goto(f"/cases/{case.pk}/connections/")
    page.get_by_role("link", name="Find a service").click()
    expect(page.get_by_text("Accepting referrals", exact=True)).to_be_visible()
    page.get_by_role("link", name="Connect to Walk and talk").click()
    page.get_by_label("What the person hopes for").fill("Company on a weekly walk")
    page.get_by_label("The person agreed that the service may see").check()
    page.get_by_role("button", name="Connect").click()

    # Then the connection is sent
    expect(page.get_by_text("Referred").first).to_be_visible()
    connection = Connection.objects.get()
    assert connection.status == codes.ConnectionStatus.REFERRED

    # When the service's editor signs in, opens it and accepts
    page.context.clear_cookies()
    login_as(page, vcse_editor)
    page.goto("/service-connections/")
    page.get_by_role("link", name=person.full_name).click()
    expect(page.get_by_text("Company on a weekly walk")).to_be_visible()
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Accepted by the service").first).to_be_visible()

    # Then the link worker sees the answer on the case
    page.context.clear_cookies()
    login_as(page, link_worker)
    page.goto(f"/cases/{case.pk}/connections/")
    expect(page.get_by_text("Accepted by the service").first).to_be_visible()
    connection.refresh_from_db()
    assert connection.status == codes.ConnectionStatus.ACCEPTED

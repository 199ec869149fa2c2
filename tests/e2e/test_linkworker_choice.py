"""At the point of choice the link worker sees what the directory knows for this person:
a service that is full this week, and one whose stated criteria they do not meet, with
the reason. Every page is also checked by the harness (axe, assets, CSP)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone
from playwright.sync_api import Page, expect

from directory.models import TaxonomyTerm
from directory.taxonomy import CATEGORY, taxonomy_ensure, term_id
from linkworkers import codes
from linkworkers.connections.services.lifecycle import connection_create
from linkworkers.models import Connection
from socialrx.core.models import User
from tests.directory.factories import DirectoryOrganisationFactory, service_with
from tests.linkworkers.factories import CaseFactory


def test_link_worker_sees_a_full_service_and_a_not_eligible_warning(
    page: Page,
    login_as: Callable[[Page, User], Page],
    link_worker: User,
    link_worker_team,
    vcse_org,
) -> None:
    # Given a person of 84, a walking group with one place a week, already taken by
    # someone else, and a youth club for ages 8 to 17
    taxonomy_ensure()
    befriending = TaxonomyTerm.objects.get(id=term_id(CATEGORY, "befriending"))
    listing = DirectoryOrganisationFactory(organisation=vcse_org, name=vcse_org.name)
    walking = service_with(
        organization=listing, name="Walk and talk", terms=[befriending], capacity={"maximum": 1}
    )
    service_with(
        organization=listing, name="Youth club", terms=[befriending], minimum_age=8, maximum_age=17
    )
    case = CaseFactory(team=link_worker_team, link_worker=link_worker)
    person = case.referral.person
    person.date_of_birth = person.date_of_birth.replace(year=timezone.localdate().year - 84)
    person.save()
    other = CaseFactory(team=link_worker_team, link_worker=link_worker)
    connection_create(
        case=other, service=walking, actor=link_worker, domain=codes.LifeDomain.SOCIAL_CONNECTION,
        consent_to_share=True, send_now=True,
    )  # fmt: skip
    login_as(page, link_worker)

    # When the link worker looks for a service for the person
    page.goto(f"/cases/{case.pk}/connections/")
    page.get_by_role("link", name="Find a service").click()

    # Then the walking group shows full this week and the club shows not eligible, why
    walk_card = page.locator(".nhsuk-card").filter(has_text="Walk and talk")
    expect(walk_card.get_by_text("Full this week (1 of 1 places taken)")).to_be_visible()
    club_card = page.locator(".nhsuk-card").filter(has_text="Youth club")
    expect(club_card.get_by_text("Not eligible")).to_be_visible()
    expect(club_card.get_by_text("For ages 8 to 17")).to_be_visible()

    # When they open the club, the warning names the reason and asks why before sending
    page.get_by_role("link", name="Connect to Youth club").click()
    expect(page.get_by_role("heading", name="Important: Not eligible")).to_be_visible()
    page.get_by_label("The person agreed that the service may see").check()
    page.get_by_role("button", name="Connect").click()
    expect(page.get_by_role("alert")).to_contain_text("Say why you are connecting them anyway")
    assert not Connection.objects.filter(case=case).exists()

    # And opening the full walking group says so before anything is sent
    page.goto(f"/cases/{case.pk}/connections/")
    page.get_by_role("link", name="Find a service").click()
    page.get_by_role("link", name="Connect to Walk and talk").click()
    expect(page.get_by_text("This service is full this week")).to_be_visible()

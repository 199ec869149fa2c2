"""Issue 5's whole journey in one browser session: the demo link worker opens an assigned
referral, records a failed then a successful contact, completes an assessment with
strengths and goals, connects the person to a service with capacity, and the demo VCSE
editor of that service accepts. Every page is also checked by the harness (axe, CSP)."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from directory.models import TaxonomyTerm
from directory.taxonomy import CATEGORY, taxonomy_ensure, term_id
from linkworkers import codes
from linkworkers.models import Connection
from referrals import codes as referral_codes
from referrals.models import Referral
from tests.directory.factories import DirectoryOrganisationFactory, service_with
from tests.referrals.factories import ReferralFactory


def test_from_assigned_referral_to_an_accepted_connection(page, login_as, demo_users):
    # Given a referral assigned to the demo link worker's team, and a befriending service
    # with capacity run by the demo VCSE editor's organisation
    worker, editor = demo_users["linkworker"], demo_users["vcse"]
    team = worker.organisations_with_role("link_worker")[0]
    referral = ReferralFactory(
        status=referral_codes.Status.ASSIGNED,
        assigned_team=team,
        source=referral_codes.ReferralSource.SELF,
        person__given_name="Iris",
        person__family_name="Tolland",
    )
    Referral.objects.filter(pk=referral.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    taxonomy_ensure()
    befriending = TaxonomyTerm.objects.get(id=term_id(CATEGORY, "befriending"))
    vcse_org = editor.organisations_with_role("vcse_editor")[0]
    listing = DirectoryOrganisationFactory(organisation=vcse_org, name=vcse_org.name)
    service_with(organization=listing, name="Tuesday walk and talk", terms=[befriending])
    login_as(page, worker)

    # When the link worker opens the case from their caseload
    page.goto("/caseload/")
    page.get_by_role("button", name="Open case for Iris Tolland").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Iris Tolland")

    # And records a failed attempt, then a conversation
    for spoke in (False, True):
        page.get_by_role("link", name="Record a contact").click()
        page.get_by_label("Yes, we spoke" if spoke else "No, I could not reach them").check()
        page.get_by_label("Phone", exact=True).check()
        if spoke:
            page.get_by_label("Duration in minutes").fill("40")
        page.get_by_role("button", name="Save contact").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Iris Tolland")

    # And completes an assessment: loneliness matters most; strengths in her words
    page.get_by_role("link", name="Record an assessment").click()
    page.get_by_label("What matters to the person").fill("Seeing people again")
    for group in page.locator("fieldset:has(textarea[name^='strengths_'])").all():
        group.get_by_label("Low need").check()
        group.get_by_label("Strengths and assets").fill("Loves walking")
    social = page.locator("fieldset:has(textarea[name^='strengths_'])").filter(
        has_text="Social connection and loneliness"
    )
    social.get_by_label("High need").check()
    page.get_by_label("The person's goals").fill("Walk with others each week")
    page.get_by_role("button", name="Save assessment").click()
    expect(page.get_by_text("Walk with others each week")).to_be_visible()

    # And connects her to the befriending service, capacity shown while choosing
    case_url = page.url.split("/assessments")[0]
    page.goto(f"{case_url}/connections/")
    page.get_by_role("link", name="Find a service").click()
    expect(page.get_by_text("Accepting referrals", exact=True).first).to_be_visible()
    page.get_by_role("link", name="Connect to Tuesday walk and talk").click()
    page.get_by_label("What the person hopes for").fill("Company on a weekly walk")
    page.get_by_label("The person agreed that the service may see").check()
    page.get_by_role("button", name="Connect").click()
    expect(page.get_by_text("Referred").first).to_be_visible()

    # Then the service's editor sees the connection and accepts it
    page.context.clear_cookies()
    login_as(page, editor)
    page.goto("/")
    page.get_by_role("link", name="Connections to your services").click()
    page.get_by_role("link", name="Iris Tolland").click()
    expect(page.get_by_text("Company on a weekly walk")).to_be_visible()
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Accepted by the service").first).to_be_visible()
    assert Connection.objects.get().status == codes.ConnectionStatus.ACCEPTED

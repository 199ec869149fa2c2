"""The demo link worker opens an assigned referral, records a failed then a successful
contact, and completes a holistic assessment with strengths and goals."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from referrals import codes as referral_codes
from referrals.models import Referral
from tests.referrals.factories import ReferralFactory


def test_link_worker_opens_contacts_and_assesses(page, login_as, demo_users):
    # Given a referral assigned to the demo link worker's team
    worker = demo_users["linkworker"]
    team = worker.organisations_with_role("link_worker")[0]
    referral = ReferralFactory(
        status=referral_codes.Status.ASSIGNED,
        assigned_team=team,
        source=referral_codes.ReferralSource.SELF,
        person__given_name="Mary",
        person__family_name="Lowe",
    )
    Referral.objects.filter(pk=referral.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    login_as(page, worker)

    # When they open it from their caseload
    page.goto("/caseload/")
    page.get_by_role("button", name="Open case for Mary Lowe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mary Lowe")

    # And record a failed attempt, then a conversation
    for spoke in (False, True):
        page.get_by_role("link", name="Record a contact").click()
        page.get_by_label("Yes, we spoke" if spoke else "No, I could not reach them").check()
        page.get_by_label("Phone", exact=True).check()
        if spoke:
            page.get_by_label("Duration in minutes").fill("30")
        page.get_by_role("button", name="Save contact").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mary Lowe")
    expect(page.get_by_text("In progress").first).to_be_visible()

    # And complete an assessment with strengths and goals
    page.get_by_role("link", name="Record an assessment").click()
    page.get_by_label("What matters to the person").fill("My grandchildren")
    for group in page.locator("fieldset:has(textarea[name^='strengths_'])").all():
        group.get_by_label("Medium need").check()
        group.get_by_label("Strengths and assets").fill("Good at baking")
    page.get_by_label("The person's goals").fill("Bake for the church fair")
    page.get_by_role("button", name="Save assessment").click()

    # Then the assessment shows side by side with strengths in the person's words
    expect(page.get_by_role("heading", level=1)).to_have_text("Assessments side by side")
    expect(page.get_by_text("Bake for the church fair")).to_be_visible()
    expect(page.get_by_text("Good at baking").first).to_be_visible()

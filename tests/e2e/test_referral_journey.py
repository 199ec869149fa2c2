"""The closed loop in a browser: a GP refers, the triage lead assigns, the GP sees it.

Driven from the keyboard where a person would use one (Tab to each field, type, Space
for boxes, Enter for buttons), which also proves the form's tab order. Every page is
checked by the harness too (axe, assets, CSP): see conftest.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.core import mail
from playwright.sync_api import BrowserContext, Locator, Page, expect

from demo.seeds import core as core_demo
from referrals import codes
from referrals.models import Referral, TriageRoute
from socialrx.core.models import Organisation, User
from tests.e2e.helpers import start_keyboard_from_top, tab_until

PERSON_EMAIL = "ada.lane@person.example"


@pytest.fixture
def demo_route(demo_users: dict[str, User]) -> TriageRoute:
    """Abbey Road Surgery (the demo GP's) is triaged by Northshire Connect, as in the demo,
    which is also the county default (for self-referrals without a practice)."""
    orgs = Organisation.objects
    service = orgs.get(name=core_demo.LINK_WORKER_SERVICE)
    TriageRoute.objects.create(is_default=True, service=service)
    return TriageRoute.objects.create(
        practice=orgs.get(name="Abbey Road Surgery"),
        service=service,
        default_team=orgs.get(name=core_demo.PCN_TEAM),
    )


def type_into(page: Page, field: Locator, text: str) -> None:
    tab_until(page, field)
    page.keyboard.type(text)


def tick(page: Page, box: Locator) -> None:
    tab_until(page, box)
    page.keyboard.press("Space")
    expect(box).to_be_checked()


def fill_date_of_birth(page: Page, day: str, month: str, year: str) -> None:
    for label, value in (("Day", day), ("Month", month), ("Year", year)):
        type_into(page, page.get_by_label(label, exact=True), value)


def press(page: Page, control: Locator) -> None:
    tab_until(page, control, max_presses=60)
    page.keyboard.press("Enter")


def test_gp_refers_triage_assigns_and_the_gp_sees_it(
    page: Page,
    new_context: Callable[..., BrowserContext],
    login_as: Callable[[Page, User], Page],
    demo_users: dict[str, User],
    demo_route: TriageRoute,
) -> None:
    gp, triage = demo_users["gp"], demo_users["triage"]
    mail.outbox.clear()

    # Given the GP fills the referral form from the keyboard
    login_as(page, gp)
    page.goto("/referrals/new/")
    start_keyboard_from_top(page)
    type_into(page, page.get_by_label("First name"), "Ada")
    type_into(page, page.get_by_label("Last name"), "Lane")
    fill_date_of_birth(page, "2", "3", "1948")
    type_into(page, page.get_by_label("NHS number"), "999 000 0018")
    expect(page.get_by_label("Registered GP practice")).to_have_value(
        str(demo_route.practice_id), timeout=1_000
    )
    type_into(page, page.get_by_label("Email address"), PERSON_EMAIL)
    tick(page, page.get_by_label("Loneliness and isolation"))
    type_into(
        page,
        page.get_by_label("What matters to the person, in their own words"),
        "Seeing people again since her husband died.",
    )
    tick(page, page.get_by_label("The person agrees to this referral"))
    tick(page, page.get_by_label("The person agrees to their information being shared"))
    tick(page, page.get_by_label("The person would like to be told how their referral goes"))
    press(page, page.get_by_role("button", name="Continue"))

    # When they check their answers and send it
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending the referral"
    )
    expect(page.get_by_text("999 000 0018")).to_be_visible()
    press(page, page.get_by_role("button", name="Send referral"))
    expect(page.get_by_text(re.compile(r"Referral SRX-\d{6} sent"))).to_be_visible()
    referral = Referral.objects.get(person__nhs_number="9990000018")
    expect(page.locator("#history")).to_contain_text("Referral received")

    # And the triage lead, in their own browser, accepts and assigns it from the queue
    triage_page = login_as(new_context().new_page(), triage)
    triage_page.goto("/referrals/triage/")
    start_keyboard_from_top(triage_page)
    press(triage_page, triage_page.get_by_role("link", name=referral.reference))
    expect(triage_page.get_by_role("heading", level=1)).to_have_text("Ada Lane")
    team = triage_page.get_by_label("Team", exact=True)
    tab_until(triage_page, team, max_presses=60)
    team.select_option(label=core_demo.PCN_TEAM)
    press(triage_page, triage_page.get_by_role("button", name="Assign", exact=True))
    expect(triage_page.get_by_text(f"Referral {referral.reference} updated")).to_be_visible()

    # Then the GP sees the new status on their referral page
    page.goto("/referrals/")
    start_keyboard_from_top(page)
    press(page, page.get_by_role("link", name=referral.reference))
    expect(page.get_by_text("Assigned", exact=True).first).to_be_visible()
    expect(page.locator("#history")).to_contain_text(
        f"Accepted and assigned to {core_demo.PCN_TEAM}"
    )
    referral.refresh_from_db()
    assert referral.status == codes.Status.ASSIGNED

    # And the person was told it arrived, and the GP that it was accepted, by link only
    sent = {(message.to[0], message.subject) for message in mail.outbox}
    assert (gp.email, f"Referral {referral.reference} accepted") in sent
    assert any(to == PERSON_EMAIL for to, _ in sent)
    for message in mail.outbox:
        if message.to == [gp.email]:
            assert "Lane" not in message.body


def test_a_person_refers_themselves_without_signing_in(
    page: Page, demo_users: dict[str, User], demo_route: TriageRoute
) -> None:
    # Given the public form, from the keyboard
    page.goto("/self-referral/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Refer yourself to social prescribing"
    )
    start_keyboard_from_top(page)
    type_into(page, page.get_by_label("Your first name"), "Sam")
    type_into(page, page.get_by_label("Your last name"), "Brook")
    fill_date_of_birth(page, "17", "5", "1960")
    type_into(page, page.get_by_label("Phone number"), "01632 960123")
    tick(page, page.get_by_label("Money and benefits"))
    tick(page, page.get_by_label("I would like to be referred to social prescribing"))
    tick(page, page.get_by_label("I agree to my information being shared"))

    # When they check their answers and send it
    press(page, page.get_by_role("button", name="Continue"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending your referral"
    )
    expect(page.get_by_text("01632 960123")).to_be_visible()
    press(page, page.get_by_role("button", name="Send my referral"))

    # Then they get a reference, and the referral waits in the default triage queue
    expect(page.get_by_role("heading", level=1)).to_have_text("Referral received")
    referral = Referral.objects.get(person__family_name="Brook")
    expect(page.get_by_text(referral.reference)).to_be_visible()
    assert referral.source == codes.ReferralSource.SELF
    assert referral.referrer is None
    assert referral.status == codes.Status.RECEIVED

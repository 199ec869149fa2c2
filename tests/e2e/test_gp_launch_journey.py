"""Issue 14's loop in a browser: a GP presses the button in the GP record, the signed
launch link opens the referral form filled in, the GP sends it; the case is worked and
closed; the person's registered practice (not the one that referred) finds the message
back in its practice inbox and files it, and its shared mailbox was emailed a link.
Every page is also checked by the harness (axe, CSP)."""

from __future__ import annotations

import re
import time

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from demo.seeds import core as core_demo
from interop.launch import encode_context, sign
from interop.models import PracticeIntegration, PracticeMessage
from linkworkers.services.cases import case_open
from linkworkers.services.closure import case_close
from linkworkers.services.contacts import contact_record
from referrals.models import Referral, TriageRoute
from referrals.services import referral_assign
from socialrx.core.models import Organisation, Role
from tests.factories import user_with_role

SECRET = "abbey-road-launch-secret-0123456789abcdef"


def test_launch_refer_close_and_the_registered_practice_files_the_message(
    page, new_context, login_as, demo_users
):
    # Given Abbey Road Surgery's GP system can launch referrals, and Marsh Lane Surgery
    # (where the patient is registered) has a shared mailbox and a receptionist
    orgs = Organisation.objects
    abbey_road, marsh_lane = orgs.get(ods_code="Y90001"), orgs.get(ods_code="Y90005")
    service = orgs.get(name=core_demo.LINK_WORKER_SERVICE)
    PracticeIntegration.objects.create(practice=abbey_road, launch_secret=SECRET)
    PracticeIntegration.objects.create(practice=marsh_lane, shared_mailbox="marsh@nhs.example")
    receptionist = user_with_role(Role.REFERRER, marsh_lane)
    gp, triage, worker = demo_users["gp"], demo_users["triage"], demo_users["linkworker"]
    team = worker.organisations_with_role(Role.LINK_WORKER)[0]
    TriageRoute.objects.create(is_default=True, service=service, default_team=team)
    mail.outbox.clear()

    # When the GP presses the button in the GP record
    ctx = encode_context(
        {
            "nhs_number": "9990000018",
            "given_name": "Ada",
            "family_name": "Lane",
            "birth_date": "1948-03-02",
            "address": "1 Test Street, Fenbridge",
            "postcode": "NS4 1AB",
            "registered_practice": "Y90005",
            "clinician": "Dr Test",
            "iat": int(time.time()),
        }
    )
    login_as(page, gp)
    page.goto(
        f"/referrals/launch/?practice=Y90001&ctx={ctx}&sig={sign(SECRET, ctx)}", timeout=60_000
    )

    # Then the form is filled in from the GP record, and the GP completes and sends it
    expect(page.locator("#prefill-note")).to_contain_text("Details from the GP record")
    expect(page.get_by_label("First name")).to_have_value("Ada")
    expect(page.get_by_label("NHS number")).to_have_value("9990000018")
    expect(page.get_by_label("Registered GP practice")).to_have_value(str(marsh_lane.pk))
    page.get_by_label("Loneliness and isolation").check()
    page.get_by_label("What matters to the person, in their own words").fill("Company")
    page.get_by_label("The person agrees to this referral").check()
    page.get_by_label("The person agrees to their information being shared").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending the referral"
    )
    page.get_by_role("button", name="Send referral").click()
    expect(page.get_by_text(re.compile(r"Referral SRX-\d{6} sent"))).to_be_visible()
    referral = Referral.objects.get(person__nhs_number="9990000018")
    assert referral.person.registered_practice == marsh_lane

    # And the referral is assigned, the person contacted, and the case closed
    referral_assign(referral=referral, team=team, actor=triage, link_worker=worker)
    case = case_open(referral=referral, actor=worker, link_worker=worker)
    contact_record(
        case=case,
        actor=worker,
        occurred_at=timezone.now(),
        mode="phone",
        successful=True,
        duration_minutes=30,
    )
    case_close(case=case, actor=worker, outcome="supported", support_summary="Walking group")
    assert PracticeMessage.objects.filter(practice=marsh_lane).count() == 2

    # Then Marsh Lane's receptionist finds the closing message in the practice inbox
    inbox = login_as(new_context().new_page(), receptionist)
    inbox.goto("/practice/messages/")
    expect(inbox.get_by_role("heading", level=1)).to_have_text("Practice inbox")
    inbox.get_by_role("row", name=re.compile("Closed")).get_by_role("link", name="Ada Lane").click()
    expect(inbox.get_by_role("heading", name="Social prescribing status")).to_be_visible()
    expect(inbox.get_by_text("Walking group")).to_be_visible()
    inbox.get_by_role("button", name="Mark as filed").click()
    expect(inbox.get_by_role("heading", level=1)).to_have_text("Practice inbox")
    assert PracticeMessage.objects.filter(filed_by=receptionist).count() == 1

    # And the shared mailbox was told, by link only
    told = [m for m in mail.outbox if m.to == ["marsh@nhs.example"]]
    assert len(told) == 2
    for message in told:
        assert "/practice/messages/" in message.body
        assert "Ada" not in message.body + message.subject
        assert "9990000018" not in message.body

"""The link worker's case page loads the outcomes app's measures fragment with htmx (the
case page names only its URL), shows what was recorded, and stays accessible."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from outcomes import codes
from tests.e2e.checks import assert_accessible
from tests.linkworkers.factories import CaseFactory
from tests.outcomes.factories import record_measure
from tests.outcomes.world import ensure_builtin_measures


def test_case_page_shows_recorded_measures_from_the_outcomes_fragment(page, login_as, demo_users):
    # Given a case of the demo link worker with a UCLA-3 baseline 13 weeks ago
    ensure_builtin_measures()
    worker = demo_users["linkworker"]
    team = worker.organisations_with_role("link_worker")[0]
    case = CaseFactory(team=team, link_worker=worker)
    baseline = timezone.localdate() - datetime.timedelta(weeks=13)
    record_measure(case, codes.UCLA3, [2, 2, 3], on=baseline)
    login_as(page, worker)

    # When they open the case page
    with page.expect_response(lambda r: "/outcomes/cases/" in r.url and r.status == 200):
        page.goto(f"/cases/{case.pk}/")

    # Then the fragment replaced the placeholder: the recorded baseline, and what is next
    section = page.locator("#outcome-measures")
    expect(section.get_by_role("heading", name="Outcome measures", level=2)).to_be_visible()
    expect(section.get_by_role("heading", name="UCLA", level=3).first).to_be_visible()
    expect(section.get_by_role("cell", name=f"{baseline:%-d %B %Y}")).to_be_visible()
    expect(section.get_by_role("link", name="Record UCLA-3 (12-week follow-up)")).to_be_visible()
    expect(page.get_by_role("link", name="See and record outcome measures")).to_have_count(0)
    # (The placeholder's heading is gone, so the page has one "Outcome measures".)
    expect(page.get_by_role("heading", name="Outcome measures")).to_have_count(1)
    assert_accessible(page)  # after the swap, not only on load


def test_a_follow_up_outside_its_window_asks_why_and_is_labelled(page, login_as, demo_users):
    # Given a case whose UCLA-3 baseline was recorded 3 weeks ago (the 12-week window
    # opens in 7 more weeks)
    ensure_builtin_measures()
    worker = demo_users["linkworker"]
    team = worker.organisations_with_role("link_worker")[0]
    case = CaseFactory(team=team, link_worker=worker)
    record_measure(
        case, codes.UCLA3, [3, 3, 3], on=timezone.localdate() - datetime.timedelta(weeks=3)
    )
    login_as(page, worker)

    # When they record the 12-week follow-up now, first without a reason
    page.goto(f"/outcomes/cases/{case.pk}/measures/{codes.UCLA3}/record/")
    expect(page.get_by_text("Today is outside that window")).to_be_visible()
    assert_accessible(page)
    for question in ("lack companionship", "left out", "isolated"):
        page.get_by_role("group", name=question).get_by_label("Some of the time").check()
    page.get_by_role("button", name="Save UCLA-3").click()

    # Then the form says what is missing, at the top and at the field
    expect(page.get_by_role("alert")).to_contain_text("Give the reason")
    assert_accessible(page)

    # And with the reason it is saved and labelled on the case's measures
    page.get_by_label("Why are you recording it outside its window?").fill("Moving away soon")
    page.get_by_role("button", name="Save UCLA-3").click()
    expect(page.get_by_text("Outside its window")).to_be_visible()
    assert_accessible(page)

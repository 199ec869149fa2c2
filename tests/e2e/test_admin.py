"""The audit log in the admin is a page system administrators use daily: it must pass the
same accessibility checks as ours."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from socialrx.core.audit import audit_record
from socialrx.core.models import AuditAction, Organisation, User


def test_system_admin_searches_the_audit_log(
    page: Page, login_as: Callable[[Page, User], Page], demo_users: dict[str, User]
) -> None:
    admin = demo_users["admin"]
    practice = Organisation.objects.get(ods_code="Y90001")
    audit_record(actor=demo_users["gp"], action=AuditAction.VIEW, obj=practice)
    login_as(page, admin)

    page.goto("/")
    page.get_by_role("link", name="Audit log").click()
    page.get_by_role("textbox", name="Search").fill(demo_users["gp"].email)
    page.keyboard.press("Enter")

    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("core.organisation")
    page.get_by_role("link", name="Viewed").first.click()  # the action filter
    expect(page.locator("#result_list tbody tr")).to_have_count(1)


def test_system_admin_adds_a_user_who_is_emailed_a_set_password_link(
    page: Page, login_as: Callable[[Page, User], Page], demo_users: dict[str, User], mailoutbox
) -> None:
    login_as(page, demo_users["admin"])
    page.goto("/admin/core/user/add/")

    # The form asks who the person is, and says a link will be emailed; no password box
    expect(
        page.get_by_text("We will email this person a link to choose their password")
    ).to_be_visible()
    expect(page.locator("input[type=password]")).to_have_count(0)
    # Saved empty, each field says what is missing
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errornote")).to_be_visible()
    page.get_by_label("Email").fill("new.volunteer@test.example")
    page.get_by_label("Full name").fill("Nia Volunteer")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    added = User.objects.get(email="new.volunteer@test.example")
    assert not added.has_usable_password()
    assert [m.to for m in mailoutbox] == [["new.volunteer@test.example"]]

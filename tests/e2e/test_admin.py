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

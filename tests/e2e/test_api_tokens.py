"""A GP connects their practice system: creates an API token, copies it, later revokes it.
Every page is checked by the harness (axe, assets, CSP)."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from socialrx.core.models import User


def test_gp_creates_uses_and_revokes_an_api_token(
    page: Page, login_as: Callable[[Page, User], Page], demo_users: dict[str, User]
) -> None:
    login_as(page, demo_users["gp"])
    page.goto("/")

    # The account area leads to the tokens; a new one is named and shown once
    page.get_by_role("link", name="API tokens").click()
    page.get_by_role("link", name="Create a token").click()
    page.get_by_label("Name").fill("Practice system")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your new API token")
    secret = page.get_by_label("API token").input_value()
    assert secret.startswith("sxr_")

    me = page.request.get("/api/v1/me/", headers={"Authorization": f"Bearer {secret}"})
    assert me.status == 200

    # Back on the list the token is active, and revoking it asks first
    page.get_by_role("link", name="I have copied the token").click()
    row = page.get_by_role("row", name="Practice system")
    expect(row).to_contain_text("Active")
    row.get_by_role("link", name="Revoke Practice system").click()
    page.get_by_role("button", name="Revoke token").click()
    expect(page.get_by_role("alert")).to_contain_text("Token 'Practice system' revoked.")
    expect(page.get_by_role("row", name="Practice system")).to_contain_text("Revoked by its owner")

    me = page.request.get("/api/v1/me/", headers={"Authorization": f"Bearer {secret}"})
    assert me.status == 401

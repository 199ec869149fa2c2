"""Smoke journeys: every demo role reaches its home page, and signing in works by keyboard.

Each page these tests open is also checked by the harness (axe, assets, CSP): see
conftest.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, Response, expect
from pytest_django.live_server_helper import LiveServer

from demo.seeds.core import DEMO_PASSWORD
from socialrx.core.models import User
from tests.e2e.helpers import start_keyboard_from_top, tab_until

ROLE_HEADINGS = [
    ("gp", "Referrer"),
    ("triage", "Triage lead"),
    ("linkworker", "Link worker"),
    ("vcse", "VCSE editor"),
    ("directory", "Directory administrator"),
    ("commissioner", "Commissioner"),
    ("manager", "Service manager"),
    ("admin", "System administrator"),
]


@pytest.mark.parametrize(("person", "role_label"), ROLE_HEADINGS)
def test_each_demo_role_lands_on_its_home_page(
    page: Page,
    login_as: Callable[[Page, User], Page],
    demo_users: dict[str, User],
    live_server: LiveServer,
    person: str,
    role_label: str,
) -> None:
    login_as(page, demo_users[person])

    page.goto("/")

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=2, name=role_label)).to_be_visible()


def test_the_nhs_stylesheet_loads_and_applies(
    page: Page, login_as: Callable[[Page, User], Page], demo_users: dict[str, User]
) -> None:
    login_as(page, demo_users["gp"])
    stylesheets: list[Response] = []

    def keep_stylesheet(response: Response) -> None:
        if response.request.resource_type == "stylesheet":
            stylesheets.append(response)

    page.on("response", keep_stylesheet)

    page.goto("/")

    assert stylesheets, "the page asked for no stylesheet"
    for response in stylesheets:
        # nosniff is on, so a stylesheet served with another type would be ignored.
        content_type = response.header_value("content-type") or ""
        assert response.status == 200, response.url
        assert content_type.startswith("text/css"), (response.url, content_type)
    # Applied, not only fetched: the NHS.UK header is NHS blue (#005eb8).
    header = page.locator(".nhsuk-header").first
    background = header.evaluate("element => getComputedStyle(element).backgroundColor")
    assert background == "rgb(0, 94, 184)", background


def test_signing_in_through_the_form(
    page: Page, demo_users: dict[str, User], live_server: LiveServer
) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/"))

    page.get_by_label("Email address").fill(demo_users["gp"].email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=2, name="Referrer")).to_be_visible()


def test_a_wrong_password_is_explained_and_the_error_leads_to_the_field(
    page: Page, demo_users: dict[str, User]
) -> None:
    # Given the sign-in page, used by keyboard only
    page.goto("/accounts/sign-in/")
    email = page.get_by_label("Email address")
    start_keyboard_from_top(page)
    tab_until(page, email)

    # When a wrong password is typed and submitted with Enter
    page.keyboard.type(demo_users["gp"].email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password", exact=True)).to_be_focused()
    page.keyboard.type("not-the-password")
    page.keyboard.press("Enter")

    # Then the NHS error summary explains it and links to the email field
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    link = summary.locator('a[href="#id_username"]')
    expect(link).to_be_visible()

    # And following that link by keyboard puts focus in the email field
    start_keyboard_from_top(page)
    tab_until(page, link)
    page.keyboard.press("Enter")
    expect(page.get_by_label("Email address")).to_be_focused()

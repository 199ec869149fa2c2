"""The harness itself: it must catch what the journeys rely on it to catch.

The pages here are answered by the test (route.fulfill) on the live server's origin, so
they do not depend on the site's templates.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Route

from tests.e2e.checks import PageChecks, assert_accessible

# An image without alt text is a critical violation (image-alt); the form lets the test
# leave the page by submitting it, the way most journeys leave pages.
INACCESSIBLE = """<!DOCTYPE html><html lang="en"><head><title>Bad</title></head>
<body><main><h1>Bad</h1><img src="/static/vendor/nhsuk-frontend/assets/images/nhsuk-icon-180.png">
<form action="/static/vendor/nhsuk-frontend/assets/manifest.json">
<button>Leave</button></form>
</main></body></html>"""
ACCESSIBLE = """<!DOCTYPE html><html lang="en"><head><title>Good</title>
<link rel="stylesheet" href="%s"></head><body><main><h1>Good</h1></main></body></html>"""
# A JSON document on the live server: somewhere to go that axe skips.
ELSEWHERE = "/static/vendor/nhsuk-frontend/assets/manifest.json"


def _serve(page: Page, path: str, html: str) -> None:
    def handle(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body=html)

    page.route(f"**{path}", handle)


def test_a_page_left_before_it_loads_is_still_checked(page: Page, page_checks: PageChecks) -> None:
    # Given a page whose image takes half a second, so its load event and axe run come late
    _serve(page, "/harness/inaccessible", INACCESSIBLE)

    def slow_image(route: Route) -> None:
        page.wait_for_timeout(500)
        route.fallback()

    page.route("**/*.png", slow_image)

    # When the user submits its form before it has finished loading
    page.goto("/harness/inaccessible", wait_until="commit")
    page.get_by_role("button", name="Leave").click()
    page.wait_for_url(re.compile(re.escape(ELSEWHERE)))

    # Then the navigation waited for the check, which found the missing alt text
    failures = page_checks.take_failures()
    assert len(failures) == 1, failures
    assert "image-alt (critical)" in failures[0]
    assert "/harness/inaccessible" in failures[0]
    assert "img" in failures[0]
    assert page_checks.visited[0].endswith("/harness/inaccessible")
    # The aborted image's handler may still be asleep: let it finish quietly.
    page.unroute_all(behavior="ignoreErrors")


def test_assert_accessible_names_rule_and_element(page: Page, page_checks: PageChecks) -> None:
    _serve(page, "/harness/inaccessible", INACCESSIBLE)
    page.goto("/harness/inaccessible")

    with pytest.raises(AssertionError, match=r"image-alt \(critical\)[\s\S]*img"):
        assert_accessible(page)

    page.goto(ELSEWHERE)
    page_checks.take_failures()


def test_a_missing_stylesheet_fails_the_test(page: Page, page_checks: PageChecks) -> None:
    _serve(page, "/harness/unstyled", ACCESSIBLE % "/static/css/does-not-exist.css")
    page.goto("/harness/unstyled")

    failures = page_checks.take_failures()

    assert failures == [
        f"stylesheet {page.url.split('/harness')[0]}/static/css/does-not-exist.css"
        f" answered 404 on {page.url}"
    ]


def test_an_accessible_page_passes(page: Page, page_checks: PageChecks) -> None:
    _serve(
        page,
        "/harness/accessible",
        ACCESSIBLE % "/static/vendor/nhsuk-frontend/nhsuk-frontend.min.css",
    )
    page.goto("/harness/accessible")

    assert_accessible(page)
    assert page_checks.take_failures() == []
    assert page_checks.visited == [page.url]

"""Browser journeys: pytest-playwright drives Debian's chromium against ``live_server``.

How a journey uses this (see test_smoke.py)::

    def test_something(page, login_as, demo_users):
        login_as(page, demo_users["gp"])         # session cookie, no sign-in form
        page.goto("/")                           # relative to live_server.url
        expect(page.get_by_role("heading", level=1)).to_have_text("Your work")

Fixtures: ``login_as(page, user)``; ``signed_in_page(user)`` (the test's page, signed
in); ``demo_users`` (Northshire people seeded by seed_core, by email local part);
``page_checks`` (what the harness has found so far). Any user from factories works with
``login_as`` too. Helpers: ``tests.e2e.checks.assert_accessible`` and
``tests.e2e.helpers.tab_until`` / ``start_keyboard_from_top`` for keyboard journeys.

- Every document the test opens is checked with axe-core and must have no serious or
  critical WCAG A/AA violation; broken assets, JS errors and CSP violations fail too
  (checks.py). Nothing to call; ``assert_accessible(page)`` checks the current state
  at once, for changes that are not navigations (htmx swaps, opened details).
- A test that routes document requests itself must end its handler with
  ``route.fallback()`` for pages it does not answer, or the harness cannot hold the
  navigation until the page being left has been checked.
- On failure a screenshot of each open page goes to ``test-results/<module>--<test>.png``
  and the pages visited are listed in the report.
- Tests here get the ``e2e`` marker, run after all other tests, and are skipped, with the
  reason in the summary, when ``/usr/bin/chromium`` is missing. Never `playwright install`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import BrowserContext, Page, Playwright

from demo.seeds.core import DEMO_DOMAIN, seed_core
from socialrx.core.models import User
from tests.e2e.checks import PageChecks

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    # Containers and CI runners give no user namespaces for chromium's sandbox, nor a GPU.
    "--no-sandbox",
    "--disable-gpu",
    # Nothing but the live server: no update checks, sync or first-run work.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
E2E_DIR = Path(__file__).resolve().parent
PAGE_CHECKS = pytest.StashKey[PageChecks]()
E2E_COUNT = pytest.StashKey[int]()
# Actions and navigations against a local server take milliseconds: fail in seconds,
# not Playwright's default 30, so a broken journey does not stall the suite.
DEFAULT_TIMEOUT_MS = 10_000


def _chromium_missing() -> str | None:
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return None
    return f"{CHROMIUM} not found: browser journeys need Debian's chromium (apt install chromium)"


def _is_e2e(item: pytest.Item) -> bool:
    return E2E_DIR in item.path.parents


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Called with every collected item, not only this directory's.
    missing = _chromium_missing()
    e2e, others = [], []
    for item in items:
        if not _is_e2e(item):
            others.append(item)
            continue
        item.add_marker(pytest.mark.e2e)
        if missing:
            item.add_marker(pytest.mark.skip(reason=missing))
        e2e.append(item)
    # Browser tests last: the fast tests report first, and the event loop Playwright
    # leaves running for the session (see `playwright` below) starts after them.
    items[:] = others + e2e
    config.stash[E2E_COUNT] = len(e2e)


def pytest_report_header(config: pytest.Config) -> str:
    # Shown when tests/e2e is named on the command line (pytest reads this conftest
    # early only then); the terminal summary below covers a whole-suite run.
    return _chromium_missing() or f"e2e: {CHROMIUM}, axe-core from static/vendor"


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    missing = _chromium_missing()
    count = config.stash.get(E2E_COUNT, 0)
    if missing and count:
        terminalreporter.write_line(f"e2e: {count} browser tests skipped: {missing}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    # A failing test keeps its own error; a passing one then fails on what the page
    # checks collected, as a test failure (with screenshot), not a teardown error.
    __tracebackhide__ = True
    result = yield
    checks = item.stash.get(PAGE_CHECKS, None)
    if checks is not None:
        checks.finish()
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    checks = item.stash.get(PAGE_CHECKS, None)
    # In the call phase the pages are still open; fixtures close them at teardown.
    if checks is not None and report.when == "call" and report.failed:
        shots = _screenshot_open_pages(item, checks)
        report.sections.append(("e2e pages visited", "\n".join(checks.visited) or "(none)"))
        if shots:
            report.sections.append(("e2e screenshots", "\n".join(shots)))
    return report


def _screenshot_open_pages(item: pytest.Item, checks: PageChecks) -> list[str]:
    output = Path(item.config.rootpath, item.config.getoption("--output", "test-results"))
    output.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{item.path.stem}--{item.name}").strip("-")
    pages = [page for context in checks.contexts for page in context.pages]
    paths = []
    for number, page in enumerate(pages, start=1):
        path = output / (f"{name}.png" if number == 1 else f"{name}-{number}.png")
        try:
            page.screenshot(path=path, full_page=True, timeout=5_000)
        except Exception as error:  # a failed screenshot must not hide the test's failure
            paths.append(f"(no screenshot of {page.url}: {error})")
        else:
            paths.append(str(path))
    return paths


# pytest-playwright fixtures, adjusted.


@pytest.fixture(scope="session")
def playwright(playwright: Playwright) -> Iterator[Playwright]:
    # Playwright's sync API keeps an asyncio event loop running in the main thread for
    # as long as it is started, and Django then refuses ORM calls from that thread
    # (SynchronousOnlyOperation) though nothing here is async: the test thread only
    # seeds data and makes sessions, the live server answers on its own thread. So the
    # check is off exactly while Playwright runs, and tests run after it are unaffected.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield playwright
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    # Debian's chromium, never a downloaded one. Headless unless --headed was given.
    return {
        "headless": True,
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any], live_server: Any) -> dict[str, Any]:
    # No bypass_csp: axe goes in by init script, which CSP does not govern, so the
    # journeys run under the production CSP and catch an inline script or style.
    return {
        **browser_context_args,
        "base_url": live_server.url,
        "locale": "en-GB",
        "timezone_id": "Europe/London",
    }


@pytest.fixture
def page_checks(request: pytest.FixtureRequest) -> PageChecks:
    checks = PageChecks()
    request.node.stash[PAGE_CHECKS] = checks
    return checks


@pytest.fixture
def new_context(
    new_context: Callable[..., BrowserContext], page_checks: PageChecks
) -> Callable[..., BrowserContext]:
    """pytest-playwright's factory (behind `context` and `page`), with the page checks."""

    def _new_context(**kwargs: Any) -> BrowserContext:
        context = new_context(**kwargs)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        page_checks.attach(context)
        return context

    return _new_context


# Signing in and demo data.


@pytest.fixture
def login_as(live_server: Any) -> Callable[[Page, User], Page]:
    """``login_as(page, user)``: signs the page's context in by session cookie."""

    def _login_as(page: Page, user: User) -> Page:
        # force_login saves a real session through the configured session engine, so
        # the live server accepts it as if the user had signed in through the form.
        client = Client()
        client.force_login(user)
        session_cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": session_cookie.value,
                    "url": live_server.url,
                    "httpOnly": True,
                    "sameSite": "Lax",
                }
            ]
        )
        return page

    return _login_as


@pytest.fixture
def signed_in_page(page: Page, login_as: Callable[[Page, User], Page]) -> Callable[[User], Page]:
    """``signed_in_page(user)``: the test's page, signed in as user."""
    return lambda user: login_as(page, user)


@pytest.fixture
def demo_users(transactional_db: None) -> dict[str, User]:
    """The Northshire demo people by the local part of their email: ``demo_users["gp"]``.

    Seeded per test: the live server needs committed data, so e2e tests use
    transactional_db, which empties the tables after each test.
    """
    seed_core()
    users = User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")
    return {user.email.split("@")[0]: user for user in users}

"""What every page a browser test visits must pass, checked without the test asking.

``PageChecks`` watches each browser context a test opens (the conftest attaches it):

- axe-core runs in every HTML document once it has loaded, and again on the state each
  open page is in when the test ends. A serious or critical violation of WCAG 2.0, 2.1 or
  2.2 at level A or AA fails the test, listing rule, help text and element selectors.
- A navigation away from a page is held until that page's axe run has reported, so a
  test that clicks on at once cannot skip a page.
- A stylesheet, script, image or font that fails to load, an uncaught JavaScript error or
  a Content-Security-Policy violation fails the test too.

Failures are collected while the test runs and raised when it ends (the conftest's
``pytest_runtest_call``), so one run reports every page at fault. Call
``assert_accessible(page)`` to check the page now, e.g. after an htmx swap or after
opening a details element, which are not navigations.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, Response, Route
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

AXE_PATH = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
# Sub-resources a page cannot do without. XHR/fetch answers are left out: an htmx
# request may be refused on purpose (a 403 journey), and the test asserts on that itself.
ASSET_TYPES = frozenset({"stylesheet", "script", "image", "font", "media"})
# Long enough for axe on a big page in a slow CI container, and shorter than the
# conftest's 10-second action timeout, so a page that takes longer is reported as
# unchecked rather than as a click that timed out.
HOLD_LIMIT_SECONDS = 8
# The NHS.UK stylesheet names the Frutiger web font on assets.nhs.uk; the CSP blocks it
# and the system font is used instead, as ADR 0004 accepts. Anything else off-site is a
# failure.
ACCEPTED_BLOCKED = ("https://assets.nhs.uk/fonts/",)

# Runs at the start of every document, before the page's own scripts. Playwright adds
# init scripts through the DevTools protocol, so the site's CSP (script-src 'self')
# does not block them and the tests see the CSP exactly as users do: no bypass_csp.
_BOOTSTRAP = """
(() => {
  // Top-level web pages only: axe reaches into iframes from the top document.
  if (window.top !== window || !/^https?:$/.test(location.protocol)) return;
  const options = {runOnly: {type: "tag", values: %(tags)s}, resultTypes: ["violations"]};
  const summarise = (results) => results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({
      target: n.target.flat(Infinity).join(" >>> "), html: n.html.slice(0, 200),
    })),
  }));
  const isHtml = document.contentType === "text/html";
  let queue = Promise.resolve();
  // axe refuses a second run while one is in progress, so runs wait their turn.
  // A document left before it loads may not have its stylesheets applied yet (a script
  // no longer holds the parser back until they arrive), so what it looks like is not
  // what anyone sees: the rules that measure the rendered page wait for a loaded one.
  const RENDERED_RULES = {"target-size": {enabled: false}, "color-contrast": {enabled: false}};
  const run = (early = false) => {
    const runOptions = early ? {...options, rules: RENDERED_RULES} : options;
    const next = queue.then(() => (isHtml ? axe.run(document, runOptions).then(summarise) : null));
    queue = next.catch(() => {});
    return next;
  };
  const documentId = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  window.__e2eDocumentStarted(documentId);
  const report = (result) => window.__e2eReport({documentId, url: location.href, ...result});
  const loaded = new Promise((resolve) => {
    let started = false;
    const start = () => {
      if (started) return;
      started = true;
      run(document.readyState !== "complete")
        .then((violations) => report({violations}), (error) => report({error: String(error)}))
        .finally(resolve);
    };
    // After load, and a tick later, so the page's own scripts have set it up.
    const afterLoad = () => setTimeout(start, 0);
    if (document.readyState === "complete") afterLoad();
    else window.addEventListener("load", afterLoad, {once: true});
    // A page left before it loads never fires load (leaving aborts its loading), but
    // it stays alive until the next page commits, which the harness holds back.
    window.addEventListener("beforeunload", start, {once: true});
  });
  window.__e2eChecks = {run, loaded};
})();
"""

_CHECK_NOW = """async () => {
  const checks = window.__e2eChecks;
  if (!checks) return {instrumented: false};
  // A page still loading after 5 seconds is checked as it stands, not waited on forever.
  await Promise.race([checks.loaded, new Promise((resolve) => setTimeout(resolve, 5000))]);
  return {instrumented: true, violations: await checks.run()};
}"""


def _init_script() -> str:
    bootstrap = _BOOTSTRAP % {"tags": json.dumps(list(WCAG_TAGS))}
    return AXE_PATH.read_text(encoding="utf-8") + "\n;" + bootstrap


def blocking(violations: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    return [v for v in violations or [] if v.get("impact") in BLOCKING_IMPACTS]


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} serious or critical axe violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"  - {violation['id']} ({violation['impact']}): {violation['help']}"
            f"  <{violation['helpUrl']}>"
        )
        lines += [f"      {node['target']}    {node['html']}" for node in violation["nodes"]]
    return "\n".join(lines)


def check_now(page: Page) -> list[dict[str, Any]]:
    """The page's serious and critical violations in its current state."""
    result = page.evaluate(_CHECK_NOW)
    if not result["instrumented"]:
        raise AssertionError(
            f"{page.url} is not instrumented for axe: use the `page` fixture or a context "
            "from `new_context`, and navigate to an http(s) page first"
        )
    return blocking(result["violations"])


def assert_accessible(page: Page) -> None:
    """Fail now if the page, as it stands, has serious or critical axe violations."""
    __tracebackhide__ = True
    violations = check_now(page)
    if violations:
        raise AssertionError(format_violations(page.url, violations))


@dataclass
class _PageState:
    document_id: str | None = None
    reported: set[str] = field(default_factory=set)


class PageChecks:
    """Collects what is wrong with the pages of one test; see the module docstring."""

    def __init__(self) -> None:
        self.contexts: list[BrowserContext] = []
        self.visited: list[str] = []
        self._failures: list[str] = []
        self._pages: dict[Page, _PageState] = {}
        self._script = _init_script()

    def attach(self, context: BrowserContext) -> None:
        context.expose_binding("__e2eDocumentStarted", self._document_started)
        context.expose_binding("__e2eReport", self._report)
        context.add_init_script(script=self._script)
        # Registered first, so a test's own routes run before it; they must end in
        # route.fallback() for navigations to be held (see _hold_navigation).
        context.route("**/*", self._hold_navigation)
        context.on("page", self._watch)
        self.contexts.append(context)

    def take_failures(self) -> list[str]:
        """The failures so far, without duplicates; forgets them (for the harness's tests)."""
        failures, self._failures = list(dict.fromkeys(self._failures)), []
        return failures

    def finish(self) -> None:
        """Check each open page as the test left it, then fail with everything found."""
        __tracebackhide__ = True
        for context in self.contexts:
            for page in context.pages:
                self._check_final_state(page)
        failures = self.take_failures()
        if failures:
            raise AssertionError("\n\n".join(failures))

    def _check_final_state(self, page: Page) -> None:
        if page.is_closed() or not page.url.startswith(("http://", "https://")):
            return
        try:
            # A navigation the test started last may still be under way. A form answered
            # by a download leaves the page as it was, yet Playwright may go on waiting
            # for a load that never comes: then the page is checked as it stands.
            try:
                page.wait_for_load_state(timeout=10_000)
            except PlaywrightTimeoutError:
                pass
            violations = check_now(page)
        except (AssertionError, PlaywrightError) as error:
            self._failures.append(f"Could not check {page.url} as the test left it: {error}")
            return
        if violations:
            self._failures.append(format_violations(page.url, violations))

    def _watch(self, page: Page) -> None:
        self._pages[page] = _PageState()
        page.on(
            "pageerror", lambda error: self._failures.append(f"JS error on {page.url}: {error}")
        )
        page.on("console", lambda message: self._console(page, message))
        page.on("response", lambda response: self._response(page, response))
        page.on("requestfailed", lambda request: self._request_failed(page, request))

    def _document_started(self, source: dict[str, Any], document_id: str) -> None:
        self._pages.setdefault(source["page"], _PageState()).document_id = document_id

    def _report(self, source: dict[str, Any], payload: dict[str, Any]) -> None:
        self._pages.setdefault(source["page"], _PageState()).reported.add(payload["documentId"])
        url = payload["url"]
        self.visited.append(url)
        if "error" in payload:
            self._failures.append(f"axe could not check {url}: {payload['error']}")
        elif violations := blocking(payload["violations"]):
            self._failures.append(format_violations(url, violations))

    def _hold_navigation(self, route: Route) -> None:
        request = route.request
        if request.is_navigation_request() and request.frame.parent_frame is None:
            self._wait_for_report(request.frame.page)
        route.fallback()

    def _wait_for_report(self, page: Page) -> None:
        # Evaluating in the page while its navigation is pending never returns, so this
        # waits for the page's own load-time run instead. wait_for_timeout yields to
        # Playwright's dispatcher, which delivers the report to _report meanwhile.
        state = self._pages.get(page)
        if state is None or state.document_id is None:
            return
        deadline = time.monotonic() + HOLD_LIMIT_SECONDS
        while state.document_id not in state.reported:
            if time.monotonic() > deadline:
                self._failures.append(f"{page.url} was left before axe finished checking it")
                return
            try:
                page.wait_for_timeout(10)
            except PlaywrightError:  # the page closed meanwhile: nothing left to check
                return

    def _console(self, page: Page, message: ConsoleMessage) -> None:
        text = message.text
        if any(url in text for url in ACCEPTED_BLOCKED):
            return
        if not message.location.get("url"):
            # From the init script (axe adds an empty <style> on some form pages): the
            # page's own scripts and markup report their address, and the CSP allows no
            # inline script, so only this harness runs code without one.
            return
        if message.type == "error" and "Content Security Policy" in text:
            self._failures.append(f"CSP violation on {page.url}: {text}")

    def _response(self, page: Page, response: Response) -> None:
        resource_type = response.request.resource_type
        if response.status >= 400 and resource_type in ASSET_TYPES:
            self._failures.append(
                f"{resource_type} {response.url} answered {response.status} on {page.url}"
            )

    def _request_failed(self, page: Page, request: Request) -> None:
        # ERR_ABORTED is the browser dropping a request because the page moved on.
        if request.url.startswith(ACCEPTED_BLOCKED) or request.failure == "net::ERR_ABORTED":
            return
        if request.resource_type in ASSET_TYPES:
            self._failures.append(
                f"{request.resource_type} {request.url} failed ({request.failure}) on {page.url}"
            )

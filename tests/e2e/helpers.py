"""Small steps journeys share."""

from __future__ import annotations

from playwright.sync_api import Locator, Page


def tab_until(page: Page, target: Locator, *, max_presses: int = 25) -> int:
    """Press Tab until target has focus, as a keyboard user would; the presses it took.

    Fails if target is not reached, which means it is not in the tab order (or is
    behind more than max_presses other stops).
    """
    for presses in range(1, max_presses + 1):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return presses
    raise AssertionError(f"{target} not reached after {max_presses} presses of Tab")


def start_keyboard_from_top(page: Page) -> None:
    """Put keyboard focus back at the start of the document, as after a fresh load."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    # Blur leaves the sequential focus starting point where it was; focusing the body
    # via a temporary tabindex resets it to the top.
    page.evaluate(
        """() => {
          document.body.setAttribute("tabindex", "-1");
          document.body.focus();
          document.body.removeAttribute("tabindex");
        }"""
    )

"""Every admin page a system administrator can open (each registered model's list, its
add form and one record's change form, ours and the packages') meets the checks our own
pages meet: no serious or critical axe violation, nothing blocked by the Content Security
Policy. Django's and the packages' widgets needed mending for it: labelled date and time
inputs, inline rows labelled by column, id boxes instead of select2, underlined
breadcrumbs, 24px lookup links, a package's inline script moved to a file."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import Page

from socialrx.core.models import User


def _admin_pages() -> list[str]:
    pages = []
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        for view in ("changelist", "add"):
            try:
                pages.append(reverse("admin:{}_{}_{}".format(*info, view)))
            except NoReverseMatch:  # an admin that serves no such page
                continue
        record = model._default_manager.order_by("pk").first()
        if record is not None:
            pages.append(reverse("admin:{}_{}_change".format(*info), args=[record.pk]))
    return pages


def test_every_admin_page_passes_the_checks_our_pages_pass(
    page: Page, login_as: Callable[[Page, User], Page], demo_users: dict[str, User]
) -> None:
    login_as(page, demo_users["admin"])
    pages = _admin_pages()
    # The checks run on each page as it loads (tests/e2e/checks.py) and fail the test
    # with every violation found, naming the page.
    for url in pages:
        response = page.goto(url)
        assert response is not None, url
        # 403: the add form of a record kept as written (the audit log, tokens)
        assert response.status in (200, 403), url
    assert len(pages) > 60  # every registered model, not an empty registry

"""The NHS.UK frontend stylesheet we build (scripts/nhsuk-frontend.scss, ADR 0029).

It holds only the components our pages use, so a template that starts using another
component would silently lose its styles: these tests read every ``nhsuk-`` class our
templates, scripts and Python write, and look for it in the built CSS.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
STYLESHEET = ROOT / "static" / "vendor" / "nhsuk-frontend" / "nhsuk-frontend.min.css"
PYTHON_PACKAGES = "socialrx directory referrals linkworkers outcomes interop demo".split()

# A class name written in full: not part of a path or file name (vendor/nhsuk-frontend/,
# nhsuk-icon-180.png) and not the fixed start of a name built at run time (followed by
# `{{`, `{%` or an f-string's `{`).
CLASS_NAME = re.compile(r"(?<![\w/.-])nhsuk-[a-z0-9_-]*[a-z0-9](?![\w./{%-])")

# Names NHS.UK frontend's own markup carries that its CSS does not style: wrappers its
# macros write, JavaScript hooks (nhsuk-js-*) and the names of its SVG icons.
UNSTYLED = {"nhsuk-file-upload", "nhsuk-password-input", "nhsuk-header__account-form"}
UNSTYLED_PREFIXES = ("nhsuk-js-", "nhsuk-icon--")

# Built at run time by the nhsuk_tag template tag from a presenter's colour.
TAG_COLOURS = "grey green aqua-green blue purple pink red orange yellow white".split()


def defined_classes() -> set[str]:
    return set(re.findall(r"\.(nhsuk-[\w-]+)", STYLESHEET.read_text()))


def source_files() -> list[Path]:
    files = [*(ROOT / "templates").rglob("*.html"), *(ROOT / "static" / "js").glob("*.js")]
    for package in PYTHON_PACKAGES:
        files += [p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts]
    return files


def used_classes() -> dict[str, Path]:
    used: dict[str, Path] = {}
    for path in source_files():
        for match in CLASS_NAME.finditer(path.read_text()):
            used.setdefault(match.group(), path.relative_to(ROOT))
    return used


def test_every_class_we_use_is_in_the_built_stylesheet() -> None:
    defined = defined_classes()
    missing = {
        name: str(path)
        for name, path in used_classes().items()
        if name not in defined and name not in UNSTYLED and not name.startswith(UNSTYLED_PREFIXES)
    }
    assert missing == {}, "add the component to scripts/nhsuk-frontend.scss, then make vendor"


def test_the_scan_finds_the_classes_of_the_main_components() -> None:
    # Guards the scan itself: a pattern that matched nothing would pass the test above.
    used = used_classes()
    for name in (
        "nhsuk-header",
        "nhsuk-button",
        "nhsuk-summary-list__key",
        "nhsuk-u-margin-bottom-0",
    ):
        assert name in used


def test_every_tag_colour_is_in_the_built_stylesheet() -> None:
    defined = defined_classes()
    assert [c for c in TAG_COLOURS if f"nhsuk-tag--{c}" not in defined] == []


def test_the_stylesheet_loads_nothing_from_other_sites() -> None:
    css = STYLESHEET.read_text()
    assert "@font-face" not in css
    urls = re.findall(r"url\(\"?([^\")]+)", css)
    assert urls, "the stylesheet's icons (sortable tables, search) are files next to it"
    assert [u for u in urls if not u.startswith("assets/images/")] == []
    for url in urls:
        assert (STYLESHEET.parent / url).is_file()

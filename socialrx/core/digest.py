"""Sections of the link worker's daily digest contributed by other apps.

The digest is sent by ``linkworkers``, which must not import the apps after it (outcomes
adds "measures due for follow-up"). So, as with workspaces, an app
registers a section from its ``AppConfig.ready`` and the digest asks core for the lines.

A line is a label, a count and at most a link path: the digest is an email, which leaves
our control, so it carries counts and links only, never a name, reference or date of a
person. Keeping the line this narrow is what makes a section safe to add.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from socialrx.core.models import User


@dataclass(frozen=True)
class DigestLine:
    label: str
    count: int
    link: str = ""  # a path on this site ("/caseload/"); the sender makes it absolute

    def __post_init__(self) -> None:
        if self.count < 0:
            raise ValueError(f"A digest count cannot be negative: {self.count}")
        # A path only: a full address or a query string could smuggle data into the email.
        if self.link and (not self.link.startswith("/") or "?" in self.link):
            raise ValueError(f"A digest link must be a plain path on this site: {self.link!r}")


@dataclass(frozen=True)
class DigestSection:
    name: str
    lines: tuple[DigestLine, ...]

    @property
    def total(self) -> int:
        return sum(line.count for line in self.lines)


DigestSectionFn = Callable[[User, datetime.date], list[DigestLine]]

# name -> function, in registration order (INSTALLED_APPS order, as ready() runs).
_sections: dict[str, DigestSectionFn] = {}


def register_digest_section(name: str, fn: DigestSectionFn) -> None:
    """Add (or, under the same name, replace) a section. Replacing rather than adding
    again keeps a ready() that runs twice, as it can in tests, from doubling lines."""
    _sections[name] = fn


def unregister_digest_section(name: str) -> None:
    _sections.pop(name, None)


def digest_sections_for(user: User, today: datetime.date) -> list[DigestSection]:
    """Every registered section's lines for ``user``, skipping sections with none."""
    sections = []
    for name, fn in _sections.items():
        lines = tuple(fn(user, today))
        # Only DigestLines: anything richer (a model, a dict) could carry personal data.
        if not all(isinstance(line, DigestLine) for line in lines):
            raise TypeError(f"Digest section {name!r} must return DigestLine objects")
        if lines:
            sections.append(DigestSection(name=name, lines=lines))
    return sections

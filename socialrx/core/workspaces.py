"""The work areas the home page offers each role, what waits on each role, and the
public entries offered to visitors who are not signed in.

Each app registers its own entries from its ``AppConfig.ready`` so that core needs to
import no app. The home page shows every entry whose role the user holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from socialrx.core.models import Role, User


@dataclass(frozen=True)
class Workspace:
    role: str
    title: str
    url_name: str
    description: str

    @property
    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


_registry: list[Workspace] = []


def register_workspace(*, role: str, title: str, url_name: str, description: str) -> None:
    entry = Workspace(role=role, title=title, url_name=url_name, description=description)
    if entry not in _registry:
        _registry.append(entry)


def workspaces_for(user: User, role: str) -> list[Workspace]:
    if role not in user.roles:
        return []
    return [w for w in _registry if w.role == role and w.url]


@dataclass(frozen=True)
class Waiting:
    """Work that waits on the user in a role, such as referrals awaiting their answer:
    ``count(user)`` says how many, and the home page links to ``url_name`` (+ ``query``)."""

    role: str
    label: str
    url_name: str
    query: str
    count: Callable[[User], int]

    @property
    def url(self) -> str | None:
        try:
            return reverse(self.url_name) + self.query
        except NoReverseMatch:
            return None


_waiting: list[Waiting] = []


def register_waiting(
    *, role: str, label: str, url_name: str, count: Callable[[User], int], query: str = ""
) -> None:
    """``label`` takes the count: "{n} referrals wait for your answer"."""
    entry = Waiting(role=role, label=label, url_name=url_name, query=query, count=count)
    if all((w.role, w.label) != (role, label) for w in _waiting):
        _waiting.append(entry)


@dataclass(frozen=True)
class WaitingNow:
    text: str
    url: str


def waiting_for(user: User, role: str) -> list[WaitingNow]:
    """What waits on the user in ``role`` now; nothing waiting is not shown."""
    if role not in user.roles:
        return []
    found = []
    for entry in _waiting:
        if entry.role != role or entry.url is None:
            continue
        n = entry.count(user)
        if n:
            found.append(WaitingNow(entry.label.format(n=n, s="" if n == 1 else "s"), entry.url))
    return found


@dataclass(frozen=True)
class PublicEntry:
    title: str
    url_name: str
    description: str

    @property
    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


_public: list[PublicEntry] = []


def register_public_entry(*, title: str, url_name: str, description: str) -> None:
    """An entry on the public landing page (``/`` for visitors not signed in)."""
    entry = PublicEntry(title=title, url_name=url_name, description=description)
    if entry not in _public:
        _public.append(entry)


def public_entries() -> list[PublicEntry]:
    return [e for e in _public if e.url]


ROLE_PURPOSE: dict[str, str] = {
    Role.REFERRER: "Refer people to social prescribing and see what happened to them.",
    Role.LINK_WORKER: "Work your caseload: contacts, assessments, support plans and connections.",
    Role.TRIAGE_LEAD: "Triage new referrals and assign them to link worker teams.",
    Role.VCSE_EDITOR: "Keep your organisation's listings and capacity up to date.",
    Role.DIRECTORY_ADMIN: "Approve organisations and review stale or changed listings.",
    Role.COMMISSIONER: "Download activity, equity and outcome reports.",
    Role.SERVICE_MANAGER: "Oversee your service's teams, caseloads and performance.",
    Role.SYSTEM_ADMIN: "Manage users, organisations and roles, and review the audit log.",
    Role.INFORMATION_GOVERNANCE: (
        "See who has looked at a person's records, apply the retention schedule, decide "
        "erasure and restriction requests and answer subject access requests."
    ),
}

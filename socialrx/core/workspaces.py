"""The work areas the home page offers each role.

Each app registers its own entries from its ``AppConfig.ready`` so that core needs to
import no app. The home page shows every entry whose role the user holds.
"""

from __future__ import annotations

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
        "Apply the retention schedule, decide erasure and restriction requests and "
        "answer subject access requests."
    ),
}

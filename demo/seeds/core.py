"""Northshire's core records: its organisations and one demo login per role. Every
name here is invented (the names are in demo/data/northshire.json).

Each seeding function is idempotent: it looks records up by natural keys and creates
only what is missing, so running the command twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from demo.files import read_json
from socialrx.core.models import Membership, Organisation, OrganisationType, Profession, Role, User

DEMO_PASSWORD = "northshire-demo-2026"
DEMO_DOMAIN = "northshire.example"

_NORTHSHIRE = read_json("northshire.json")
COUNCIL: str = _NORTHSHIRE["council"]
ICB: str = _NORTHSHIRE["icb"]
# PCN name: its practices as (name, ODS code); the codes are in the Y9 range, not real.
PCNS: dict[str, list[tuple[str, str]]] = {
    pcn: [(name, ods) for name, ods in practices] for pcn, practices in _NORTHSHIRE["pcns"].items()
}
LINK_WORKER_SERVICE: str = _NORTHSHIRE["link_worker_service"]
COUNCIL_TEAM: str = _NORTHSHIRE["council_team"]
PCN_TEAM: str = _NORTHSHIRE["pcn_team"]
VCSE_ORGANISATIONS: list[str] = _NORTHSHIRE["vcse_organisations"]


@dataclass
class SeedSummary:
    organisations: int = 0
    users: int = 0
    logins: list[tuple[str, str]] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.organisations} organisations, {self.users} users"


def _org(
    name: str, org_type: str, parent: Organisation | None = None, ods: str = ""
) -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        org_type=org_type, name=name, defaults={"parent": parent, "ods_code": ods}
    )
    return org


def _user(local: str, full_name: str, staff: bool = False) -> User:
    email = f"{local}@{DEMO_DOMAIN}"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email, DEMO_PASSWORD, full_name=full_name, is_staff=staff, is_superuser=staff
        )
    return user


def _role(user: User, org: Organisation, role: str, **extra: object) -> None:
    Membership.objects.get_or_create(user=user, organisation=org, role=role, defaults=extra)


@transaction.atomic
def seed_core() -> SeedSummary:
    icb = _org(ICB, OrganisationType.ICB, ods="QYN")
    council = _org(COUNCIL, OrganisationType.COUNCIL)
    practices: list[Organisation] = []
    pcns: list[Organisation] = []
    for pcn_name, pcn_practices in PCNS.items():
        pcn = _org(pcn_name, OrganisationType.PCN, parent=icb)
        pcns.append(pcn)
        practices += [
            _org(name, OrganisationType.GP_PRACTICE, parent=pcn, ods=ods)
            for name, ods in pcn_practices
        ]
    service = _org(LINK_WORKER_SERVICE, OrganisationType.LINK_WORKER_SERVICE, parent=council)
    council_team = _org(COUNCIL_TEAM, OrganisationType.LINK_WORKER_TEAM, parent=service)
    _org(PCN_TEAM, OrganisationType.LINK_WORKER_TEAM, parent=pcns[0])
    vcse = [_org(name, OrganisationType.VCSE) for name in VCSE_ORGANISATIONS]

    RoleGrant = tuple[Organisation, str, dict[str, object]]
    people: list[tuple[str, str, list[RoleGrant], str]] = [
        (
            "gp",
            "Dr Asha Patel",
            [(practices[0], Role.REFERRER, {"profession": Profession.GP})],
            "Referrer (GP) at Abbey Road Surgery",
        ),
        (
            "triage",
            "Tom Okafor",
            [(service, Role.TRIAGE_LEAD, {})],
            "Triage lead, Northshire Connect",
        ),
        (
            "linkworker",
            "Jess Morgan",
            [(council_team, Role.LINK_WORKER, {"target_caseload": 200})],
            "Link worker, Northshire Connect community team",
        ),
        (
            "vcse",
            "Priya Shah",
            [(vcse[0], Role.VCSE_EDITOR, {}), (vcse[0], Role.REFERRER, {})],
            "VCSE editor (and referrer), Northshire Befriending Network",
        ),
        (
            "directory",
            "Sam Hughes",
            [(council, Role.DIRECTORY_ADMIN, {})],
            "Directory administrator, Northshire County Council",
        ),
        (
            "commissioner",
            "Morgan Ellis",
            [(icb, Role.COMMISSIONER, {})],
            "Commissioner, Northshire and Fenbridge ICB",
        ),
        (
            "manager",
            "Chris Walker",
            [(service, Role.SERVICE_MANAGER, {})],
            "Service manager, Northshire Connect",
        ),
        (
            "admin",
            "Alex Reid",
            [(council, Role.SYSTEM_ADMIN, {})],
            "System administrator (and Django admin)",
        ),
    ]
    summary = SeedSummary()
    for local, name, roles, description in people:
        user = _user(local, name, staff=local == "admin")
        for org, role, extra in roles:
            _role(user, org, role, **extra)
        summary.logins.append((user.email, description))
    summary.organisations = Organisation.objects.count()
    summary.users = User.objects.count()
    return summary

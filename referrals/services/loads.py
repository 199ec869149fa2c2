"""How many referrals each link worker of a service holds."""

from __future__ import annotations

import dataclasses

from django.db.models import Count, Q

from referrals import codes
from referrals.services.triage import teams_for_service
from socialrx.core.models import Membership, Organisation, Role, User


@dataclasses.dataclass(frozen=True)
class LinkWorkerLoad:
    user: User
    team: Organisation
    open_referrals: int
    target_caseload: int | None

    @property
    def label(self) -> str:
        target = f" of {self.target_caseload} a year" if self.target_caseload else ""
        return f"{self.user} ({self.team}): {self.open_referrals} open{target}"


def link_worker_loads(*, service: Organisation) -> list[LinkWorkerLoad]:
    """Each link worker in the service's teams, with open referrals against their caseload."""
    open_assigned = Q(user__referrals_assigned__status__in=codes.OPEN_STATUSES)
    memberships = (
        Membership.objects.active()
        .with_role(Role.LINK_WORKER)
        .filter(organisation__in=teams_for_service(service))
        .select_related("user", "organisation")
        .annotate(open_referrals=Count("user__referrals_assigned", filter=open_assigned))
        .order_by("organisation__name", "user__full_name")
    )
    return [
        # open_referrals is the annotation above, unknown to the type checker.
        LinkWorkerLoad(m.user, m.organisation, m.open_referrals, m.effective_target_caseload)  # type: ignore[attr-defined]
        for m in memberships
    ]

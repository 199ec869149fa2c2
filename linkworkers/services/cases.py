"""Opening cases, and the caseload figures team leads see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from linkworkers import codes
from linkworkers.models import Case, CaseStatusEvent
from linkworkers.permissions import CASE_WORK_DENIED, can_open_case, can_work_on_case
from referrals import codes as referral_codes
from referrals.models import Referral
from referrals.services import referral_set_link_worker
from socialrx.core.audit import audit_record
from socialrx.core.models import AuditAction, Membership, Organisation, Role, User
from socialrx.core.working_days import add_working_days


def case_event_write(
    *, case: Case, kind: str, actor: User | None, previous: str = "", note: str = ""
) -> CaseStatusEvent:
    """The immutable row for a change the caller has just made to ``case.status``."""
    return CaseStatusEvent.objects.create(
        case=case, kind=kind, from_status=previous, to_status=case.status, actor=actor, note=note
    )


def case_for_work(case: Case, actor: User) -> Case:
    """The case, locked, if the actor may work on it (``can_work_on_case``) and it is
    open: the first step of every service that records work on a case."""
    if not can_work_on_case(actor, case):
        raise PermissionDenied(CASE_WORK_DENIED)
    case = Case.objects.select_for_update().select_related("referral").get(pk=case.pk)
    if not case.is_open:
        raise ValidationError("This case is closed")
    return case


def case_move(*, case: Case, kind: str, actor: User, **fields: object) -> CaseStatusEvent:
    """Move the case (locked by the caller) by ``kind``, if ``codes.CASE_TRANSITIONS``
    allows it from where the case is, saving ``fields`` with the new status, and write
    the event: the one way a case's status changes after it is opened."""
    if not codes.can_move_case(case.status, kind):
        raise ValidationError(f"A case that is {case.get_status_display().lower()} cannot move so")
    previous = case.status
    case.status = codes.CASE_TRANSITIONS[kind].target
    for name, value in fields.items():
        setattr(case, name, value)
    case.save(update_fields=["status", *fields, "updated_at"])
    return case_event_write(case=case, kind=kind, actor=actor, previous=previous)


@transaction.atomic
def case_open(*, referral: Referral, actor: User, link_worker: User | None = None) -> Case:
    """Open a case on a referral assigned to the actor's team.

    The link worker is the one given, else the one triage named, else the actor; the
    referral is updated to name them too. First contact falls due the same number of
    working days after opening as the referrals reminder allows after assignment, so the
    two deadlines agree.
    """
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not can_open_case(actor, referral):
        raise PermissionDenied("Only a link worker of the assigned team can open this case")
    if referral.status != referral_codes.Status.ASSIGNED:
        raise ValidationError("Only an assigned referral can be opened as a case")
    if Case.objects.filter(referral=referral).exists():
        raise ValidationError("A case is already open for this referral")
    team_id: int = referral.assigned_team_id  # type: ignore[assignment]  # checked above
    worker = link_worker or referral.assigned_link_worker or actor
    if worker.pk != referral.assigned_link_worker_id:
        # The referral names the same worker as the case (no email: not a status change).
        referral = referral_set_link_worker(referral=referral, link_worker=worker, actor=actor)
    now = timezone.now()
    case = Case.objects.create(
        referral=referral,
        team_id=team_id,
        link_worker=worker,
        opened_at=now,
        first_contact_due_on=add_working_days(
            timezone.localdate(now), settings.REFERRALS_FIRST_CONTACT_ALERT_WORKING_DAYS
        ),
    )
    case_event_write(case=case, kind=codes.CaseEventKind.OPENED, actor=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=case, detail={"referral": referral.pk})
    return case


# --- the team lead's page -------------------------------------------------------------


@dataclass(frozen=True)
class WorkerLoad:
    user: User
    team: Organisation
    open_cases: int
    overdue_first_contacts: int
    overdue_reviews: int
    opened_last_year: int
    target_caseload: int | None

    @property
    def overdue(self) -> int:
        return self.overdue_first_contacts + self.overdue_reviews

    @property
    def capacity_used_percent(self) -> int | None:
        """People taken on in the last 12 months against the yearly target."""
        if not self.target_caseload:
            return None
        return round(100 * self.opened_last_year / self.target_caseload)


def _count(cases: QuerySet[Case]) -> Coalesce:
    per_worker = cases.order_by().values("link_worker").annotate(n=Count("pk", distinct=True))
    return Coalesce(Subquery(per_worker.values("n"), output_field=IntegerField()), 0)


def team_loads(
    *, teams: list[Organisation], today: datetime.date | None = None
) -> list[WorkerLoad]:
    """Each link worker of ``teams`` with open cases, overdue work and capacity; one query.

    Counted with a subquery per figure: joining cases and goals in one aggregate would
    multiply the rows and overcount."""
    today = today or timezone.localdate()
    mine = Case.objects.filter(link_worker=OuterRef("user"), team=OuterRef("organisation"))
    year_ago = timezone.now() - datetime.timedelta(days=365)
    memberships = (
        Membership.objects.active()
        .with_role(Role.LINK_WORKER)
        .filter(organisation__in=teams)
        .select_related("user", "organisation")
        .annotate(
            open_cases=_count(mine.open()),
            late_contacts=_count(
                mine.filter(
                    status=codes.CaseStatus.AWAITING_CONTACT, first_contact_due_on__lt=today
                )
            ),
            late_reviews=_count(
                mine.open().filter(
                    Q(plan__goals__status=codes.GoalStatus.OPEN, plan__goals__review_on__lt=today)
                )
            ),
            opened_last_year=_count(mine.filter(opened_at__gte=year_ago)),
        )
        .order_by("organisation__name", "user__full_name")
    )
    return [
        WorkerLoad(
            user=m.user,
            team=m.organisation,
            open_cases=m.open_cases,  # type: ignore[attr-defined]
            overdue_first_contacts=m.late_contacts,  # type: ignore[attr-defined]
            overdue_reviews=m.late_reviews,  # type: ignore[attr-defined]
            opened_last_year=m.opened_last_year,  # type: ignore[attr-defined]
            target_caseload=m.effective_target_caseload,
        )
        for m in memberships
    ]

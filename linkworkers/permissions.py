"""Who may see which cases (scoped querysets) and who may act on them (``can_...``
predicates). Views, APIs and services reach casework only through here.

Link workers see their own team's cases; a service manager (the team lead) sees the
cases of the team they manage, or of every team in the service they manage. Referrers
and VCSE editors never see a case: a referrer sees only the message back. Connections are
seen from both sides: the case team sees its cases' connections, and VCSE editors see
those sent to their organisations' services (with consent, never a suggestion).
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.http import Http404

from directory.models import Service
from linkworkers import codes
from linkworkers.models import (
    Assessment,
    Case,
    CaseQuerySet,
    CaseStatusEvent,
    Connection,
    ConnectionQuerySet,
    Contact,
    MessageBack,
    PlanGoal,
)
from linkworkers.models.cases import search_terms
from referrals import codes as referral_codes
from referrals.models import Referral, ReferralQuerySet
from referrals.permissions import prefetch_reasons
from socialrx.core.models import Organisation, OrganisationQuerySet, OrganisationType, Role, User
from socialrx.core.permissions import organisation_ids_for, organisations_for
from socialrx.core.prepared import Pages, Prepared, first_of, prefetch, prefetch_query

# Roles that may open a case page (private notes included).
CASE_ROLES = (Role.LINK_WORKER, Role.SERVICE_MANAGER)
LEAD_ROLES = (Role.SERVICE_MANAGER,)
# The message back also goes to the referrer and the person's GP practice.
MESSAGE_BACK_ROLES = (*CASE_ROLES, Role.REFERRER)


def managed_teams_for(user: User) -> OrganisationQuerySet:
    """Link worker teams the user manages: the team itself, or each team of the service."""
    managed = organisation_ids_for(user, Role.SERVICE_MANAGER)
    return (
        Organisation.objects.active()
        .of_type(OrganisationType.LINK_WORKER_TEAM)
        .filter(Q(pk__in=managed) | Q(parent__in=managed))
    )


def case_team_ids_for(user: User) -> list[int]:
    """The teams whose cases the user may see, worked out once per request: from the memberships
    already loaded for a link worker, with one small query for a service manager. Case
    queries then filter on a literal list, not on nested organisation subqueries."""
    cached: list[int] | None = getattr(user, "_case_team_ids", None)
    if cached is not None:
        return cached
    ids = {
        m.organisation_id
        for m in user.active_memberships
        if m.role == Role.LINK_WORKER
        and m.organisation.org_type == OrganisationType.LINK_WORKER_TEAM
    }
    if user.has_role(Role.SERVICE_MANAGER):
        ids.update(managed_teams_for(user).values_list("pk", flat=True))
    user._case_team_ids = sorted(ids)  # type: ignore[attr-defined]
    return user._case_team_ids  # type: ignore[attr-defined]


def cases_visible_to(user: User) -> CaseQuerySet:
    """Cases the user may see: their teams as a literal list (``case_team_ids_for``)."""
    if not user.is_authenticated:
        return Case.objects.none()
    return _cases_in(case_team_ids_for(user))


def _cases_in(teams: list[int]) -> CaseQuerySet:
    return Case.objects.filter(team__in=teams)


def caseload_of(user: User) -> CaseQuerySet:
    """The cases the user holds as their link worker, among those they may see."""
    return cases_visible_to(user).filter(link_worker=user)


def _caseload(
    teams: list[int],
    worker: int,
    *values: str | datetime.date,
    status: bool,
    overdue: bool,
    search: str,
    sort: str,
) -> CaseQuerySet:
    given = iter(values)
    cases = _cases_in(teams).filter(link_worker=worker).for_caseload()
    cases = cases.in_status(str(next(given)) if status else "")
    if overdue:
        cases = cases.overdue(next(given))  # type: ignore[arg-type]
    if search:
        cases = cases.search_for(search == "nhs_number", [str(v) for v in given])
    return cases.with_next_actions().sorted_by(sort)


# The caseload's count and rows, built once per choice of filters, sort and number of
# words searched for (socialrx.core.prepared).
_caseload_page = Prepared(_caseload)


def caseload_pages(
    user: User,
    *,
    today: datetime.date,
    status: str = "",
    overdue: bool = False,
    text: str = "",
    sort: str = "due",
) -> Pages[Case]:
    """``caseload_of`` as the caseload lists it, narrowed by the filters given and in
    ``sort`` order, for a ``Paginator``."""
    by_nhs_number, terms = search_terms(text)
    values: list[str | datetime.date] = [status] if status else []
    if overdue:
        values.append(today)
    return Pages(
        _caseload_page,
        case_team_ids_for(user),
        user.pk,
        *values,
        *terms,
        status=bool(status),
        overdue=overdue,
        search=("nhs_number" if by_nhs_number else "name") if terms else "",
        sort=sort,
    )


def case_for(user: User, pk: int) -> Case:
    """One case the user may see, or 404 (never 403: do not reveal that it exists)."""
    case = cases_visible_to(user).with_list_details().filter(pk=pk).first()
    if case is None:
        raise Http404("No such case")
    return case


# The case page's queries, built once (socialrx.core.prepared): what
# ``with_page_details()`` loads, its prefetches run as prepared queries too.
_case_page = Prepared(
    lambda teams, pk: first_of(
        _cases_in(teams).with_page_details().prefetch_related(None).filter(pk=pk)
    )
)
_case_contacts = prefetch_query(Contact.objects.select_related("recorded_by"), "case")
_case_events = prefetch_query(CaseStatusEvent.objects.select_related("actor"), "case")
_case_assessments = prefetch_query(Assessment.objects.select_related("assessed_by"), "case")


def case_page_for(user: User, pk: int) -> Case:
    """``case_for`` with everything the case page shows loaded up front."""
    found = _case_page(case_team_ids_for(user), pk) if user.is_authenticated else []
    if not found:
        raise Http404("No such case")
    prefetch_reasons([case.referral for case in found])
    prefetch(found, "contacts", _case_contacts)
    prefetch(found, "events", _case_events)
    prefetch(found, "assessments", _case_assessments)
    return found[0]


def message_backs_visible_to(user: User) -> Q:
    """Scope for message backs: the case team, the organisation that referred, and the
    person's registered GP practice (the PRSB message back is to the GP and referrer)."""
    referrer_orgs = organisations_for(user, Role.REFERRER).values("pk")
    return (
        Q(case__in=cases_visible_to(user).values("pk"))
        | Q(case__referral__referring_organisation__in=referrer_orgs)
        | Q(case__referral__person__registered_practice__in=referrer_orgs)
    )


def message_back_for(user: User, pk: int) -> MessageBack:
    """The message back of case ``pk`` if the user may read it, or 404."""
    if not user.is_authenticated:
        raise Http404("No such message")
    message = (
        MessageBack.objects.filter(message_backs_visible_to(user))
        .select_related("case__referral__person", "case__link_worker", "case__team")
        .filter(case_id=pk)
        .first()
    )
    if message is None:
        raise Http404("No such message")
    return message


def referrals_to_open_for(user: User) -> ReferralQuerySet:
    """Referrals assigned to the user's link worker teams that have no case yet."""
    return _to_open(organisation_ids_for(user, Role.LINK_WORKER))


def _to_open(teams: list[int]) -> ReferralQuerySet:
    return Referral.objects.filter(
        assigned_team__in=teams, status=referral_codes.Status.ASSIGNED, case__isnull=True
    ).order_by("created_at", "id")


# The caseload shows them above the cases, with their people (socialrx.core.prepared).
_to_open_list = Prepared(lambda teams: _to_open(teams).select_related("person"))


def referrals_to_open_list(user: User) -> list[Referral]:
    """``referrals_to_open_for`` with their people, as the caseload lists them."""
    return _to_open_list(organisation_ids_for(user, Role.LINK_WORKER))


def referral_to_open_for(user: User, pk: int) -> Referral:
    referral = referrals_to_open_for(user).filter(pk=pk).first()
    if referral is None:
        raise Http404("No such referral")
    return referral


def goal_of(case: Case, goal_pk: int) -> PlanGoal:
    """A goal of a case the caller already reached through ``case_for``, or 404."""
    goal = PlanGoal.objects.filter(plan__case=case, pk=goal_pk).select_related("plan__case").first()
    if goal is None:
        raise Http404("No such goal")
    return goal


def connections_of_cases_for(user: User) -> ConnectionQuerySet:
    """Connections of the cases the user's team may see (link workers, team leads)."""
    return Connection.objects.filter(case__in=cases_visible_to(user).values("pk"))


def connections_of_case_for(user: User, case: Case) -> ConnectionQuerySet:
    """The case's connections, if the user may see the case."""
    return connections_of_cases_for(user).filter(case=case)


def connection_of_case_for(user: User, case: Case, pk: int) -> Connection:
    """A connection of a case the caller already reached through ``case_for``, or 404."""
    connection = connections_of_cases_for(user).filter(case=case, pk=pk).first()
    if connection is None:
        raise Http404("No such connection")
    return connection


def connections_to_services_of(user: User) -> ConnectionQuerySet:
    """Connections sent to services of the user's VCSE organisations, with consent.

    Suggestions never leave the link worker team; the constraint already ties consent
    to every other status, and the filter says so again where it matters."""
    organisations = organisations_for(user, Role.VCSE_EDITOR).values("pk")
    return Connection.objects.filter(
        service__organization__organisation__in=organisations, consent_to_share=True
    ).exclude(status=codes.ConnectionStatus.SUGGESTED)


def connection_to_service_of(user: User, pk: int) -> Connection:
    """One connection to the user's services, with what its page shows, or 404."""
    connection = connections_to_services_of(user).for_display().filter(pk=pk).first()
    if connection is None:
        raise Http404("No such connection")
    return connection


# --- who may act ----------------------------------------------------------------------

CASE_WORK_DENIED = "Only a link worker of the case's team can do this"


def _is_link_worker_of(user: User, team_id: int | None) -> bool:
    return team_id is not None and any(
        m.role == Role.LINK_WORKER and m.organisation_id == team_id for m in user.active_memberships
    )


def can_work_on_case(user: User, case: Case) -> bool:
    """Whether the user records work on the case (contacts, assessments, plans,
    connections, closure): a link worker of its team. A team lead sees the case but does
    not work on it. Whether the case is still open is the service's check, not this."""
    return _is_link_worker_of(user, case.team_id)


def can_correct_person_on_case(user: User, case: Case) -> bool:
    """Whether the user may correct the person's details from the case: a link worker of its
    team, open case or closed (a wrong address is worth fixing after closure too)."""
    return _is_link_worker_of(user, case.team_id)


def can_open_case(user: User, referral: Referral) -> bool:
    """Whether the user may open a case on the referral: a link worker of the team it is
    assigned to."""
    return _is_link_worker_of(user, referral.assigned_team_id)


def can_act_for_service(user: User, service: Service) -> bool:
    """Whether the user answers connections for the service: a VCSE editor of the
    organisation that runs it."""
    organisation_id = service.organization.organisation_id
    return organisation_id is not None and any(
        m.role == Role.VCSE_EDITOR and m.organisation_id == organisation_id
        for m in user.active_memberships
    )

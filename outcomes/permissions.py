"""Who may see what in outcomes. Measures are casework: reached through the case team's
scope in ``linkworkers.permissions``. Reports are aggregates scoped to an area."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from linkworkers.models import Case
from linkworkers.permissions import CASE_ROLES, case_for, cases_visible_to, managed_teams_for
from outcomes.models import (
    Measure,
    MeasureRecord,
    MeasureRecordQuerySet,
    ReportFile,
    ReportFileQuerySet,
    ReportSubscription,
)
from referrals.models import Referral, ReferralQuerySet
from socialrx.core.models import Organisation, OrganisationQuerySet, OrganisationType, Role, User
from socialrx.core.permissions import is_system_admin

MEASURE_ROLES = CASE_ROLES

__all__ = [
    "EXTRACT_ROLES",
    "ExtractScope",
    "extract_referrals_for",
    "extract_scope_for",
    "MEASURE_ROLES",
    "REPORT_ROLES",
    "ReportScope",
    "report_choices_for",
    "report_scope_for",
    "case_for",
    "measure_for_case",
    "measure_records_for_case",
    "measures_for_team",
]


def measure_records_for_case(user: User, case_pk: int) -> MeasureRecordQuerySet:
    return MeasureRecord.objects.filter(
        case__in=cases_visible_to(user).filter(pk=case_pk).values("pk")
    )


def measures_for_team(team: Organisation) -> list[Measure]:
    return list(Measure.objects.available_to_team(team))


def measure_for_case(case: Case, code: str) -> Measure:
    """A measure the case's team may record, or 404 (a licence not held reads as absent)."""
    measure = Measure.objects.available_to_team(case.team).filter(code=code).first()
    if measure is None:
        raise Http404("No such measure")
    return measure


# --- reports ------------------------------------------------------------------------

# Commissioners and service managers see their area's reports; VCSE editors see their
# own organisation's demand ("needs near you"), never another area's casework figures.
AREA_REPORT_ROLES = (Role.COMMISSIONER, Role.SERVICE_MANAGER)
REPORT_ROLES = (*AREA_REPORT_ROLES, Role.VCSE_EDITOR)


@dataclass(frozen=True)
class ReportScope:
    """The area whose aggregates a user may see, as referral lookups (OR'ed).

    A commissioner at an ICB sees referrals of people registered with practices in its
    PCNs and referrals triaged by services it commissions; at a council, those of the
    services it commissions; at a PCN, its practices' patients and its own team's cases.
    A service manager sees their service (or team).
    """

    clauses: tuple[tuple[str, int], ...]
    practice_clauses: tuple[tuple[str, int], ...]
    area_names: tuple[str, ...]
    organisations: tuple[int, ...] = ()
    # VCSE organisations whose own demand the user sees (core organisation ids).
    vcse_organisations: tuple[int, ...] = ()
    roles: frozenset[str] = frozenset()

    def referrals(self, prefix: str = "") -> Q:
        if not self.clauses:
            return Q(pk__in=[])
        q = Q()
        for lookup, value in self.clauses:
            q |= Q(**{prefix + lookup: value})
        return q

    def practices(self) -> Q:
        q = Q(pk__in=[])
        for lookup, value in self.practice_clauses:
            q |= Q(**{lookup: value})
        return q

    @property
    def area(self) -> str:
        return ", ".join(self.area_names) or "None"


def report_scope_for(user: User) -> ReportScope:
    clauses: list[tuple[str, int]] = []
    practices: list[tuple[str, int]] = []
    names: list[str] = []
    orgs: list[int] = []
    # The organisations come with the memberships the request has loaded: no query.
    for org in user.organisations_with_role(Role.COMMISSIONER):
        names.append(org.name)
        orgs.append(org.pk)
        if org.org_type == OrganisationType.ICB:
            clauses += [("person__registered_practice__parent__parent", org.pk)]
            clauses += [("triage_service__parent", org.pk)]
            practices += [("parent__parent", org.pk)]
        elif org.org_type == OrganisationType.PCN:
            clauses += [("person__registered_practice__parent", org.pk)]
            clauses += [("assigned_team__parent", org.pk)]
            practices += [("parent", org.pk)]
        else:  # councils and others commission services
            clauses += [
                ("triage_service__parent", org.pk),
                ("assigned_team__parent__parent", org.pk),
            ]
    for org in user.organisations_with_role(Role.SERVICE_MANAGER):
        names.append(org.name)
        orgs.append(org.pk)
        if org.org_type == OrganisationType.LINK_WORKER_TEAM:
            clauses += [("assigned_team", org.pk)]
        else:
            clauses += [("triage_service", org.pk), ("assigned_team__parent", org.pk)]
    vcse = [org for org in user.organisations_with_role(Role.VCSE_EDITOR)]
    names += [org.name for org in vcse if org.name not in names]
    roles = {role for role in AREA_REPORT_ROLES if user.organisations_with_role(role)}
    if vcse:
        roles.add(Role.VCSE_EDITOR)
    return ReportScope(
        tuple(clauses), tuple(practices), tuple(names), tuple(orgs),
        vcse_organisations=tuple(org.pk for org in vcse), roles=frozenset(roles),
    )  # fmt: skip


# The filter lists change when a practice or service first appears in an area's
# referrals: rarely. Working them out scans the area's whole history (~1 s a county).
REPORT_CHOICES_SECONDS = 60 * 60


def report_choices_for(scope: ReportScope) -> dict[str, OrganisationQuerySet]:
    """Services, PCNs and practices the filter form offers: those in the user's area,
    worked out at most once an hour per area (the Django cache: Redis in production)."""
    key = (
        "outcomes:report-choices:"
        + hashlib.sha256(repr((scope.clauses, scope.practice_clauses)).encode()).hexdigest()
    )
    ids = cache.get(key)
    if ids is None:
        ids = {
            name: list(queryset.values_list("pk", flat=True))
            for name, queryset in _report_choices_from_history(scope).items()
        }
        cache.set(key, ids, REPORT_CHOICES_SECONDS)
    return {name: Organisation.objects.filter(pk__in=pks) for name, pks in ids.items()}


def _report_choices_from_history(scope: ReportScope) -> dict[str, OrganisationQuerySet]:
    referrals = Referral.objects.filter(scope.referrals())
    practice_ids = Organisation.objects.filter(
        Q(pk__in=referrals.values("person__registered_practice")) | scope.practices()
    ).values("pk")
    return {
        "service": Organisation.objects.of_type(OrganisationType.LINK_WORKER_SERVICE).filter(
            Q(pk__in=referrals.values("triage_service"))
            | Q(pk__in=referrals.values("assigned_team__parent"))
        ),
        "pcn": Organisation.objects.of_type(OrganisationType.PCN).filter(
            pk__in=Organisation.objects.filter(pk__in=practice_ids).values("parent")
        ),
        "practice": Organisation.objects.of_type(OrganisationType.GP_PRACTICE).filter(
            pk__in=practice_ids
        ),
    }


def report_files_for(user: User) -> ReportFileQuerySet:
    """A user's own report archive: generated for them, by request or subscription."""
    return ReportFile.objects.filter(owner=user).defer("content")


def report_file_for(user: User, pk: int) -> ReportFile:
    run = ReportFile.objects.filter(owner=user, pk=pk).first()
    if run is None:
        raise Http404("No such report file")
    return run


def subscriptions_for(user: User) -> list[ReportSubscription]:
    return list(ReportSubscription.objects.filter(user=user, is_active=True))


# --- the record-level referral extract -------------------------------------------------

# Record-level, so never commissioners (aggregates only): the managers of a service,
# for their own service, and system administrators, for the county.
EXTRACT_ROLES = (Role.SERVICE_MANAGER, Role.SYSTEM_ADMIN)


@dataclass(frozen=True)
class ExtractScope:
    """Whose referrals a user's extract holds: the whole county, or the services and
    teams they manage (``organisations``, by id, with their names)."""

    county: bool
    organisations: tuple[int, ...] = ()
    names: tuple[str, ...] = ()

    @property
    def description(self) -> str:
        return "All referrals in the county" if self.county else ", ".join(self.names)


def extract_scope_for(user: User) -> ExtractScope:
    """The user's extract scope, or 403 for anyone who may not have one."""
    if is_system_admin(user):
        return ExtractScope(county=True)
    # From the memberships the request has loaded already: no query.
    managed = sorted(user.organisations_with_role(Role.SERVICE_MANAGER), key=lambda o: o.name)
    if not managed:
        raise PermissionDenied("The referral data extract is for service managers.")
    return ExtractScope(
        county=False,
        organisations=tuple(o.pk for o in managed),
        names=tuple(o.name for o in managed),
    )


def extract_referrals_for(user: User, scope: ExtractScope) -> ReferralQuerySet:
    """Referrals in the extract: a manager's service triaged them or one of the teams
    they manage took them on. The team list stays a subquery: no extra query."""
    if scope.county and is_system_admin(user):
        return Referral.objects.all()
    if scope.county:
        raise PermissionDenied("The county extract is for system administrators.")
    return Referral.objects.filter(
        Q(triage_service__in=scope.organisations)
        | Q(assigned_team__in=managed_teams_for(user).values("pk"))
    )

"""Who may see which referrals and people. Views and APIs reach personal data only here."""

from __future__ import annotations

import uuid

from django.db.models import Q
from django.http import Http404

from referrals import codes
from referrals.models import (
    Person,
    PersonQuerySet,
    Referral,
    ReferralQuerySet,
    ReferralReason,
    ReferralStatusEvent,
)
from socialrx.core.models import Organisation, OrganisationType, Role, User
from socialrx.core.permissions import GOVERNANCE_ROLES, organisation_ids_for
from socialrx.core.prepared import Pages, Prepared, first_of, prefetch, prefetch_query

# Roles that may see individual referrals. Commissioners see only aggregates.
REFERRAL_ROLES = (Role.REFERRER, Role.TRIAGE_LEAD, Role.LINK_WORKER, Role.SERVICE_MANAGER)
TRIAGE_ROLES = (Role.TRIAGE_LEAD,)


def referrals_visible_to(user: User) -> ReferralQuerySet:
    """Referrals the user may see.

    A referrer (and colleagues) sees their organisation's referrals; a triage lead or
    service manager their service's; a link worker those assigned to their team.
    The organisations come from the memberships already loaded: no extra query.
    """
    if not user.is_authenticated:
        return Referral.objects.none()
    return _visible_in(*_scope_ids(user))


def _scope_ids(user: User) -> tuple[list[int], list[int], list[int]]:
    """The organisations whose referrals the user sees: as referrer, as triage (lead or
    manager), as link worker."""
    return (
        organisation_ids_for(user, Role.REFERRER),
        organisation_ids_for(user, Role.TRIAGE_LEAD, Role.SERVICE_MANAGER),
        organisation_ids_for(user, Role.LINK_WORKER),
    )


def _visible_in(referring: list[int], triage: list[int], teams: list[int]) -> ReferralQuerySet:
    return Referral.objects.filter(
        Q(referring_organisation__in=referring)
        | Q(triage_service__in=triage)
        | Q(assigned_team__in=teams)
    )


# The referral page's queries, built once (socialrx.core.prepared): what
# ``with_page_details()`` loads, its two prefetches run as prepared queries too.
_referral_page = Prepared(
    lambda referring, triage, teams, pk: first_of(
        _visible_in(referring, triage, teams)
        .with_page_details()
        .prefetch_related(None)
        .filter(pk=pk)
    )
)
_referral_reasons = prefetch_query(ReferralReason.objects.all(), "referral")
_referral_events = prefetch_query(ReferralStatusEvent.objects.select_related("actor"), "referral")


def referrals_made_by_organisations_of(user: User) -> ReferralQuerySet:
    """The referrer's view: referrals their organisations made."""
    return Referral.objects.filter(
        referring_organisation__in=organisation_ids_for(user, Role.REFERRER)
    )


def referral_made_by_for(user: User, pk: int) -> Referral:
    """One referral the user's organisations made, or 404: what a referrer may act on."""
    referral = referrals_made_by_organisations_of(user).filter(pk=pk).first()
    if referral is None:
        raise Http404("No such referral")
    return referral


def can_answer_info_request(user: User, referral: Referral) -> bool:
    """The referral awaits an answer and the user refers for the organisation that made it."""
    return referral.status == codes.Status.INFO_REQUESTED and any(
        org.pk == referral.referring_organisation_id
        for org in user.organisations_with_role(Role.REFERRER)
    )


def can_correct_person_from_referral(user: User, referral: Referral) -> bool:
    """Whether the user may correct the referred person's details from the referral: a
    triage lead of the service that triages it (link workers correct them from the case)."""
    return any(
        m.role == Role.TRIAGE_LEAD and m.organisation_id == referral.triage_service_id
        for m in user.active_memberships
    )


def open_referrals_for_nhs_number(user: User, nhs_number: str) -> ReferralQuerySet:
    """Open referrals the user may see for a person with this NHS number: what a referrer
    is warned about (and linked to) before sending another."""
    if not nhs_number:
        return Referral.objects.none()
    return (
        referrals_visible_to(user)
        .open()
        .filter(person__nhs_number=nhs_number, person__merged_into__isnull=True)
        .oldest_first()
    )


def identity_conflicts_for(user: User, person: Person) -> PersonQuerySet:
    """Records sharing ``person``'s NHS number under another name or date of birth, among
    the people this user may already see."""
    return Person.objects.identity_conflicts_of(person).filter(
        pk__in=people_visible_to(user).values("pk")
    )


def triage_queue_for(user: User) -> ReferralQuerySet:
    """Referrals in the triage queues of the services where the user is triage lead."""
    return _in_triage_queues(organisation_ids_for(user, Role.TRIAGE_LEAD))


def _in_triage_queues(services: list[int]) -> ReferralQuerySet:
    return Referral.objects.filter(triage_service__in=services).awaiting_triage()


def _triage_queue(
    services: list[int], *values: str, urgency: bool, source: bool, reason: bool
) -> ReferralQuerySet:
    given = iter(values)
    return (
        _in_triage_queues(services)
        .with_list_details()
        .prefetch_related(None)
        .urgent_first()
        .matching(
            urgency=next(given) if urgency else "",
            source=next(given) if source else "",
            reason=next(given) if reason else "",
        )
    )


# The queue page's count and rows, built once per choice of filters
# (socialrx.core.prepared); its reasons prefetched by a prepared query too.
_triage_queue_page = Prepared(_triage_queue)


def triage_queue_pages(
    user: User, *, urgency: str = "", source: str = "", reason: str = ""
) -> Pages[Referral]:
    """``triage_queue_for`` as the queue page lists it, urgent first and narrowed by each
    filter given, for a ``Paginator``."""
    filters = {"urgency": urgency, "source": source, "reason": reason}
    return Pages(
        _triage_queue_page,
        organisation_ids_for(user, Role.TRIAGE_LEAD),
        *[value for value in filters.values() if value],
        then=prefetch_reasons,
        **{name: bool(value) for name, value in filters.items()},
    )


def people_visible_to(user: User) -> PersonQuerySet:
    return Person.objects.filter(referrals__in=referrals_visible_to(user)).distinct()


def referral_for(user: User, pk: int) -> Referral:
    """One referral the user may see, or 404 (never 403: do not reveal that it exists)."""
    found = _referral_page(*_scope_ids(user), pk) if user.is_authenticated else []
    if not found:
        raise Http404("No such referral")
    prefetch_reasons(found)
    prefetch(found, "events", _referral_events)
    return found[0]


def prefetch_reasons(referrals: list[Referral]) -> None:
    """``prefetch_related("reasons")`` for referrals already fetched, its query prepared."""
    prefetch(referrals, "reasons", _referral_reasons)


def triage_referral_for(user: User, pk: int, *, page: bool = False) -> Referral:
    """A referral in one of the user's triage queues (any status), or 404; with
    ``page``, with everything its triage page shows loaded too."""
    referrals = Referral.objects.filter(
        triage_service__in=organisation_ids_for(user, Role.TRIAGE_LEAD)
    )
    referrals = (
        referrals.with_page_details()
        if page
        else referrals.select_related("person", "triage_service")
    )
    referral = referrals.filter(pk=pk).first()
    if referral is None:
        raise Http404("No such referral")
    return referral


def referral_submitted_with_key(user: User, key: str) -> Referral | None:
    """The user's own referral stored under an idempotency key, if any."""
    if not key:
        return None
    return referrals_visible_to(user).filter(referrer=user, idempotency_key=key).first()


def possible_duplicates_for(user: User, person: Person) -> PersonQuerySet:
    """Possible duplicates of ``person`` among the people this user may already see."""
    return Person.objects.possible_duplicates_of(person).filter(
        pk__in=people_visible_to(user).values("pk")
    )


def possible_duplicate_for(user: User, person: Person, pk: int) -> Person:
    """One of ``possible_duplicates_for``, or 404."""
    other = possible_duplicates_for(user, person).filter(pk=pk).first()
    if other is None:
        raise Http404("No such person")
    return other


def triage_services_for(user: User) -> list[Organisation]:
    return user.organisations_with_role(Role.TRIAGE_LEAD)


def referral_by_uuid_for(user: User, referral_uuid: uuid.UUID | str) -> Referral:
    """One referral by its public id, if the user may see it, or 404."""
    referral = (
        referrals_visible_to(user)
        .select_related("triage_service")
        .filter(uuid=referral_uuid)
        .first()
    )
    if referral is None:
        raise Http404("No such referral")
    return referral


def practice_by_ods_code(ods_code: str) -> Organisation | None:
    """A GP practice by ODS code (public reference data, not personal data)."""
    return (
        Organisation.objects.active()
        .of_type(OrganisationType.GP_PRACTICE)
        .filter(ods_code__iexact=ods_code.strip())
        .first()
    )


def person_for_access_report(user: User, pk: int) -> Person:
    """A person whose access report the user may read, or 404. Information governance
    and system administrators answer for the whole deployment: any person, but no one
    else (the view has already refused other roles with 403)."""
    person = Person.objects.filter(pk=pk).first() if user.has_role(*GOVERNANCE_ROLES) else None
    if person is None:
        raise Http404("No such person")
    return person


def referral_for_access_report(user: User, pk: int) -> Referral:
    """A referral whose access report the user may read, or 404 (as above)."""
    referral = (
        Referral.objects.select_related("person").filter(pk=pk).first()
        if user.has_role(*GOVERNANCE_ROLES)
        else None
    )
    if referral is None:
        raise Http404("No such referral")
    return referral

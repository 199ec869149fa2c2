"""Onward connections (social prescriptions) and the service's side of the closed loop.

Every status change goes through ``_move``, which checks it against ``MOVES`` (the one
table of allowed transitions, by who makes them) and writes the immutable
``ConnectionEvent`` with the acting user; each public function is one transition, in one
transaction, called alike by the HTML views, the API and the tasks.

Who acts on which side: the case team's link workers on the person's side, the VCSE
editors of the receiving organisation on the service's side, and nobody (``actor=None``)
when a deadline passes. Scoped querysets for both sides are at the end of this module.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.template import loader
from django.urls import reverse
from django.utils import timezone

from directory.geo import normalise_postcode
from directory.models import (
    CapacityStatus,
    Service,
    ServiceAttribute,
    ServiceCapacity,
    ServiceQuerySet,
)
from directory.permissions import services_published
from directory.search import ServiceFilters, services_filter, services_order
from directory.taxonomy import CATEGORY, term_id
from linkworkers import codes
from linkworkers.models import (
    Assessment,
    AssessmentDomain,
    Case,
    Connection,
    ConnectionEvent,
    ConnectionQuerySet,
    UnmetNeed,
)
from linkworkers.permissions import cases_visible_to
from linkworkers.track_record import track_record_since, with_track_record
from referrals.reminders import working_days_before
from socialrx.core.audit import audit_record
from socialrx.core.models import AuditAction, Membership, Role, User
from socialrx.core.permissions import organisations_for
from socialrx.core.services import notification_queue

logger = logging.getLogger(__name__)

S = codes.ConnectionStatus
Reason = codes.ConnectionDeclineReason


class Side:
    PERSON = "person"  # the case team's link worker, for the person
    SERVICE = "service"  # a VCSE editor of the receiving organisation
    SYSTEM = "system"  # a deadline passed


# The one table of allowed transitions: (side, from) -> the statuses it may move to.
# No response is not a decline: the service may still answer late, and the link
# worker may send it again or let it go, but nothing ends without a person deciding.
MOVES: dict[tuple[str, str], frozenset[str]] = {
    (Side.PERSON, S.SUGGESTED): frozenset({S.REFERRED, S.DECLINED_BY_PERSON}),
    (Side.PERSON, S.REFERRED): frozenset({S.DECLINED_BY_PERSON}),
    (Side.PERSON, S.ACCEPTED): frozenset({S.STARTED, S.DECLINED_BY_PERSON}),
    (Side.PERSON, S.STARTED): frozenset({S.COMPLETED, S.DECLINED_BY_PERSON}),
    (Side.PERSON, S.NO_RESPONSE): frozenset({S.REFERRED, S.DECLINED_BY_PERSON}),
    (Side.SERVICE, S.REFERRED): frozenset(
        {S.ACCEPTED, S.DECLINED_BY_SERVICE, S.SERVICE_FULL, S.DECLINED_BY_PERSON}
    ),
    (Side.SERVICE, S.NO_RESPONSE): frozenset(
        {S.ACCEPTED, S.DECLINED_BY_SERVICE, S.SERVICE_FULL, S.DECLINED_BY_PERSON}
    ),
    (Side.SERVICE, S.ACCEPTED): frozenset(
        {S.STARTED, S.DECLINED_BY_SERVICE, S.SERVICE_FULL, S.DECLINED_BY_PERSON}
    ),
    (Side.SERVICE, S.STARTED): frozenset({S.COMPLETED, S.DECLINED_BY_PERSON}),
    (Side.SYSTEM, S.REFERRED): frozenset({S.NO_RESPONSE}),
}

# The reasons a service may give (the four), and the status each leads to: no
# capacity is "service full" (demand it could not meet), "no longer interested" is the
# person's decision, relayed by the service.
SERVICE_DECLINE_REASONS: dict[str, str] = {
    Reason.NO_CAPACITY: S.SERVICE_FULL,
    Reason.NOT_ELIGIBLE: S.DECLINED_BY_SERVICE,
    Reason.COULD_NOT_CONTACT: S.DECLINED_BY_SERVICE,
    Reason.NO_LONGER_INTERESTED: S.DECLINED_BY_PERSON,
}


def allowed_moves(connection: Connection, side: str) -> frozenset[str]:
    return MOVES.get((side, connection.status), frozenset())


def _move(
    connection: Connection,
    *,
    to: str,
    side: str,
    actor: User | None,
    reason: str = "",
    note: str = "",
    now: datetime.datetime | None = None,
) -> ConnectionEvent:
    """Change the status, if the table allows it, and write its event. Callers hold the
    row lock (``_locked``), so two people answering at once cannot both win."""
    if to not in allowed_moves(connection, side):
        raise ValidationError(
            f"A connection that is {connection.get_status_display().lower()} cannot become "
            f"{S(to).label.lower()}"
        )
    now = now or timezone.now()
    previous = connection.status
    connection.status = to
    connection.status_changed_at = now
    connection.decline_reason = reason
    if side == Side.SERVICE and connection.responded_at is None:
        connection.responded_at = now
    connection.save()
    event = ConnectionEvent.objects.create(
        connection=connection,
        occurred_at=now,
        actor=actor,
        from_status=previous,
        to_status=to,
        decline_reason=reason,
        note=note,
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=connection,
        detail={"from": previous, "to": to, "reason": reason},
    )
    return event


def _locked(connection: Connection) -> Connection:
    return (
        Connection.objects.select_for_update()
        .select_related("case", "service")
        .get(pk=connection.pk)
    )


# --- who may act ----------------------------------------------------------------------


def _require_case_worker(actor: User, case: Case) -> None:
    if not any(
        m.role == Role.LINK_WORKER and m.organisation_id == case.team_id
        for m in actor.active_memberships
    ):
        raise PermissionDenied("Only a link worker of the case's team can do this")


def _require_service_editor(actor: User, service: Service) -> None:
    organisation_id = service.organization.organisation_id
    if organisation_id is None or not any(
        m.role == Role.VCSE_EDITOR and m.organisation_id == organisation_id
        for m in actor.active_memberships
    ):
        raise PermissionDenied("Only an editor of the service's organisation can do this")


def is_accepting(service: Service) -> bool:
    """Not accepting only when the service says so; unknown capacity is not a refusal."""
    try:
        return service.capacity.status != CapacityStatus.NOT_ACCEPTING
    except ServiceCapacity.DoesNotExist:
        return True


def postcode_district(postcode: str) -> str:
    """``NN1 1AA`` -> ``NN1``; "" when the postcode is missing or not a postcode."""
    normal = normalise_postcode(postcode or "")
    return normal.split()[0] if normal else ""


# --- the person's side ----------------------------------------------------------------


@transaction.atomic
def connection_create(
    *,
    case: Case,
    service: Service,
    actor: User,
    domain: str,
    note: str = "",
    consent_to_share: bool,
    send_now: bool,
    confirm_not_accepting: bool = False,
) -> Connection:
    """Connect the person to a service: suggested, or referred at once with consent.

    A service not accepting referrals needs ``confirm_not_accepting``; going ahead then
    also records the demand it could not meet, as an unmet need naming the service.
    """
    _require_case_worker(actor, case)
    if not case.is_open:
        raise ValidationError("The case is closed")
    if send_now and not consent_to_share:
        raise ValidationError(
            {"consent_to_share": ["Record the person's consent before sending the referral"]}
        )
    accepting = is_accepting(service)
    if not accepting and not confirm_not_accepting:
        raise ValidationError(
            {"confirm_not_accepting": ["Confirm you want to refer to a service not accepting"]}
        )
    if Connection.objects.live().filter(case=case, service=service).exists():
        raise ValidationError("The person is already connected to this service")
    now = timezone.now()
    connection = Connection.objects.create(
        case=case,
        service=service,
        status=S.REFERRED if send_now else S.SUGGESTED,
        status_changed_at=now,
        consent_to_share=consent_to_share,
        not_accepting_confirmed=not accepting,
        created_by=actor,
        referred_at=now if send_now else None,
        note=note,
    )
    ConnectionEvent.objects.create(
        connection=connection, occurred_at=now, actor=actor, to_status=connection.status
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=connection, detail={"case": case.pk})
    if not accepting:
        _unmet_need_write(
            case=case, actor=actor, domain=domain, service=service,
            description=f"Referred to {service.name} although it was not accepting referrals.",
        )  # fmt: skip
    return connection


@transaction.atomic
def connection_refer(*, connection: Connection, actor: User, consent_to_share: bool) -> Connection:
    """Send a suggested (or unanswered) connection to the service; the clock restarts."""
    connection = _locked(connection)
    _require_case_worker(actor, connection.case)
    if not (consent_to_share or connection.consent_to_share):
        raise ValidationError(
            {"consent_to_share": ["Record the person's consent before sending the referral"]}
        )
    connection.consent_to_share = True
    connection.referred_at = timezone.now()
    # A fresh referral waits for a fresh answer.
    connection.responded_at = None
    _move(connection, to=S.REFERRED, side=Side.PERSON, actor=actor, now=connection.referred_at)
    return connection


@transaction.atomic
def connection_decline_by_person(
    *, connection: Connection, actor: User, note: str = ""
) -> Connection:
    """The person decided against it (told to the link worker)."""
    connection = _locked(connection)
    _require_case_worker(actor, connection.case)
    _move(connection, to=S.DECLINED_BY_PERSON, side=Side.PERSON, actor=actor, note=note)
    return connection


def _record_start(connection: Connection, side: str, actor: User) -> Connection:
    connection.started_on = timezone.localdate()
    _move(connection, to=S.STARTED, side=side, actor=actor)
    return connection


def _record_completion(connection: Connection, side: str, actor: User) -> Connection:
    connection.completed_on = timezone.localdate()
    _move(connection, to=S.COMPLETED, side=side, actor=actor)
    return connection


@transaction.atomic
def connection_start(*, connection: Connection, actor: User) -> Connection:
    """The person has started going; either side may record it."""
    connection = _locked(connection)
    return _record_start(connection, _side_of(actor, connection), actor)


@transaction.atomic
def connection_complete(*, connection: Connection, actor: User) -> Connection:
    connection = _locked(connection)
    return _record_completion(connection, _side_of(actor, connection), actor)


def _side_of(actor: User, connection: Connection) -> str:
    """The side the actor may act for on this connection, or PermissionDenied."""
    try:
        _require_case_worker(actor, connection.case)
        return Side.PERSON
    except PermissionDenied:
        _require_service_editor(actor, connection.service)
        return Side.SERVICE


# --- the service's side ---------------------------------------------------------------


@transaction.atomic
def connection_accept(*, connection: Connection, actor: User) -> Connection:
    connection = _locked(connection)
    _require_service_editor(actor, connection.service)
    _move(connection, to=S.ACCEPTED, side=Side.SERVICE, actor=actor)
    return connection


@transaction.atomic
def connection_decline(
    *, connection: Connection, actor: User, reason: str, note: str = ""
) -> Connection:
    """The service says no, with one of the four reasons; each leads to its own status."""
    if reason not in SERVICE_DECLINE_REASONS:
        raise ValidationError({"reason": ["Choose why the connection cannot go ahead"]})
    connection = _locked(connection)
    _require_service_editor(actor, connection.service)
    _move(
        connection,
        to=SERVICE_DECLINE_REASONS[reason],
        side=Side.SERVICE,
        actor=actor,
        reason=reason,
        note=note,
    )
    return connection


# --- unmet need -----------------------------------------------------------------------


def _unmet_need_write(
    *, case: Case, actor: User, domain: str, description: str, service: Service | None = None
) -> UnmetNeed:
    district = postcode_district(case.referral.person.postcode)
    if not district:
        raise ValidationError(
            "The person's postcode is missing or not valid, so the area of the unmet need "
            "cannot be recorded. Add it to their details first."
        )
    need = UnmetNeed.objects.create(
        case=case,
        domain=domain,
        description=description,
        postcode_district=district,
        service=service,
        recorded_by=actor,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=need, detail={"case": case.pk})
    return need


@transaction.atomic
def unmet_need_record(*, case: Case, actor: User, domain: str, description: str) -> UnmetNeed:
    """No suitable service exists: record what was needed and where (district only)."""
    _require_case_worker(actor, case)
    return _unmet_need_write(case=case, actor=actor, domain=domain, description=description)


# --- finding a service -----------------------------------------------------------------

# Which directory categories (``directory.taxonomy``) meet each need of the assessment.
NEED_CATEGORIES: dict[str, tuple[str, ...]] = {
    codes.LifeDomain.MENTAL_WELLBEING: ("mental-wellbeing", "bereavement", "arts"),
    codes.LifeDomain.PHYSICAL_HEALTH: ("physical-activity", "weight", "self-management", "green"),
    codes.LifeDomain.SOCIAL_CONNECTION: ("befriending", "arts", "green"),
    codes.LifeDomain.HOUSING: ("housing",),
    codes.LifeDomain.MONEY: ("money", "food"),
    codes.LifeDomain.WORK_LEARNING: ("employment", "learning", "digital"),
    codes.LifeDomain.RELATIONSHIPS: ("carers", "domestic-abuse", "bereavement"),
    codes.LifeDomain.DAILY_LIVING: ("dementia", "self-management", "digital", "food"),
    codes.LifeDomain.LIFESTYLE: ("healthy-eating", "physical-activity", "weight"),
}


def case_needs(case: Case) -> list[AssessmentDomain]:
    """The needs recorded at the case's latest assessment, greatest first; one query."""
    latest = Assessment.objects.filter(case=case).order_by("-assessed_on", "-pk")[:1]
    return list(
        AssessmentDomain.objects.filter(
            assessment__in=latest, need_level__gt=codes.NeedLevel.NONE
        ).order_by("-need_level", "domain")
    )


def services_for_need(
    *, domain: str, text: str = "", accepting_only: bool = False,
    origin: tuple[float, float] | None = None,
) -> ServiceQuerySet:  # fmt: skip
    """Published services offering any category that meets ``domain`` (or any service),
    through the directory's own search; capacity, distance and track record attached."""
    filters = ServiceFilters(text=text, accepting_only=accepting_only, origin=origin)
    services = services_filter(services_published(), filters)
    if domain:
        term_ids = [term_id(CATEGORY, code) for code in NEED_CATEGORIES.get(domain, ())]
        # Any of the need's categories (the directory's own term filter means all).
        services = services.filter(
            Exists(
                ServiceAttribute.objects.filter(service=OuterRef("pk"), taxonomy_term__in=term_ids)
            )
        )
    ordered = services_order(services, by_distance=origin is not None).for_display()
    return with_track_record(ordered, since=track_record_since())


# --- who sees which connections --------------------------------------------------------


def connections_of_cases_for(user: User) -> ConnectionQuerySet:
    """Connections of the cases the user's team may see (link workers, team leads)."""
    return Connection.objects.filter(case__in=cases_visible_to(user).values("pk"))


def connections_to_services_of(user: User) -> ConnectionQuerySet:
    """Connections sent to services of the user's VCSE organisations, with consent.

    Suggestions never leave the link worker team; the constraint already ties consent
    to every other status, and the filter says so again where it matters."""
    return Connection.objects.filter(
        service__organization__organisation__in=organisations_for(user, Role.VCSE_EDITOR).values(
            "pk"
        ),
        consent_to_share=True,
    ).exclude(status=S.SUGGESTED)


def connection_to_service_of(user: User, pk: int) -> Connection:
    connection = (
        connections_to_services_of(user)
        .select_related("case__referral__person", "service__organization")
        .prefetch_related(_events())
        .filter(pk=pk)
        .first()
    )
    if connection is None:
        raise Http404("No such connection")
    return connection


def connection_of_case_for(user: User, case: Case, pk: int) -> Connection:
    connection = connections_of_cases_for(user).filter(case=case, pk=pk).first()
    if connection is None:
        raise Http404("No such connection")
    return connection


def _events() -> Prefetch:  # type: ignore[type-arg]
    return Prefetch("events", queryset=ConnectionEvent.objects.select_related("actor"))


def with_display(connections: ConnectionQuerySet) -> ConnectionQuerySet:
    """What a list of connections shows, in a fixed number of queries."""
    return connections.select_related(
        "service__organization", "service__capacity", "case__referral__person"
    ).prefetch_related(_events())


def awaiting_answer() -> Q:
    return Q(status__in=[S.REFERRED, S.NO_RESPONSE])


def unanswered_nudge_exists() -> Exists:
    """A nudge recorded since the connection was (last) referred; see ``reminders``."""
    return Exists(
        ConnectionEvent.objects.filter(
            connection=OuterRef("pk"),
            from_status=S.REFERRED,
            to_status=S.REFERRED,
            occurred_at__gte=OuterRef("referred_at"),
        )
    )


# --- the clock: a nudge at day 5, "no response" at day 10 -------------------------------
#
# Working days as the referral reminders count them (Monday to Friday). Both run from
# beat and are safe to run twice: a nudge is recorded as an event that leaves the
# status unchanged (referred -> referred), checked again under the row lock; the no
# response transition re-checks the status under the lock.

NUDGE_NOTE = "Reminder sent to the service"
NO_RESPONSE_NOTE = "The service did not answer in time; back with the link worker to decide"
BATCH_SIZE = 500


def _due(days: int, now: datetime.datetime) -> ConnectionQuerySet:
    cutoff = working_days_before(now, days)
    return Connection.objects.filter(status=S.REFERRED, referred_at__lte=cutoff)


def _editors_of(organisation_ids: set[int]) -> dict[int, list[User]]:
    editors: dict[int, list[User]] = defaultdict(list)
    memberships = (
        Membership.objects.active()
        .with_role(Role.VCSE_EDITOR)
        .filter(organisation_id__in=organisation_ids)
        .select_related("user")
        .order_by("user__email")
    )
    for membership in memberships:
        editors[membership.organisation_id].append(membership.user)
    return editors


@transaction.atomic
def connection_nudges_send(*, now: datetime.datetime | None = None) -> int:
    """Remind each editor of a service, in one email listing their items, about
    connections unanswered for ``CONNECTIONS_NUDGE_WORKING_DAYS``. Once per referral.

    Returns the number of emails queued; a second run queues none."""
    now = now or timezone.now()
    candidates = list(
        _due(settings.CONNECTIONS_NUDGE_WORKING_DAYS, now)
        .exclude(unanswered_nudge_exists())
        .order_by("referred_at", "pk")
        .values_list("pk", flat=True)[:BATCH_SIZE]
    )
    # Lock, then look again in a new statement: a run that committed while this one
    # waited for the locks has nudged them, and its events are visible only now.
    list(Connection.objects.select_for_update().filter(pk__in=candidates).values_list("pk"))
    due = list(
        Connection.objects.filter(pk__in=candidates, status=S.REFERRED)
        .exclude(unanswered_nudge_exists())
        .select_related("service__organization")
        .order_by("referred_at", "pk")
    )
    for connection in due:
        ConnectionEvent.objects.create(
            connection=connection, occurred_at=now, from_status=S.REFERRED,
            to_status=S.REFERRED, note=NUDGE_NOTE,
        )  # fmt: skip
    editors = _editors_of(
        {
            c.service.organization.organisation_id
            for c in due
            if c.service.organization.organisation_id
        }
    )
    items: dict[User, list[NudgeLine]] = defaultdict(list)
    for connection in due:
        organisation_id = connection.service.organization.organisation_id
        if not editors.get(organisation_id):  # type: ignore[arg-type]
            logger.warning(
                "Connection %s awaits an answer but its service has no editor", connection.pk
            )
        for editor in editors.get(organisation_id, []):  # type: ignore[arg-type]
            items[editor].append(NudgeLine.of(connection))
    for editor, lines in items.items():
        _service_nudge_email(recipient=editor, lines=lines)
    return len(items)


@transaction.atomic
def connection_no_response(*, connection_id: int, referred_before: datetime.datetime) -> bool:
    """Back to the link worker as "no response"; never a decline. True if it moved."""
    connection = (
        Connection.objects.select_for_update()
        .filter(pk=connection_id, status=S.REFERRED, referred_at__lte=referred_before)
        .select_related("case__link_worker")
        .first()
    )
    if connection is None:
        return False  # answered, withdrawn or re-sent since the list was made
    _move(connection, to=S.NO_RESPONSE, side=Side.SYSTEM, actor=None, note=NO_RESPONSE_NOTE)
    return True


def connections_no_response_mark(*, now: datetime.datetime | None = None) -> int:
    """Every connection unanswered for ``CONNECTIONS_NO_RESPONSE_WORKING_DAYS`` goes back
    to its link worker, who is told in one email listing the cases. Each in its own
    transaction, so one failure does not undo the others. Returns how many moved."""
    now = now or timezone.now()
    cutoff = working_days_before(now, settings.CONNECTIONS_NO_RESPONSE_WORKING_DAYS)
    due = list(
        _due(settings.CONNECTIONS_NO_RESPONSE_WORKING_DAYS, now)
        .select_related("case__link_worker")
        .order_by("referred_at", "pk")[:BATCH_SIZE]
    )
    workers: dict[User, list[NoResponseLine]] = defaultdict(list)
    for connection in due:
        if connection_no_response(connection_id=connection.pk, referred_before=cutoff):
            workers[connection.case.link_worker].append(NoResponseLine.of(connection))
    for worker, lines in workers.items():
        _no_response_email(recipient=worker, lines=lines)
    if due:
        logger.info("%s connections marked no response", sum(map(len, workers.values())))
    return sum(len(lines) for lines in workers.values())


# --- emails: references, dates and links only; the person's details stay signed in ----


def site_link(name: str, *args: object) -> str:
    """An absolute link to one of this app's pages, for an email."""
    return settings.SITE_URL.rstrip("/") + reverse(f"linkworkers:{name}", args=args)


@dataclass(frozen=True)
class NudgeLine:
    reference: str
    referred_at: datetime.datetime
    url: str

    @classmethod
    def of(cls, connection: Connection) -> NudgeLine:
        return cls(
            f"Connection {connection.pk} to {connection.service.name}",
            connection.referred_at,  # type: ignore[arg-type]
            site_link("vcse-connection", connection.pk),
        )


@dataclass(frozen=True)
class NoResponseLine:
    reference: str
    url: str

    @classmethod
    def of(cls, connection: Connection) -> NoResponseLine:
        return cls(
            f"Case {connection.case.reference}: connection {connection.pk}",
            site_link("case-connections", connection.case_id),
        )


def _email(*, recipient: User, kind: str, template: str, context: dict[str, object]) -> None:
    if not recipient.is_active or not recipient.email:
        return
    base = f"linkworkers/connections/email/{template}"
    subject = " ".join(loader.render_to_string(f"{base}_subject.txt", context).split())
    notification_queue(
        to_email=recipient.email,
        kind=kind,
        subject=subject,
        body_text=loader.render_to_string(f"{base}_body.txt", context),
        recipient=recipient,
    )


def _service_nudge_email(*, recipient: User, lines: list[NudgeLine]) -> None:
    _email(
        recipient=recipient, kind="connection_nudge", template="nudge",
        context={
            "lines": lines, "count": len(lines),
            "nudge_days": settings.CONNECTIONS_NUDGE_WORKING_DAYS,
            "deadline_days": settings.CONNECTIONS_NO_RESPONSE_WORKING_DAYS,
        },
    )  # fmt: skip


def _no_response_email(*, recipient: User, lines: list[NoResponseLine]) -> None:
    _email(
        recipient=recipient, kind="connection_no_response", template="no_response",
        context={
            "lines": lines, "count": len(lines),
            "deadline_days": settings.CONNECTIONS_NO_RESPONSE_WORKING_DAYS,
        },
    )  # fmt: skip

"""Onward connections (social prescriptions) and the service's side of the closed loop.

Every status change goes through ``_move``, which checks it against
``codes.CONNECTION_MOVES`` (the one table of allowed transitions, by who makes them)
and writes the immutable ``ConnectionEvent`` with the acting user; each public function
is one transition, in one transaction, called alike by the HTML views, the API and the
tasks.

Who acts on which side: the case team's link workers on the person's side, the VCSE
editors of the receiving organisation on the service's side, and nobody (``actor=None``)
when a deadline passes (``reminders`` runs the clock). Who sees which
connections is in ``linkworkers.permissions``; finding a service is in
``search``.
"""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from directory.capacity import week_capacity
from directory.geo import normalise_postcode
from directory.models import CapacityStatus, Service, ServiceCapacity
from linkworkers import codes
from linkworkers.connections.capacity import ServiceFull, place_claim
from linkworkers.connections.eligibility import (
    eligibility_for,
    ineligible_reason_needed,
    person_facts,
)
from linkworkers.models import Case, Connection, ConnectionEvent, UnmetNeed
from linkworkers.permissions import CASE_WORK_DENIED, can_act_for_service, can_work_on_case
from referrals.notifications import person_told
from socialrx.core.audit import audit_record
from socialrx.core.models import AuditAction, AuditSystemReason, User

logger = logging.getLogger(__name__)

S = codes.ConnectionStatus
Reason = codes.ConnectionDeclineReason


Side = codes.ConnectionSide

# The reasons a service may give (the four), and the status each leads to: no
# capacity is "service full" (demand it could not meet), "no longer interested" is the
# person's decision, relayed by the service.
SERVICE_DECLINE_REASONS: dict[str, str] = {
    Reason.NO_CAPACITY: S.SERVICE_FULL,
    Reason.NOT_ELIGIBLE: S.DECLINED_BY_SERVICE,
    Reason.COULD_NOT_CONTACT: S.DECLINED_BY_SERVICE,
    Reason.NO_LONGER_INTERESTED: S.DECLINED_BY_PERSON,
}


# The service's refusals the person is told of ("a service cannot take you", no reason
# given): not "could not contact" (they may not know of it) nor their own "no longer
# interested".
PERSON_TOLD_REASONS = frozenset({Reason.NO_CAPACITY, Reason.NOT_ELIGIBLE})


def allowed_moves(connection: Connection, side: str) -> frozenset[str]:
    return codes.CONNECTION_MOVES.get((side, connection.status), frozenset())


def _move(
    connection: Connection,
    *,
    to: str,
    side: str,
    actor: User | None,
    reason: str = "",
    note: str = "",
    now: datetime.datetime | None = None,
    system_reason: str = "",
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
        system_reason=system_reason,
    )
    return event


def _locked(connection: Connection) -> Connection:
    return (
        Connection.objects.select_for_update()
        .select_related("case", "service")
        .get(pk=connection.pk)
    )


# --- who may act (the predicates are in linkworkers.permissions) ----------------------


def _require_case_work(actor: User, case: Case) -> None:
    if not can_work_on_case(actor, case):
        raise PermissionDenied(CASE_WORK_DENIED)


def _require_service_editor(actor: User, service: Service) -> None:
    if not can_act_for_service(actor, service):
        raise PermissionDenied("Only an editor of the service's organisation can do this")


def says_accepting(service: Service) -> bool:
    """Not accepting only when the service says so; unknown capacity is not a refusal."""
    try:
        return service.capacity.status != CapacityStatus.NOT_ACCEPTING
    except ServiceCapacity.DoesNotExist:
        return True


def is_accepting(service: Service) -> bool:
    """Says it is accepting, and this week's places are not all taken."""
    if not says_accepting(service):
        return False
    week = week_capacity(service)
    return week is None or not week.full


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
    ineligible_reason: str = "",
) -> Connection:
    """Connect the person to a service: suggested, or referred at once with consent; the
    connection records the need (``domain``) it meets, for reporting.

    A service not accepting referrals needs ``confirm_not_accepting``; going ahead then
    also records the demand it could not meet, as an unmet need naming the service.
    """
    _require_case_work(actor, case)
    if not case.is_open:
        raise ValidationError("The case is closed")
    if send_now and not consent_to_share:
        raise ValidationError(
            {"consent_to_share": ["Record the person's consent before sending the referral"]}
        )
    if Connection.objects.live().filter(case=case, service=service).exists():
        raise ValidationError("The person is already connected to this service")
    eligibility = eligibility_for(service, person_facts(case))
    ineligible_reason = ineligible_reason.strip()
    needed = ineligible_reason_needed(eligibility)
    if needed and not ineligible_reason:
        raise ValidationError({"ineligible_reason": [needed]})
    # A full week refuses a referral sent now (a suggestion takes no place yet), under the
    # capacity row's lock: the last place goes to one link worker only.
    refusal = [] if says_accepting(service) else ["The service is not accepting referrals"]
    if not refusal and send_now:
        try:
            place_claim(service)
        except ServiceFull as full:
            refusal = full.messages
    accepting = not refusal
    if refusal and not confirm_not_accepting:
        raise ValidationError(
            {"confirm_not_accepting": [*refusal, "Confirm you want to refer to it anyway"]}
        )
    now = timezone.now()
    connection = Connection.objects.create(
        case=case,
        service=service,
        status=S.REFERRED if send_now else S.SUGGESTED,
        status_changed_at=now,
        consent_to_share=consent_to_share,
        not_accepting_confirmed=not accepting,
        domain=domain,
        created_by=actor,
        referred_at=now if send_now else None,
        note=note,
        # Kept only when the criteria rule the person out: a reason is then required.
        ineligible_reason=ineligible_reason if needed else "",
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
    _require_case_work(actor, connection.case)
    if not (consent_to_share or connection.consent_to_share):
        raise ValidationError(
            {"consent_to_share": ["Record the person's consent before sending the referral"]}
        )
    place_claim(connection.service)
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
    _require_case_work(actor, connection.case)
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
        _require_case_work(actor, connection.case)
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
    if reason in PERSON_TOLD_REASONS:
        person_told(referral=connection.case.referral, message="service_cannot_take")
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
    _require_case_work(actor, case)
    return _unmet_need_write(case=case, actor=actor, domain=domain, description=description)


# --- the deadline: no answer is not a decline ---------------------------------------

NO_RESPONSE_NOTE = "The service did not answer in time; back with the link worker to decide"


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
    _move(
        connection,
        to=S.NO_RESPONSE,
        side=Side.SYSTEM,
        actor=None,
        note=NO_RESPONSE_NOTE,
        system_reason=AuditSystemReason.DEADLINE_TASK,
    )
    return True

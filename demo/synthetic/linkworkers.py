"""Synthetic casework: a case for every assigned referral, with its contacts (attempts
and conversations), holistic assessments, support plans with goals and steps, onward
connections to directory services with their status events, unmet need and, for closed
cases, the message back.

Reads the referrals ``demo.synthetic.referrals`` wrote back from the database in chunks, so
memory stays constant whatever the scale. See ``demo.synthetic.base`` for the rules.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from demo.synthetic.base import Synth, next_id
from linkworkers import codes
from linkworkers.models import (
    Assessment,
    AssessmentDomain,
    Case,
    CaseStatusEvent,
    Connection,
    ConnectionEvent,
    Contact,
    MessageBack,
    PlanGoal,
    PlanStep,
    SupportPlan,
    UnmetNeed,
)
from referrals.codes import EventKind, Status
from referrals.models import Referral, ReferralStatusEvent

DAY = datetime.timedelta(days=1)
_CASE_STATUS: dict[str, str] = {
    Status.ASSIGNED: codes.CaseStatus.AWAITING_CONTACT,
    Status.FIRST_CONTACT: codes.CaseStatus.ACTIVE,
    Status.IN_PROGRESS: codes.CaseStatus.ACTIVE,
    Status.CLOSED: codes.CaseStatus.CLOSED,
}
_MODES = [(codes.ContactMode.PHONE, 50), (codes.ContactMode.FACE_TO_FACE, 20),
          (codes.ContactMode.HOME_VISIT, 8), (codes.ContactMode.VIDEO, 5),
          (codes.ContactMode.TEXT, 10), (codes.ContactMode.GROUP, 3),
          (codes.ContactMode.LETTER, 4)]  # fmt: skip
_NOTES = ["Talked about what matters; agreed next steps.", "Checked in; going well.",
          "Discussed the walking group; will try next week.", "", "", ""]  # fmt: skip
_NEED = [0, 1, 2, 3]
_NEED_WEIGHTS = [35, 30, 23, 12]

FIELDS: dict[type[Any], tuple[str, ...]] = {
    Case: ("id", "referral_id", "team_id", "link_worker_id", "status", "opened_at",
           "first_contact_due_on", "first_contact_at", "next_appointment_at", "closed_at",
           "closure_outcome", "created_at", "updated_at"),
    CaseStatusEvent: ("id", "case_id", "occurred_at", "actor_id", "note", "kind",
                      "from_status", "to_status"),
    Contact: ("id", "case_id", "occurred_at", "mode", "successful", "duration_minutes", "note",
              "recorded_by_id", "created_at", "updated_at"),
    Assessment: ("id", "case_id", "assessed_on", "assessed_by_id", "what_matters", "goals",
                 "created_at", "updated_at"),
    AssessmentDomain: ("id", "assessment_id", "domain", "need_level", "strengths", "notes"),
    SupportPlan: ("id", "case_id", "agreed_on", "created_by_id", "created_at", "updated_at"),
    PlanGoal: ("id", "plan_id", "description", "domain", "review_on", "status",
               "outcome_recorded_at", "outcome_note", "created_at", "updated_at"),
    PlanStep: ("id", "goal_id", "description", "owner", "owner_name", "due_on", "done",
               "created_at", "updated_at"),
    Connection: ("id", "case_id", "service_id", "status", "status_changed_at",
                 "decline_reason", "consent_to_share", "not_accepting_confirmed",
                 "created_by_id", "referred_at", "responded_at", "started_on", "completed_on",
                 "note", "created_at", "updated_at"),
    ConnectionEvent: ("id", "connection_id", "occurred_at", "actor_id", "note", "from_status",
                      "to_status", "decline_reason"),
    UnmetNeed: ("id", "case_id", "domain", "description", "postcode_district", "service_id",
                "recorded_by_id", "recorded_on", "created_at", "updated_at"),
    MessageBack: ("id", "case_id", "closure_outcome", "needs_and_concerns", "what_matters",
                  "support_offered", "activities", "snomed_codes", "written_by_id",
                  "created_at", "updated_at"),
}  # fmt: skip


@dataclass
class _Referral:
    id: int
    team: int
    link_worker: int
    status: str
    closure: str
    postcode: str
    times: dict[str, datetime.datetime]


class _Rows:
    """One chunk's rows per table, with the next id of each."""

    def __init__(self) -> None:
        self.ids = {model: next_id(model) for model in FIELDS}
        self.rows: dict[type[Any], list[tuple]] = defaultdict(list)

    def add(self, model: type[Any], *values: object) -> int:
        pk = self.ids[model]
        self.ids[model] += 1
        self.rows[model].append((pk, *values))
        return pk


def generate_casework(synth: Synth, referral_ids: range, service_ids: list[uuid.UUID]) -> None:
    rows = _Rows()
    for number, start in enumerate(range(referral_ids.start, referral_ids.stop, synth.chunk_size)):
        rng = synth.rng("linkworkers", number)
        stop = min(start + synth.chunk_size, referral_ids.stop)
        for referral in _assigned_referrals(start, stop):
            _case(synth, rng, rows, referral, service_ids)
        for model, fields in FIELDS.items():
            synth.insert(model, fields, rows.rows.pop(model, []))


def _assigned_referrals(start: int, stop: int) -> list[_Referral]:
    in_chunk = Referral.objects.filter(pk__gte=start, pk__lt=stop)
    times: dict[int, dict[str, datetime.datetime]] = defaultdict(dict)
    kinds = [EventKind.ASSIGNED, EventKind.FIRST_CONTACT, EventKind.IN_PROGRESS, EventKind.CLOSED]
    for referral_id, kind, at in ReferralStatusEvent.objects.filter(
        referral_id__gte=start, referral_id__lt=stop, kind__in=kinds
    ).values_list("referral_id", "kind", "occurred_at"):
        times[referral_id][kind] = at
    return [
        _Referral(pk, team, worker, status, closure, postcode, times[pk])
        for pk, team, worker, status, closure, postcode in in_chunk.filter(
            assigned_link_worker__isnull=False, status__in=list(_CASE_STATUS)
        )
        .order_by("pk")
        .values_list(
            "pk", "assigned_team_id", "assigned_link_worker_id", "status", "closure_outcome",
            "person__postcode",
        )
    ]  # fmt: skip


def _case(
    synth: Synth,
    rng: random.Random,
    rows: _Rows,
    referral: _Referral,
    service_ids: list[uuid.UUID],
) -> None:
    opened = referral.times[EventKind.ASSIGNED]
    first = referral.times.get(EventKind.FIRST_CONTACT)
    closed = referral.times.get(EventKind.CLOSED)
    status = _CASE_STATUS[referral.status]
    end = closed or synth.as_of
    worker = referral.link_worker
    upcoming = None
    if status == codes.CaseStatus.ACTIVE:
        upcoming = synth.as_of + rng.uniform(1, 14) * DAY
    case = rows.add(
        Case, referral.id, referral.team, worker, status, opened, opened.date() + 7 * DAY,
        first, upcoming, closed, referral.closure if closed else "", opened, end,
    )  # fmt: skip
    S, K = codes.CaseStatus, codes.CaseEventKind
    rows.add(CaseStatusEvent, case, opened, worker, "", K.OPENED, "", S.AWAITING_CONTACT)
    if first:
        rows.add(CaseStatusEvent, case, first, worker, "", K.FIRST_CONTACT, S.AWAITING_CONTACT,
                 S.ACTIVE)  # fmt: skip
    if closed:
        before = S.ACTIVE if first else S.AWAITING_CONTACT
        rows.add(CaseStatusEvent, case, closed, worker, "", K.CLOSED, before, S.CLOSED)
    _contacts(synth, rng, rows, case, worker, opened, first, end)
    started = referral.times.get(EventKind.IN_PROGRESS)
    if started:
        domains = _assessments(rng, rows, case, worker, started, end)
        _plan(rng, rows, case, worker, started, end, closed, domains)
        _connections(rng, rows, case, worker, started, end, closed, service_ids)
        if rng.random() < 0.06 and referral.postcode:
            rows.add(
                UnmetNeed, case, rng.choice(domains), "A service nearby that could help",
                referral.postcode.split()[0], None, worker, started.date(), started, started,
            )  # fmt: skip
    if closed:
        rows.add(
            MessageBack, case, referral.closure, "What the person wanted help with.",
            "Feeling less alone", "Listening, planning and onward connections.", [], [],
            worker, closed, closed,
        )  # fmt: skip


def _contacts(
    synth: Synth,
    rng: random.Random,
    rows: _Rows,
    case: int,
    worker: int,
    opened: datetime.datetime,
    first: datetime.datetime | None,
    end: datetime.datetime,
) -> None:
    """Attempts before the first conversation, then conversations until the end."""
    reached_by = first or end
    for _ in range(rng.choices([0, 1, 2, 3], weights=[45, 30, 15, 10])[0]):
        at = opened + (reached_by - opened) * rng.random()
        rows.add(Contact, case, at, codes.ContactMode.PHONE, False, None, "", worker, at, at)
    if first is None:
        return
    mean_more = max(1.0, (synth.scale.contacts_per_case - 1.9) / 0.9)
    more = max(0, round(rng.gauss(mean_more, mean_more / 3) * min(1, (end - first) / (63 * DAY))))
    for at in [first] + sorted(first + (end - first) * rng.random() for _ in range(more)):
        mode = rng.choices([m for m, _ in _MODES], weights=[w for _, w in _MODES])[0]
        rows.add(
            Contact, case, at, mode, True, rng.randrange(10, 90), rng.choice(_NOTES), worker,
            at, at,
        )  # fmt: skip


def _assessments(
    rng: random.Random,
    rows: _Rows,
    case: int,
    worker: int,
    started: datetime.datetime,
    end: datetime.datetime,
) -> list[str]:
    """A holistic assessment when support starts, a review for some after 8 weeks.
    Returns the domains with a need (medium or high) at the first."""
    dates = [started]
    if rng.random() < 0.3 and started + 56 * DAY < end:
        dates.append(started + 56 * DAY)
    needs: list[str] = []
    for n, at in enumerate(dates):
        assessment = rows.add(
            Assessment, case, at.date(), worker, "Feeling less alone", "Get out more", at, at
        )
        for domain in codes.LifeDomain.values:
            level = rng.choices(_NEED, weights=_NEED_WEIGHTS)[0]
            level = max(0, level - n) if n else level  # reviews show some improvement
            if n == 0 and level >= 2:
                needs.append(domain)
            rows.add(AssessmentDomain, assessment, domain, level, "", "")
    return needs or [codes.LifeDomain.SOCIAL_CONNECTION]


_GOAL_OUTCOMES = [(codes.GoalStatus.ACHIEVED, 55), (codes.GoalStatus.PARTLY_ACHIEVED, 25),
                  (codes.GoalStatus.NOT_ACHIEVED, 20)]  # fmt: skip


def _plan(
    rng: random.Random,
    rows: _Rows,
    case: int,
    worker: int,
    started: datetime.datetime,
    end: datetime.datetime,
    closed: datetime.datetime | None,
    domains: list[str],
) -> None:
    if rng.random() > 0.8:
        return
    agreed = min(started + rng.uniform(0, 7) * DAY, end)
    plan = rows.add(SupportPlan, case, agreed.date(), worker, agreed, agreed)
    for domain in rng.sample(domains, k=min(len(domains), rng.choice([1, 2, 2, 3]))):
        review = agreed.date() + rng.randrange(28, 57) * DAY
        status, outcome_at = codes.GoalStatus.OPEN, None
        if closed or (review < end.date() and rng.random() < 0.7):
            status = rng.choices([g for g, _ in _GOAL_OUTCOMES], [w for _, w in _GOAL_OUTCOMES])[0]
            outcome_at = closed or end
        goal = rows.add(
            PlanGoal, plan, "In the person's words: feel more connected", domain, review, status,
            outcome_at, "", agreed, outcome_at or agreed,
        )  # fmt: skip
        for s in range(rng.choice([1, 2])):
            owner = codes.StepOwner.PERSON if s == 0 else codes.StepOwner.LINK_WORKER
            rows.add(
                PlanStep, goal, "Go along to the first session", owner, "", review,
                status != codes.GoalStatus.OPEN, agreed, agreed,
            )  # fmt: skip


C = codes.ConnectionStatus
# Where a connection got to, and the path it took there.
_PATHS_CLOSED = [
    ([C.SUGGESTED, C.REFERRED, C.ACCEPTED, C.STARTED, C.COMPLETED], 55),
    ([C.SUGGESTED, C.DECLINED_BY_PERSON], 15),
    ([C.SUGGESTED, C.REFERRED, C.DECLINED_BY_SERVICE], 10),
    ([C.SUGGESTED, C.REFERRED, C.SERVICE_FULL], 10),
    ([C.SUGGESTED, C.REFERRED, C.NO_RESPONSE], 10),
]
_PATHS_OPEN = [
    ([C.SUGGESTED], 20),
    ([C.SUGGESTED, C.REFERRED], 30),
    ([C.SUGGESTED, C.REFERRED, C.ACCEPTED], 20),
    ([C.SUGGESTED, C.REFERRED, C.ACCEPTED, C.STARTED], 30),
]
_DECLINE_REASON = {
    C.DECLINED_BY_PERSON: codes.ConnectionDeclineReason.NO_LONGER_INTERESTED,
    C.DECLINED_BY_SERVICE: codes.ConnectionDeclineReason.NOT_ELIGIBLE,
    C.SERVICE_FULL: codes.ConnectionDeclineReason.NO_CAPACITY,
}


def _connections(
    rng: random.Random,
    rows: _Rows,
    case: int,
    worker: int,
    started: datetime.datetime,
    end: datetime.datetime,
    closed: datetime.datetime | None,
    service_ids: list[uuid.UUID],
) -> None:
    count = rng.choices([0, 1, 2, 3], weights=[15, 50, 25, 10])[0]
    paths = _PATHS_CLOSED if closed else _PATHS_OPEN
    for service in rng.sample(service_ids, k=min(count, len(service_ids))):
        path = rng.choices([p for p, _ in paths], weights=[w for _, w in paths])[0]
        span = end - started
        times = sorted(started + span * rng.random() for _ in path)
        final, changed = path[-1], times[-1]
        referred = times[1] if len(path) > 1 and path[1] == C.REFERRED else None
        responded = times[2] if referred and len(path) > 2 else None
        started_on = times[3].date() if len(path) > 3 else None
        completed_on = changed.date() if final == C.COMPLETED else None
        connection = rows.add(
            Connection, case, service, final, changed, _DECLINE_REASON.get(final, ""),
            final != C.SUGGESTED, False, worker, referred, responded, started_on, completed_on,
            "", times[0], changed,
        )  # fmt: skip
        previous = ""
        for status, at in zip(path, times, strict=True):
            rows.add(
                ConnectionEvent, connection, at, worker, "", previous, status,
                _DECLINE_REASON.get(status, ""),
            )  # fmt: skip
            previous = status

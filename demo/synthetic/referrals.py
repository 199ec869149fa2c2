"""Synthetic referrals: the organisations and staff of the pathway (ICB, PCNs, practices,
link worker services and teams, referrers, triage leads, link workers), the people
referred and 8 years of referrals with their reasons and status history.

Every person has a synthetic NHS number from the 999 range (never issued to a real
person) with a valid Modulus 11 check digit. See ``demo.synthetic.base`` for the rules
all generators follow.
"""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from demo.synthetic.base import (
    SYNTHETIC_DOMAIN,
    Synth,
    lognormal_days,
    next_id,
    postcode_in,
    uuid_from,
)
from referrals import codes
from referrals.models import Person, Referral, ReferralReason, ReferralStatusEvent, TriageRoute
from socialrx.core.models import Membership, Organisation, OrganisationType, Profession, Role, User

# No password works for a synthetic account: the benchmark signs in by session cookie.
UNUSABLE_PASSWORD = "!synthetic-account-no-password"
YEARS = 8


def nhs_check_digit(nine: str) -> int | None:
    """Modulus 11: weights 10..2; 11 becomes 0; 10 means the number is never issued."""
    total = sum(int(d) * w for d, w in zip(nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    return 0 if check == 11 else None if check == 10 else check


def synthetic_nhs_numbers(start: int = 0) -> Iterator[str]:
    """Valid 999-range NHS numbers in a scrambled order, each once (about 909,000 exist;
    beyond that the sequence repeats, which only the national scale reaches)."""
    counter = start
    while True:
        six = (counter * 7919 + 104_729) % 1_000_000
        counter += 1
        nine = f"999{six:06d}"
        check = nhs_check_digit(nine)
        if check is not None:
            yield f"{nine}{check}"


@dataclass
class Pathway:
    """Ids of the organisations and staff later generators and the benchmark use."""

    icb: int = 0
    services: list[int] = field(default_factory=list)
    teams: dict[int, list[int]] = field(default_factory=dict)  # service -> teams
    link_workers: dict[int, list[int]] = field(default_factory=dict)  # team -> users
    practices: list[tuple[int, int, int]] = field(default_factory=list)  # practice, service, team
    referrers: dict[int, list[tuple[int, str]]] = field(default_factory=dict)  # practice -> users
    triage_leads: dict[int, int] = field(default_factory=dict)  # service -> user
    commissioner: int = 0


def synthetic_email(local: str) -> str:
    return f"{local}@{SYNTHETIC_DOMAIN}"


# --- organisations and staff ---------------------------------------------------------


def generate_pathway(synth: Synth) -> Pathway:
    scale, rng = synth.scale, synth.rng("referrals", "pathway")
    org_id, user_id = next_id(Organisation), next_id(User)
    orgs: list[tuple] = []
    users: list[tuple] = []
    memberships: list[tuple] = []
    created = synth.as_of - datetime.timedelta(days=365 * YEARS)
    way = Pathway()

    def org(name: str, org_type: str, parent: int | None, ods: str = "") -> int:
        nonlocal org_id
        orgs.append((org_id, name, org_type, ods, parent, True, created, created))
        org_id += 1
        return org_id - 1

    def user(local: str, name: str, org: int, role: str, **extra: object) -> int:
        nonlocal user_id
        users.append(
            (user_id, UNUSABLE_PASSWORD, None, False, synthetic_email(local), name, True,
             False, created)
        )  # fmt: skip
        memberships.append(
            (user_id, org, role, extra.get("profession", ""), extra.get("target_caseload"),
             True, created, created)
        )  # fmt: skip
        user_id += 1
        return user_id - 1

    tag = f"(synthetic {scale.name} {synth.seed})"
    way.icb = org(f"Synthetic Integrated Care Board {tag}", OrganisationType.ICB, None)
    council = org(f"Synthetic County Council {tag}", OrganisationType.COUNCIL, None)
    way.commissioner = user("commissioner-1", "Commissioner One", way.icb, Role.COMMISSIONER)
    teams_per_service = max(1, round(scale.link_workers / scale.link_worker_services / 6))
    team_ids: list[int] = []
    for s in range(scale.link_worker_services):
        service = org(
            f"Synthetic link worker service {s + 1} {tag}",
            OrganisationType.LINK_WORKER_SERVICE,
            council,
        )
        way.services.append(service)
        way.triage_leads[service] = user(
            f"triage-lead-{s + 1}", f"Triage Lead {s + 1}", service, Role.TRIAGE_LEAD
        )
        user(f"manager-{s + 1}", f"Service Manager {s + 1}", service, Role.SERVICE_MANAGER)
        way.teams[service] = []
        for t in range(teams_per_service):
            team = org(
                f"Synthetic team {s + 1}.{t + 1} {tag}", OrganisationType.LINK_WORKER_TEAM, service
            )
            way.teams[service].append(team)
            way.link_workers[team] = []
            team_ids.append(team)
    for n in range(scale.link_workers):
        team = team_ids[n % len(team_ids)]
        way.link_workers[team].append(
            user(f"link-worker-{n + 1}", _name(rng), team, Role.LINK_WORKER, target_caseload=200)
        )
    pcn = 0
    for p in range(scale.practices):
        if p % 6 == 0:
            pcn = org(f"Synthetic PCN {p // 6 + 1} {tag}", OrganisationType.PCN, way.icb)
        practice = org(
            f"Synthetic Surgery {p + 1} {tag}",
            OrganisationType.GP_PRACTICE,
            pcn,
            ods=f"{'ZYXWVU'[synth.seed % 6]}{synth.seed % 10}{p:04d}",
        )
        service = way.services[p % len(way.services)]
        way.practices.append((practice, service, rng.choice(way.teams[service])))
        way.referrers[practice] = []
    for r in range(scale.referrers):
        practice = way.practices[r % len(way.practices)][0]
        profession = Profession.GP if rng.random() < 0.6 else Profession.NURSE
        name = _name(rng)
        uid = user(f"referrer-{r + 1}", name, practice, Role.REFERRER, profession=profession)
        way.referrers[practice].append((uid, name))
    # Last, so that adding it moved no other user's id: the county extract's user.
    user("admin-1", "System Admin One", council, Role.SYSTEM_ADMIN)
    synth.insert(
        Organisation,
        ("id", "name", "org_type", "ods_code", "parent_id", "is_active", "created_at",
         "updated_at"),
        orgs,
    )  # fmt: skip
    synth.insert(
        User,
        ("id", "password", "last_login", "is_superuser", "email", "full_name", "is_active",
         "is_staff", "date_joined"),
        users,
    )  # fmt: skip
    first = next_id(Membership)
    synth.insert(
        Membership,
        ("id", "user_id", "organisation_id", "role", "profession", "target_caseload",
         "is_active", "created_at", "updated_at"),
        [(first + i, *m) for i, m in enumerate(memberships)],
    )  # fmt: skip
    _triage_routes(synth, way, created)
    return way


def _triage_routes(synth: Synth, way: Pathway, created: datetime.datetime) -> None:
    first = next_id(TriageRoute)
    rows: list[tuple[object, ...]] = [
        (first + i, practice, service, team, False, created, created)
        for i, (practice, service, team) in enumerate(way.practices)
    ]
    if not TriageRoute.objects.filter(is_default=True).exists():
        service = way.services[0]
        rows.append(
            (first + len(rows), None, service, way.teams[service][0], True, created, created)
        )
    synth.insert(
        TriageRoute,
        ("id", "practice_id", "service_id", "default_team_id", "is_default", "created_at",
         "updated_at"),
        rows,
    )  # fmt: skip


_GIVEN: dict[str, list[str]] = {
    codes.Sex.FEMALE: ["Olivia", "Amelia", "Margaret", "Susan", "Patricia", "Jean", "Sarah",
                       "Emma", "Linda", "Aisha", "Priya", "Joan", "Helen", "Karen", "Zofia",
                       "Grace", "Fatima", "Ruth", "Diane", "Chloe"],
    codes.Sex.MALE: ["John", "David", "Michael", "Peter", "James", "Robert", "Mohammed",
                     "Paul", "Stephen", "Andrew", "Brian", "Tomasz", "Kevin", "Arjun",
                     "George", "Daniel", "Keith", "Samuel", "Oliver", "Raj"],
}  # fmt: skip
_FAMILY = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
           "Patel", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts",
           "Green", "Hall", "Khan", "Clarke", "Lewis", "Jackson", "Wood", "Harris", "Martin",
           "Cooper", "King", "Baker", "Kowalski", "Ahmed", "Hughes", "Edwards", "Turner",
           "Hill", "Moore", "Ward", "Morris", "Begum", "Nowak", "Okafor"]  # fmt: skip
_STREETS = ["High Street", "Church Lane", "Station Road", "Mill Lane", "Park Road", "The Green",
            "Victoria Road", "Manor Close", "Orchard Way", "School Lane"]  # fmt: skip


def practice_of(way: Pathway, person_id: int) -> int:
    """A person's practice, from their id: a person referred again keeps their practice."""
    return way.practices[(person_id * 2_654_435_761) % len(way.practices)][0]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_GIVEN[rng.choice(list(_GIVEN))])} {rng.choice(_FAMILY)}"


# --- people and referrals -------------------------------------------------------------

# Age at referral: social prescribing sees more older people than the population.
_AGE_BANDS = [((18, 30), 10), ((30, 45), 15), ((45, 65), 30), ((65, 80), 28), ((80, 98), 17)]
_SEX = [(codes.Sex.FEMALE, 60), (codes.Sex.MALE, 39), (codes.Sex.NOT_KNOWN, 1)]
_ETHNICITY = [("A", 78), ("C", 5), ("H", 3), ("J", 2), ("N", 3), ("M", 1), ("D", 1), ("L", 1),
              ("S", 1), ("Z", 5)]  # fmt: skip
_SOURCE = [
    (codes.ReferralSource.GP, 55), (codes.ReferralSource.PRACTICE_NURSE, 12),
    (codes.ReferralSource.OTHER_HEALTH, 10), (codes.ReferralSource.SOCIAL_CARE, 6),
    (codes.ReferralSource.VCSE, 5), (codes.ReferralSource.OTHER, 2),
    (codes.ReferralSource.SELF, 10),
]  # fmt: skip
_REASON = [
    (codes.Reason.LONELINESS, 32), (codes.Reason.LOW_MOOD, 28),
    (codes.Reason.LONG_TERM_CONDITION, 16), (codes.Reason.MONEY, 12),
    (codes.Reason.CARER_SUPPORT, 6), (codes.Reason.HOUSING, 6),
    (codes.Reason.PHYSICAL_INACTIVITY, 8), (codes.Reason.BEREAVEMENT, 6),
    (codes.Reason.WEIGHT, 4), (codes.Reason.EMPLOYMENT, 3),
    (codes.Reason.FREQUENT_ATTENDER, 3), (codes.Reason.OTHER, 2),
]  # fmt: skip
_CLOSURE = [
    (codes.ClosureOutcome.SUPPORTED, 78), (codes.ClosureOutcome.DECLINED_BY_PERSON, 10),
    (codes.ClosureOutcome.NOT_APPROPRIATE, 5), (codes.ClosureOutcome.MOVED_AWAY, 3),
    (codes.ClosureOutcome.UNABLE_TO_CONTACT, 4),
]  # fmt: skip
_DECLINE = [
    (codes.DeclineReason.NOT_ELIGIBLE, 30), (codes.DeclineReason.REFERRED_ELSEWHERE, 30),
    (codes.DeclineReason.NEEDS_CRISIS_SERVICE, 10), (codes.DeclineReason.NO_CONSENT, 15),
    (codes.DeclineReason.NOT_ACCEPTED_IN_TIME, 5), (codes.DeclineReason.OTHER, 10),
]  # fmt: skip


def _pick(rng: random.Random, weighted: Sequence[tuple[object, int]]) -> str:
    return str(rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0])


_PERSON_FIELDS = (
    "id", "nhs_number", "given_name", "family_name", "date_of_birth", "sex", "gender_identity",
    "address", "postcode", "phone", "email", "preferred_contact_method",
    "preferred_contact_times", "interpreter_needed", "language", "accessibility_needs",
    "ethnicity", "registered_practice_id", "merged_into_id", "created_at", "updated_at",
)  # fmt: skip
_REFERRAL_FIELDS = (
    "id", "uuid", "person_id", "source", "referrer_id", "referring_organisation_id",
    "reason_other", "what_matters", "safeguarding_concerns", "lone_working_risks", "urgency",
    "consent_to_referral", "consent_to_share", "consent_recorded_on", "consent_recorded_by",
    "contact_consent", "triage_service_id", "assigned_team_id", "assigned_link_worker_id",
    "status", "closure_outcome", "decline_reason", "suggested_alternative", "idempotency_key",
    "request_fingerprint", "created_at", "updated_at",
)  # fmt: skip
_EVENT_FIELDS = (
    "id", "referral_id", "occurred_at", "kind", "from_status", "to_status", "actor_id", "note",
    "snomed_code", "detail",
)  # fmt: skip


def referral_time(synth: Synth, index: int, rng: random.Random) -> datetime.datetime:
    """Referrals over 8 years, the yearly number growing (the rate rises from 0.6 to 1.4
    times the mean), in working hours."""
    u = (index + rng.random()) / synth.scale.referrals
    fraction = (-0.6 + math.sqrt(0.36 + 1.6 * u)) / 0.8
    span = datetime.timedelta(days=365 * YEARS)
    moment = synth.as_of - span + span * fraction
    day = moment.replace(hour=8, minute=0, second=0, microsecond=0)
    return day + datetime.timedelta(seconds=rng.randrange(9 * 3600))


@dataclass
class _Ids:
    person: int
    referral: int
    reason: int
    event: int
    nhs: Iterator[str]


def generate_referrals(synth: Synth, way: Pathway) -> None:
    """People and referrals in time order, chunk by chunk. A referral brings a new person
    until the people target is met in proportion; the rest are people referred again."""
    ids = _Ids(
        next_id(Person),
        next_id(Referral),
        next_id(ReferralReason),
        next_id(ReferralStatusEvent),
        synthetic_nhs_numbers(),
    )
    first_person = ids.person
    routes = {practice: (service, team) for practice, service, team in way.practices}
    for number, start in enumerate(range(0, synth.scale.referrals, synth.chunk_size)):
        rng = synth.rng("referrals", number)
        people: list[tuple] = []
        referrals: list[tuple] = []
        reasons: list[tuple] = []
        events: list[tuple] = []
        for index in range(start, min(start + synth.chunk_size, synth.scale.referrals)):
            created = referral_time(synth, index, rng)
            ratio = synth.scale.people / synth.scale.referrals
            if math.ceil((index + 1) * ratio) > math.ceil(index * ratio):
                people.append(_person_row(synth, rng, ids, created, way))
                person = ids.person
                ids.person += 1
            else:
                person = rng.randrange(first_person, ids.person)
            _referral(synth, rng, ids, way, routes, person, created, referrals, reasons, events)
        synth.insert(Person, _PERSON_FIELDS, people)
        synth.insert(Referral, _REFERRAL_FIELDS, referrals)
        synth.insert(ReferralReason, ("id", "referral_id", "reason"), reasons)
        synth.insert(ReferralStatusEvent, _EVENT_FIELDS, events)


def _person_row(
    synth: Synth, rng: random.Random, ids: _Ids, created: datetime.datetime, way: Pathway
) -> tuple:
    sex = _pick(rng, _SEX)
    low, high = rng.choices([b for b, _ in _AGE_BANDS], weights=[w for _, w in _AGE_BANDS])[0]
    born = created.date() - datetime.timedelta(days=rng.uniform(low, high) * 365.25)
    given = rng.choice(_GIVEN.get(sex) or _GIVEN[codes.Sex.FEMALE])
    family = rng.choice(_FAMILY)
    nhs = next(ids.nhs) if rng.random() < 0.95 else ""
    practice = practice_of(way, ids.person)
    email = f"{given}.{family}{rng.randrange(100)}@{SYNTHETIC_DOMAIN}".lower()
    return (
        ids.person, nhs, given, family, born, sex, "",
        f"{rng.randrange(1, 250)} {rng.choice(_STREETS)}", postcode_in(rng, synth.scale),
        f"07700 900{rng.randrange(1000):03d}", email if rng.random() < 0.5 else "",
        rng.choice(codes.ContactMethod.values), "", rng.random() < 0.03,
        "" if rng.random() < 0.95 else rng.choice(["Polish", "Urdu", "Punjabi", "Romanian"]), "",
        _pick(rng, _ETHNICITY), practice, None, created, created,
    )  # fmt: skip


def _referral(
    synth: Synth,
    rng: random.Random,
    ids: _Ids,
    way: Pathway,
    routes: dict[int, tuple[int, int]],
    person: int,
    created: datetime.datetime,
    referrals: list[tuple],
    reasons: list[tuple],
    events: list[tuple],
) -> None:
    practice = practice_of(way, person)
    service, team = routes[practice]
    source = _pick(rng, _SOURCE)
    referrer, referrer_name, referring_org = None, "The person", None
    if source != codes.ReferralSource.SELF:
        referrer, referrer_name = rng.choice(way.referrers[practice])
        referring_org = practice
    link_worker = rng.choice(way.link_workers[team])
    story = _story(rng, created, synth.as_of)
    actors = {"referrer": referrer, "triage": way.triage_leads[service], "lw": link_worker}
    assigned = any(kind == codes.EventKind.ASSIGNED for kind, *_ in story.events)
    for kind, from_status, to_status, at, actor in story.events:
        snomed = codes.snomed_for_event(kind, story.closure) or ""
        events.append(
            (ids.event, ids.referral, at, kind, from_status, to_status, actors[actor], "",
             snomed, {})
        )  # fmt: skip
        ids.event += 1
    chosen = rng.sample(
        [r for r, _ in _REASON], k=rng.choices([1, 2, 3], weights=[50, 35, 15])[0],
        counts=[w for _, w in _REASON],
    )  # fmt: skip
    for reason in dict.fromkeys(chosen):
        reasons.append((ids.reason, ids.referral, reason))
        ids.reason += 1
    referrals.append(
        (ids.referral, uuid_from(rng), person, source, referrer, referring_org,
         "Needs help getting out" if codes.Reason.OTHER in chosen else "",
         rng.choice(["Getting out of the house", "Feeling less alone", "Sorting out money",
                     "Being more active", "Meeting people"]),
         "", "", codes.Urgency.URGENT if rng.random() < 0.08 else codes.Urgency.ROUTINE,
         True, True, created.date(), referrer_name, rng.random() < 0.4, service,
         team if assigned else None, link_worker if assigned else None, story.status,
         story.closure, story.decline, "", "", "", created, story.events[-1][3])
    )  # fmt: skip
    ids.referral += 1


@dataclass
class _Story:
    status: str
    events: list[tuple[str, str, str, datetime.datetime, str]]
    closure: str = ""
    decline: str = ""


def _story(rng: random.Random, created: datetime.datetime, as_of: datetime.datetime) -> _Story:
    """A referral's life from submission, cut at ``as_of``: triage after a median of
    1.5 days, 10% declined; first contact a median of 4 days after assignment (8% never
    reached); support for a median of 9 weeks."""
    S, K = codes.Status, codes.EventKind
    day = datetime.timedelta(days=1)
    plan: list[tuple[str, str, str, datetime.datetime, str]] = [
        (K.SUBMITTED, "", S.RECEIVED, created, "referrer")
    ]
    at = created + lognormal_days(rng, 1.5, 0.9) * day
    if rng.random() < 0.05:
        plan.append((K.INFO_REQUESTED, S.RECEIVED, S.INFO_REQUESTED, at, "triage"))
        at += lognormal_days(rng, 3) * day
        plan.append((K.INFO_PROVIDED, S.INFO_REQUESTED, S.RECEIVED, at, "referrer"))
        at += lognormal_days(rng, 1) * day
    closure = decline = ""
    if rng.random() < 0.10:
        plan.append((K.DECLINED, S.RECEIVED, S.DECLINED, at, "triage"))
        decline = _pick(rng, _DECLINE)
    else:
        plan.append((K.ASSIGNED, S.RECEIVED, S.ASSIGNED, at, "triage"))
        if rng.random() < 0.08:
            at += rng.uniform(14, 30) * day
            closure = codes.ClosureOutcome.UNABLE_TO_CONTACT
            plan.append((K.CLOSED, S.ASSIGNED, S.CLOSED, at, "lw"))
        else:
            at += lognormal_days(rng, 4) * day
            plan.append((K.FIRST_CONTACT, S.ASSIGNED, S.FIRST_CONTACT, at, "lw"))
            at += lognormal_days(rng, 7, 0.6) * day
            plan.append((K.IN_PROGRESS, S.FIRST_CONTACT, S.IN_PROGRESS, at, "lw"))
            at += lognormal_days(rng, 63, 0.6) * day
            closure = _pick(rng, _CLOSURE)
            plan.append((K.CLOSED, S.IN_PROGRESS, S.CLOSED, at, "lw"))
    happened = [event for event in plan if event[3] <= as_of]
    status = happened[-1][2]
    return _Story(
        status=status,
        events=happened,
        closure=closure if status == S.CLOSED else "",
        decline=decline if status == S.DECLINED else "",
    )

"""Northshire's recent past: people a second demo link worker has supported over the
last nine months, each measured (SWEMWBS, and UCLA-3 for every other one) at baseline and
at the follow-ups that have fallen due, inside the measure schedule's windows, so the
demo's wellbeing report and payable outcomes show real change.

The present-day demo goes through the services; the past cannot (a service stamps "now"
on its events), so these rows are written with their own dates, as the synthetic
generator writes its history, and the measures then go through the measures service,
which checks each against its window. One follow-up is recorded early with a reason, so
the demo shows how a record outside its window looks. Idempotent: each referral carries
a fixed idempotency key.
"""

from __future__ import annotations

import datetime
import itertools

import nhs_number
from django.utils import timezone

from demo.seeds import core as core_demo
from linkworkers import codes as lw_codes
from linkworkers.models import Case, CaseStatusEvent, Contact
from outcomes import codes
from outcomes.models import Measure
from outcomes.services.measures import measure_record_create
from referrals import codes as referral_codes
from referrals.models import Person, Referral, ReferralReason, ReferralStatusEvent
from socialrx.core.models import Membership, Organisation, OrganisationType, Role, User

HISTORY = 30
GIVEN = ["Ama", "Ben", "Cleo", "Dev", "Erin", "Finn", "Gita", "Huw", "Isla", "Jai"]
FAMILY = ["Kerr", "Lowe", "Marsh", "Nash", "Owen", "Pryce", "Quinn", "Rowe", "Shaw", "Tate"]
# SWEMWBS baseline answers and how many items rise by one at 12 weeks (and one more by
# 26): a mean gain of about 3 metric points, half of them meaningful, some none, as
# evaluations of social prescribing report.
BASELINES = [
    [2, 3, 2, 3, 2, 3, 3],
    [2, 2, 2, 3, 2, 2, 2],
    [3, 3, 3, 3, 2, 3, 3],
    [1, 2, 2, 2, 2, 2, 1],
]
RISES = [5, 7, 2, 7, 6, 0, 4]
# Days from the first contact to each record: inside the default windows (baseline
# within 14 days; 12 weeks = 70-112 days; 26 weeks = 154-210 days).
BASELINE_DAY, TWELVE_WEEKS, TWENTY_SIX_WEEKS = 3, 84, 182
EARLY = "Moving out of the area next week, so asked early."


def _worker(team: Organisation) -> User:
    email = f"linkworker.history@{core_demo.DEMO_DOMAIN}"
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email, core_demo.DEMO_PASSWORD, full_name="Priya Shah"
    )
    Membership.objects.get_or_create(user=user, organisation=team, role=Role.LINK_WORKER)
    return user


def _nhs_numbers() -> itertools.islice[str]:
    # From the 999 test range, above the numbers the present-day demo uses.
    candidates = (f"999{n:07d}" for n in itertools.count(500000))
    return itertools.islice((n for n in candidates if nhs_number.is_valid(n)), HISTORY)


def _referral(n: int, number: str, practice: Organisation, team: Organisation) -> Referral:
    person = Person.objects.create(
        given_name=GIVEN[n % len(GIVEN)],
        family_name=FAMILY[n % len(FAMILY)],
        date_of_birth=datetime.date(1945 + n, 1 + n % 12, 1 + n % 28),
        nhs_number=number,
        postcode=f"NS{1 + n % 9} {n % 10}CD",
        registered_practice=practice,
        ethnicity=referral_codes.EthnicCategory.values[n % len(referral_codes.EthnicCategory)],
    )
    referral = Referral.objects.create(
        person=person,
        source=referral_codes.ReferralSource.SELF,
        triage_service=Organisation.objects.get(name=core_demo.LINK_WORKER_SERVICE),
        what_matters="Feeling less alone and getting out more.",
        consent_to_referral=True,
        consent_to_share=True,
        consent_recorded_on=timezone.localdate(),
        consent_recorded_by="The person (self-referral)",
        status=referral_codes.Status.IN_PROGRESS,
        assigned_team=team,
        idempotency_key=f"demo-history-{n:03d}",
    )
    ReferralReason.objects.create(referral=referral, reason=referral_codes.Reason.LONELINESS)
    return referral


def _events(referral: Referral, case: Case, worker: User, first: datetime.datetime) -> None:
    received = first - datetime.timedelta(days=10)
    Referral.objects.filter(pk=referral.pk).update(created_at=received)
    S = referral_codes.Status
    for kind, was, now, at in (
        (referral_codes.EventKind.SUBMITTED, "", S.RECEIVED, received),
        (referral_codes.EventKind.ASSIGNED, S.RECEIVED, S.ASSIGNED, received + _days(2)),
        (referral_codes.EventKind.FIRST_CONTACT, S.ASSIGNED, S.FIRST_CONTACT, first),
        (referral_codes.EventKind.IN_PROGRESS, S.FIRST_CONTACT, S.IN_PROGRESS, first),
    ):
        ReferralStatusEvent.objects.create(
            referral=referral, kind=kind, from_status=was, to_status=now, occurred_at=at
        )
    C = lw_codes.CaseStatus
    for case_kind, case_was, case_now, case_at in (
        (lw_codes.CaseEventKind.OPENED, "", C.AWAITING_CONTACT, received + _days(3)),
        (lw_codes.CaseEventKind.FIRST_CONTACT, C.AWAITING_CONTACT, C.ACTIVE, first),
    ):
        CaseStatusEvent.objects.create(
            case=case,
            kind=case_kind,
            from_status=case_was,
            to_status=case_now,
            occurred_at=case_at,
            actor=worker,
        )
    Contact.objects.create(
        case=case, occurred_at=first, mode=lw_codes.ContactMode.PHONE, successful=True,
        duration_minutes=40, note="First conversation.", recorded_by=worker,
    )  # fmt: skip


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _measures(case: Case, n: int, first: datetime.date) -> int:
    swemwbs = Measure.objects.get(code=codes.SWEMWBS)
    ucla = Measure.objects.get(code=codes.UCLA3)
    before = BASELINES[n % len(BASELINES)]
    rises = RISES[n % len(RISES)]
    twelve = [min(5, v + (i < rises)) for i, v in enumerate(before)]
    later = [min(5, v + (i < rises + 1)) for i, v in enumerate(before)]
    plans = [(swemwbs, [before, twelve, later])]
    if n % 2 == 0:
        plans.append((ucla, [[3, 2, 3], [2, 2, 2] if n % 3 else [3, 2, 3], [2, 1, 2]]))
    count = 0
    for measure, answers in plans:
        items = list(measure.items.order_by("position").values_list("code", flat=True))
        days = (BASELINE_DAY, TWELVE_WEEKS, TWENTY_SIX_WEEKS)
        for values, day in zip(answers, days, strict=True):
            early = n == 1 and day == TWELVE_WEEKS
            on = first + _days(56 if early else day)
            if on > timezone.localdate():
                break
            measure_record_create(
                case=case, measure=measure, answers=dict(zip(items, values, strict=True)),
                actor=case.link_worker, recorded_on=on, out_of_window_reason=EARLY if early else "",
            )  # fmt: skip
            count += 1
    return count


def seed_history() -> int:
    """The history's referrals, cases and measures; returns how many measures it recorded."""
    team = Organisation.objects.get(name=core_demo.COUNCIL_TEAM)
    worker = _worker(team)
    practices = list(Organisation.objects.of_type(OrganisationType.GP_PRACTICE).order_by("name"))
    recorded = 0
    for n, number in enumerate(_nhs_numbers()):
        if Referral.objects.filter(idempotency_key=f"demo-history-{n:03d}").exists():
            continue
        # First contacts spread over the last nine months, newest first.
        first = timezone.now() - _days(100 + 6 * n)
        referral = _referral(n, number, practices[n % len(practices)], team)
        Referral.objects.filter(pk=referral.pk).update(assigned_link_worker=worker)
        case = Case.objects.create(
            referral=referral, team=team, link_worker=worker, status=lw_codes.CaseStatus.ACTIVE,
            opened_at=first - _days(7), first_contact_due_on=(first - _days(2)).date(),
            first_contact_at=first,
        )  # fmt: skip
        _events(referral, case, worker, first)
        recorded += _measures(case, n, timezone.localdate(first))
    return recorded

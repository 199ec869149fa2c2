"""Demo referrals for Northshire: 64 synthetic people across sources, reasons and statuses.

Idempotent: each demo referral carries a fixed idempotency key, so a second run finds
them and changes nothing. NHS numbers come from the 999 test range only.
"""

from __future__ import annotations

import datetime
import itertools

import nhs_number
from django.utils import timezone

from demo.seeds import core as core_demo
from referrals import codes
from referrals.models import Referral, TriageRoute
from referrals.services import (
    PersonInput,
    ReferralInput,
    referral_assign,
    referral_decline,
    referral_record_progress,
    referral_redirect,
    referral_request_info,
    referral_submit,
    referral_withdraw,
)
from socialrx.core.models import Membership, Organisation, OrganisationType, Profession, Role, User

DEMO_COUNT = 64
PCN_WITH_TEAM = {"Northshire Central PCN"}
GIVEN = ["Alex", "Bea", "Cal", "Dee", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jo", "Kit", "Lou"]
FAMILY = ["Ashby", "Brook", "Carter", "Dale", "Ellis", "Frost", "Grey", "Hale", "Irwin", "Judd"]
# The end state of each demo referral, cycled so every status and outcome appears.
PLAN = [
    "received",
    # Withdrawn by the referrer (a GP system can do this too), in place of a second
    # "received" so the other end states fall where the other apps' demos expect them.
    "withdrawn",
    "info_requested",
    "assigned",
    "first_contact",
    "in_progress",
    "declined",
    *[f"closed:{outcome}" for outcome in codes.ClosureOutcome.values],
]


def synthetic_nhs_numbers() -> itertools.islice[str]:
    candidates = (f"999{n:07d}" for n in itertools.count(1))
    return itertools.islice((n for n in candidates if nhs_number.is_valid(n)), DEMO_COUNT)


def _demo_user(local: str, name: str, org: Organisation, role: str, **extra: object) -> User:
    email = f"{local}@{core_demo.DEMO_DOMAIN}"
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email, core_demo.DEMO_PASSWORD, full_name=name
    )
    Membership.objects.get_or_create(user=user, organisation=org, role=role, defaults=extra)
    return user


def _routes() -> tuple[Organisation, Organisation]:
    orgs = Organisation.objects
    service = orgs.get(name=core_demo.LINK_WORKER_SERVICE)
    council_team = orgs.get(name=core_demo.COUNCIL_TEAM)
    pcn_team = orgs.get(name=core_demo.PCN_TEAM)
    TriageRoute.objects.get_or_create(
        is_default=True, defaults={"service": service, "default_team": council_team}
    )
    for pcn_name, practices in core_demo.PCNS.items():
        team = pcn_team if pcn_name in PCN_WITH_TEAM else council_team
        for practice_name, _ in practices:
            practice = orgs.get(name=practice_name, org_type=OrganisationType.GP_PRACTICE)
            TriageRoute.objects.get_or_create(
                practice=practice, defaults={"service": service, "default_team": team}
            )
    return council_team, pcn_team


def _referrers() -> list[tuple[User | None, Organisation | None, str]]:
    orgs = Organisation.objects
    gp_practice = orgs.get(name="Abbey Road Surgery")
    nurse_practice = orgs.get(name="Fenbridge Family Practice")
    council = orgs.get(name=core_demo.COUNCIL)
    vcse = orgs.get(name=core_demo.VCSE_ORGANISATIONS[0])
    gp = User.objects.get(email=f"gp@{core_demo.DEMO_DOMAIN}")
    nurse = _demo_user(
        "nurse", "Nia Evans", nurse_practice, Role.REFERRER, profession=Profession.NURSE
    )
    social = _demo_user("socialcare", "Ravi Kapoor", council, Role.REFERRER)
    vcse_user = User.objects.get(email=f"vcse@{core_demo.DEMO_DOMAIN}")
    return [
        (gp, gp_practice, codes.ReferralSource.GP),
        (nurse, nurse_practice, codes.ReferralSource.PRACTICE_NURSE),
        (gp, gp_practice, codes.ReferralSource.GP),
        (social, council, codes.ReferralSource.SOCIAL_CARE),
        (vcse_user, vcse, codes.ReferralSource.VCSE),
        (None, None, codes.ReferralSource.SELF),
    ]


def _advance(referral: Referral, plan: str, team: Organisation, lead: User, worker: User) -> None:
    if plan == "info_requested":
        referral_request_info(
            referral=referral, actor=lead, question="Does the person have a carer?"
        )
    elif plan == "declined":
        referral_decline(
            referral=referral,
            actor=lead,
            reason=codes.DeclineReason.NEEDS_CRISIS_SERVICE,
            suggested_alternative="NHS 111, option 2 (urgent mental health help)",
        )
    elif plan == "withdrawn":
        if referral.referrer is not None:  # a self-referral has no referrer to withdraw it
            referral_withdraw(referral=referral, actor=referral.referrer)
    elif plan != "received":
        referral_assign(referral=referral, team=team, actor=lead)
        steps = {"assigned": 0, "first_contact": 1}.get(plan, 2)
        for kind in ("first_contact", "in_progress")[:steps]:
            referral_record_progress(referral=referral, actor=worker, kind=kind)
        if plan.startswith("closed:"):
            referral_record_progress(
                referral=referral, actor=worker, kind="closed", outcome=plan.split(":")[1]
            )


def seed_referrals() -> str:
    council_team, pcn_team = _routes()
    lead = User.objects.get(email=f"triage@{core_demo.DEMO_DOMAIN}")
    worker = User.objects.get(email=f"linkworker@{core_demo.DEMO_DOMAIN}")
    practices = list(Organisation.objects.of_type(OrganisationType.GP_PRACTICE).order_by("name"))
    referrers = _referrers()
    reasons = codes.Reason.values
    created = 0
    for n, number in enumerate(synthetic_nhs_numbers()):
        key = f"demo-{n:03d}"
        if Referral.objects.filter(idempotency_key=key).exists():
            continue
        referrer, organisation, source = referrers[n % len(referrers)]
        practice = practices[n % len(practices)]
        data = ReferralInput(
            person=PersonInput(
                given_name=GIVEN[n % len(GIVEN)],
                family_name=FAMILY[n % len(FAMILY)],
                date_of_birth=datetime.date(1940 + n % 60, 1 + n % 12, 1 + n % 28),
                nhs_number=number,
                postcode=f"NS{1 + n % 9} {n % 10}AB",
                phone=f"01632 960{n:03d}",  # Ofcom's range for drama and demos
                registered_practice_id=practice.pk,
                ethnicity=codes.EthnicCategory.values[n % len(codes.EthnicCategory.values)],
            ),
            reasons=(reasons[n % len(reasons)], reasons[(n * 5 + 1) % len(reasons)]),
            reason_other="Wants to get back into volunteering",  # kept only with "Other"
            what_matters="Getting out more and meeting people nearby.",
            urgency=codes.Urgency.URGENT if n % 9 == 0 else codes.Urgency.ROUTINE,
            consent_to_referral=True,
            consent_to_share=True,
            consent_recorded_on=timezone.localdate(),
            consent_recorded_by=str(referrer or "The person (self-referral)"),
            source=source,
        )
        referral = referral_submit(
            data=data, referrer=referrer, organisation=organisation, idempotency_key=key
        ).referral
        # Spread arrival over the last 12 days so the queue shows waiting times, yet none
        # is old enough for the automatic decline to empty a running demo's queue.
        Referral.objects.filter(pk=referral.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=n % 12, hours=n % 24)
        )
        referral.refresh_from_db()
        team = (
            pcn_team
            if practice.parent and practice.parent.name == "Northshire Central PCN"
            else council_team
        )
        _advance(referral, PLAN[n % len(PLAN)], team, lead, worker)
        created += 1
    passed = _pass_between_services(lead)
    return (
        f"{created} referrals created ({Referral.objects.count()} in all); "
        f"{passed} passed to the PCN's service"
    )


def _pass_between_services(lead: User) -> int:
    """Two waiting referrals of Central PCN patients passed from the county service to
    the PCN's own (its link workers know the practices), so both services' triage leads
    see referrals the other passed on. Idempotent: only once a demo."""
    pcn_service = Organisation.objects.get(name=core_demo.PCN_SERVICE)
    if Referral.objects.filter(triage_service=pcn_service).exists():
        return 0
    waiting = Referral.objects.filter(
        status=codes.Status.RECEIVED,
        person__registered_practice__parent__name="Northshire Central PCN",
    ).order_by("created_at")[:2]
    for referral in waiting:
        referral_redirect(
            referral=referral, actor=lead, service=pcn_service,
            note="The PCN's link workers know the practice and the family.",
        )  # fmt: skip
    return len(waiting)

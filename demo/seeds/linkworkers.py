"""Demo casework for Northshire: the demo link worker's open cases with contacts,
assessments and plans. Idempotent, and always through the services, so the demo shows
what the app would have recorded."""

from __future__ import annotations

import datetime

from django.utils import timezone

from demo.seeds.core import DEMO_DOMAIN
from demo.seeds.directory import demo_service_id
from directory.models import Service
from linkworkers import codes
from linkworkers.connections.services.lifecycle import connection_create
from linkworkers.models import Case
from linkworkers.services.assessments import DomainInput, assessment_record
from linkworkers.services.cases import case_open
from linkworkers.services.contacts import contact_record
from linkworkers.services.plans import StepInput, plan_goal_add
from referrals import codes as referral_codes
from referrals.models import Referral
from socialrx.core.models import User

# Cases to open for the demo link worker; the rest of their team's assigned referrals are
# left waiting, so a demonstration (and the browser test) can open one.
DEMO_CASES = 3
# This week's referrals from the worked cases (case number, service, need): the health
# walks' two places a week both taken, so the demo shows a service full this week, and
# one of the friendship café's three, which its editor sees asked and waiting.
THIS_WEEKS_CONNECTIONS = [
    (1, "Health walks in Castle Park", codes.LifeDomain.PHYSICAL_HEALTH),
    (2, "Health walks in Castle Park", codes.LifeDomain.PHYSICAL_HEALTH),
    (2, "Friday friendship café", codes.LifeDomain.SOCIAL_CONNECTION),
]


def _work(case: Case, worker: User, n: int) -> None:
    now = timezone.now()
    contact_record(
        case=case,
        actor=worker,
        occurred_at=now - datetime.timedelta(hours=3),
        mode=codes.ContactMode.PHONE,
        successful=False,
        note="No answer; left a message.",
    )
    if n == 0:
        return  # one case still awaiting first contact
    contact_record(
        case=case,
        actor=worker,
        occurred_at=now - datetime.timedelta(hours=1),
        mode=codes.ContactMode.PHONE,
        successful=True,
        duration_minutes=35,
        note="Talked about what matters; happy to meet.",
    )
    levels = {"social_connection": 3, "mental_wellbeing": 2, "physical_health": 1}
    assessment_record(
        case=case,
        actor=worker,
        assessed_on=timezone.localdate(),
        what_matters="Getting out more and meeting people nearby.",
        goals="Join something social each week.",
        domains=[
            DomainInput(d, levels.get(d, 0), "Loves gardening and a chat.")
            for d in codes.LifeDomain.values
        ],
    )
    plan_goal_add(
        case=case,
        actor=worker,
        description="Meet people nearby once a week",
        domain=codes.LifeDomain.SOCIAL_CONNECTION,
        review_on=timezone.localdate() + datetime.timedelta(days=7 * n),
        steps=[
            StepInput("Find a friendly group nearby", codes.StepOwner.LINK_WORKER),
            StepInput("Go along for the first time", codes.StepOwner.PERSON),
        ],
    )


def seed_casework() -> str:
    worker = User.objects.get(email=f"linkworker@{DEMO_DOMAIN}")
    if Case.objects.filter(link_worker=worker).exists():
        return "casework already seeded"
    team = worker.organisations_with_role("link_worker")[0]
    referrals = Referral.objects.filter(
        assigned_team=team, status=referral_codes.Status.ASSIGNED, case__isnull=True
    ).order_by("created_at")[:DEMO_CASES]
    cases = [case_open(referral=referral, actor=worker) for referral in referrals]
    for n, case in enumerate(cases):
        _work(case, worker, n)
    for n, name, domain in THIS_WEEKS_CONNECTIONS:
        if n < len(cases):
            connection_create(
                case=cases[n], service=Service.objects.get(id=demo_service_id(name)),
                actor=worker, domain=domain, consent_to_share=True, send_now=True,
            )  # fmt: skip
    return f"{len(cases)} cases opened for {worker}"

"""Factories for linkworkers records. Built directly, without the services, for setting
up a state quickly; tests of a workflow go through ``linkworkers.services``."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from linkworkers import codes
from linkworkers.models import (
    Assessment,
    AssessmentDomain,
    Case,
    Connection,
    Contact,
    PlanGoal,
    PlanStep,
    SupportPlan,
    UnmetNeed,
)
from referrals import codes as referral_codes
from socialrx.core.models import OrganisationType, Role
from tests.directory.factories import ServiceFactory
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.referrals.factories import ReferralFactory


class CaseFactory(DjangoModelFactory[Case]):
    """An open case awaiting first contact, on an assigned referral of the same team.

    Pass ``link_worker`` (a user with the role in ``team``) and ``team`` together; left
    out, a new team and worker are made."""

    class Meta:
        model = Case

    team = factory.SubFactory(OrganisationFactory, org_type=OrganisationType.LINK_WORKER_TEAM)
    link_worker = factory.LazyAttribute(
        lambda o: (
            MembershipFactory(role=Role.LINK_WORKER, organisation=o.team, user=UserFactory()).user
        )
    )
    referral = factory.SubFactory(
        ReferralFactory,
        status=referral_codes.Status.ASSIGNED,
        # A self-referral unless a referrer is given (a professional referral needs one).
        source=factory.LazyAttribute(
            lambda r: (
                referral_codes.ReferralSource.GP
                if r.referrer
                else referral_codes.ReferralSource.SELF
            )
        ),
        assigned_team=factory.SelfAttribute("..team"),
        assigned_link_worker=factory.SelfAttribute("..link_worker"),
    )
    first_contact_due_on = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=7)
    )


class ContactFactory(DjangoModelFactory[Contact]):
    class Meta:
        model = Contact

    case = factory.SubFactory(CaseFactory)
    occurred_at = factory.LazyFunction(timezone.now)
    mode = codes.ContactMode.PHONE
    successful = False
    recorded_by = factory.SelfAttribute("case.link_worker")


class AssessmentFactory(DjangoModelFactory[Assessment]):
    class Meta:
        model = Assessment

    case = factory.SubFactory(CaseFactory)
    assessed_on = factory.LazyFunction(timezone.localdate)
    assessed_by = factory.SelfAttribute("case.link_worker")
    what_matters = "Seeing my grandchildren and getting out of the house."
    goals = "Join a walking group."


class AssessmentDomainFactory(DjangoModelFactory[AssessmentDomain]):
    class Meta:
        model = AssessmentDomain

    assessment = factory.SubFactory(AssessmentFactory)
    domain = codes.LifeDomain.SOCIAL_CONNECTION
    need_level = codes.NeedLevel.HIGH
    strengths = "I like talking to people once I get going."


class SupportPlanFactory(DjangoModelFactory[SupportPlan]):
    class Meta:
        model = SupportPlan

    case = factory.SubFactory(CaseFactory)
    agreed_on = factory.LazyFunction(timezone.localdate)
    created_by = factory.SelfAttribute("case.link_worker")


class PlanGoalFactory(DjangoModelFactory[PlanGoal]):
    class Meta:
        model = PlanGoal

    plan = factory.SubFactory(SupportPlanFactory)
    description = "Go for a walk with others once a week."
    domain = codes.LifeDomain.PHYSICAL_HEALTH
    review_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=28))


class PlanStepFactory(DjangoModelFactory[PlanStep]):
    class Meta:
        model = PlanStep

    goal = factory.SubFactory(PlanGoalFactory)
    description = "Ring the walking group organiser."
    owner = codes.StepOwner.PERSON


class ConnectionFactory(DjangoModelFactory[Connection]):
    class Meta:
        model = Connection

    case = factory.SubFactory(CaseFactory)
    service = factory.SubFactory(ServiceFactory)
    status = codes.ConnectionStatus.SUGGESTED
    created_by = factory.SelfAttribute("case.link_worker")


class UnmetNeedFactory(DjangoModelFactory[UnmetNeed]):
    class Meta:
        model = UnmetNeed

    case = factory.SubFactory(CaseFactory)
    domain = codes.LifeDomain.HOUSING
    description = "A housing advice drop-in within a bus ride."
    postcode_district = "NN1"
    recorded_by = factory.SelfAttribute("case.link_worker")

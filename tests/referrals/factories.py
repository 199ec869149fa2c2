"""Factories for referrals. NHS numbers come from the synthetic 999 range only."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from referrals import codes
from referrals.models import Person, Referral, ReferralReason, TriageRoute
from socialrx.core.models import OrganisationType
from tests.factories import OrganisationFactory

# Valid Modulus 11 numbers in the 999 test range.
SYNTHETIC_NHS_NUMBERS = ["9990000018", "9990000026", "9990000034", "9990000042", "9990000050"]


class PersonFactory(DjangoModelFactory[Person]):
    class Meta:
        model = Person

    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = datetime.date(1950, 5, 17)
    postcode = "NN1 1AA"


class ReferralFactory(DjangoModelFactory[Referral]):
    class Meta:
        model = Referral
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    source = codes.ReferralSource.GP
    referrer = None
    triage_service = factory.SubFactory(
        OrganisationFactory, org_type=OrganisationType.LINK_WORKER_SERVICE
    )
    what_matters = "Getting out of the house and meeting people."
    consent_to_referral = True
    consent_to_share = True
    consent_recorded_on = factory.LazyFunction(timezone.localdate)
    consent_recorded_by = "Test recorder"

    @factory.lazy_attribute
    def referring_organisation(self):
        if self.referrer is None:
            return None
        return self.referrer.organisations_with_role("referrer")[0]

    @factory.post_generation
    def reason_list(obj: Referral, create: bool, extracted, **kwargs) -> None:  # noqa: N805
        if create:
            for reason in extracted or [codes.Reason.LONELINESS]:
                ReferralReason.objects.create(referral=obj, reason=reason)


class TriageRouteFactory(DjangoModelFactory[TriageRoute]):
    class Meta:
        model = TriageRoute

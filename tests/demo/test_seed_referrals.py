import pytest
from django.core.management import call_command

from referrals import codes
from referrals.models import Referral, ReferralStatusEvent


@pytest.mark.django_db
def test_seed_demo_adds_referrals_in_every_status_and_source_once(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    events = ReferralStatusEvent.objects.count()
    call_command("seed_demo")  # idempotent: nothing new the second time

    assert Referral.objects.count() >= 60
    assert ReferralStatusEvent.objects.count() == events
    assert set(Referral.objects.values_list("status", flat=True)) == set(codes.Status.values) - {
        codes.Status.TRIAGED  # accept-and-assign is one step in triage
    }
    assert set(Referral.objects.values_list("source", flat=True)) >= {"gp", "self", "vcse"}
    outcomes = set(Referral.objects.values_list("closure_outcome", flat=True)) - {""}
    assert outcomes == set(codes.ClosureOutcome.values)
    assert all(
        p.startswith("999") for p in Referral.objects.values_list("person__nhs_number", flat=True)
    )

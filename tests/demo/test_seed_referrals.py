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


@pytest.mark.django_db
def test_the_demo_has_two_triage_services_passing_referrals(settings):
    from demo.seeds import seed_all
    from referrals import codes as referral_codes
    from referrals.models import Referral, ReferralStatusEvent
    from socialrx.core.models import Organisation

    settings.DEBUG = True
    seed_all()
    pcn_service = Organisation.objects.get(name="Northshire Central PCN social prescribing")
    passed = Referral.objects.filter(triage_service=pcn_service)
    assert passed.count() == 2
    assert (
        ReferralStatusEvent.objects.filter(
            referral__in=passed, kind=referral_codes.EventKind.REDIRECTED
        ).count()
        == 2
    )

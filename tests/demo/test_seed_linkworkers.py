import pytest
from django.core.management import call_command

from demo.seeds.core import DEMO_DOMAIN
from linkworkers.models import Case
from socialrx.core.models import User

pytestmark = pytest.mark.django_db


def test_demo_gives_the_link_worker_worked_cases_and_leaves_referrals_to_open():
    call_command("seed_demo", "--force", verbosity=0)
    call_command("seed_demo", "--force", verbosity=0)  # idempotent

    worker = User.objects.get(email=f"linkworker@{DEMO_DOMAIN}")
    cases = Case.objects.filter(link_worker=worker)
    assert cases.count() == 3
    assert cases.filter(status="active", assessments__isnull=False, plan__isnull=False).exists()
    assert cases.filter(status="awaiting_contact").exists()


def test_demo_shows_a_service_full_this_week_and_one_with_places_taken():
    from demo.seeds.directory import demo_service_id
    from directory.capacity import week_capacity
    from directory.models import Service

    call_command("seed_demo", "--force", verbosity=0)

    walks = Service.objects.get(id=demo_service_id("Health walks in Castle Park"))
    cafe = Service.objects.get(id=demo_service_id("Friday friendship café"))
    assert week_capacity(walks).text == "Full this week (2 of 2 places taken)"
    assert week_capacity(cafe).text == "2 of 3 places left this week"
    assert not Service.objects.accepting_referrals().filter(pk=walks.pk).exists()

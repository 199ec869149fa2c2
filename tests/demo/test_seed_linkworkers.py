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

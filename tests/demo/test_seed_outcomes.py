import pytest

from demo.seeds.core import seed_core
from demo.seeds.outcomes import seed_outcomes
from outcomes.models import MeasureLicence, OutcomeTariff, PracticePopulation

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent():
    seed_core()
    seed_outcomes()
    counts = (PracticePopulation.objects.count(), OutcomeTariff.objects.count())
    seed_outcomes()
    assert (PracticePopulation.objects.count(), OutcomeTariff.objects.count()) == counts
    assert MeasureLicence.objects.exists()
    assert counts[0] > 0


def test_reports_workspace_for_commissioners(client, commissioner):
    client.force_login(commissioner)
    assert b"/outcomes/reports/" in client.get("/").content

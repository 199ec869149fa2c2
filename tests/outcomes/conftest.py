import pytest

from linkworkers.models import Case
from outcomes import codes
from outcomes.models import Measure, MeasureLicence
from tests.linkworkers.factories import CaseFactory


@pytest.fixture(autouse=True)
def _outcomes_urls(settings):  # noqa: PT004
    settings.ROOT_URLCONF = "tests.outcomes.urls"


@pytest.fixture
def case(link_worker, link_worker_team) -> Case:
    return CaseFactory(team=link_worker_team, link_worker=link_worker)


@pytest.fixture
def swemwbs_licence(link_worker_service) -> MeasureLicence:
    return MeasureLicence.objects.create(
        organisation=link_worker_service,
        measure=Measure.objects.get(code=codes.SWEMWBS),
        licence_reference="WARWICK-TEST-001",
    )

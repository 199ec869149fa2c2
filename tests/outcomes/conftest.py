import datetime

import pytest

from linkworkers.models import Case
from outcomes import codes
from outcomes.models import Measure, MeasureLicence
from outcomes.reports.base import ReportFilters
from socialrx.core.models import Organisation
from tests.linkworkers.factories import CaseFactory
from tests.outcomes.world import World, build_world, ensure_builtin_measures


@pytest.fixture(autouse=True)
def _builtin_measures(db):  # noqa: PT004
    """Migration 0002 loads them, but a transactional test elsewhere flushes the tables."""
    ensure_builtin_measures()


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


START = datetime.date(2025, 1, 6)
RANGE = (datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))


@pytest.fixture
def area(icb, pcn, practice, link_worker_service):
    """The test world's PCN and service sit under the commissioner's ICB."""
    Organisation.objects.filter(pk__in=[pcn.pk, link_worker_service.pk]).update(parent=icb)
    return icb


@pytest.fixture
def make_world(area, practice, link_worker_service, link_worker_team, link_worker):
    def make(people: int, start: datetime.date = START) -> World:
        return build_world(
            people=people,
            practice=practice,
            service=link_worker_service,
            team=link_worker_team,
            link_worker=link_worker,
            start=start,
        )

    return make


@pytest.fixture
def filters() -> ReportFilters:
    return ReportFilters(start=RANGE[0], end=RANGE[1])

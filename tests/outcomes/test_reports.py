"""Reports computed in the database match totals computed independently here, pass
through disclosure control, and stay within the user's area."""

import math
import statistics
from decimal import Decimal
from typing import Any, ClassVar

import pytest

from outcomes.disclosure import disclose
from outcomes.models import OutcomeTariff, PopulationDimension, PracticePopulation, TariffOutcome
from outcomes.permissions import report_scope_for
from outcomes.reports import REPORTS, activity, build_disclosed, payments, reach, wellbeing
from outcomes.reports.query import t_critical
from outcomes.scoring import swemwbs_metric
from referrals.models import Referral
from socialrx.db_routers import REPLICA, ReportReplicaRouter
from tests.factories import OrganisationFactory, user_with_role
from tests.outcomes.conftest import RANGE

pytestmark = pytest.mark.django_db


def _rows(report, key):
    return next(t for t in report.tables if t.key == key).rows


def test_activity_totals_match_independent_counts(make_world, commissioner, filters):
    world = make_world(30)
    report = activity.build(scope=report_scope_for(commissioner), filters=filters)
    by_period = _rows(report, "referrals_by_period")
    assert sum(r["n"] for r in by_period) == len(world.referrals) == 30
    assert [r["period"] for r in by_period] == ["Jan to Mar 2025"]
    waits = _rows(report, "waits")[0]
    days = sorted(world.triage_days)
    assert waits["triage_n"] == 30
    assert waits["triage_median"] == days[math.ceil(0.5 * 30) - 1]
    assert waits["triage_p90"] == days[math.ceil(0.9 * 30) - 1]
    triage = {r["label"]: r["n"] for r in _rows(report, "triage")}
    assert triage == {"Accepted": 30, "Declined": 0, "Awaiting triage": 0}
    shown = report.disclosed()
    table = next(t for t in shown.tables if t.key == "referrals_by_period")
    assert table.rows[0][2] == disclose(30) == 30


def test_wellbeing_change_matches_an_independent_calculation(make_world, commissioner, filters):
    world = make_world(30)
    row = next(
        r
        for r in _rows(wellbeing.build(scope=report_scope_for(commissioner), filters=filters),
                       "wellbeing_change")
        if r["scale"].startswith("SWEMWBS")
    )  # fmt: skip
    changes = [float(swemwbs_metric(a) - swemwbs_metric(b)) for b, a in world.swemwbs]
    n = len(changes)
    mean = statistics.mean(changes)
    half = t_critical(n - 1) * statistics.stdev(changes) / math.sqrt(n)
    assert row["n"] == n == 15
    assert float(row["change"]) == pytest.approx(mean, abs=1e-3)
    assert float(row["low"]) == pytest.approx(mean - half, abs=1e-3)
    assert float(row["high"]) == pytest.approx(mean + half, abs=1e-3)
    assert row["improved"] == sum(c >= 3 for c in changes)


def test_meaningful_change_threshold_is_a_setting_stated_on_the_report(
    make_world, commissioner, filters, settings
):
    make_world(10)
    settings.OUTCOMES_SWEMWBS_MEANINGFUL_CHANGE = 5
    report = wellbeing.build(scope=report_scope_for(commissioner), filters=filters).disclosed()
    assert any("a rise of 5 or more metric points" in note for note in report.notes)
    assert any("© NHS Health Scotland" in note for note in report.notes)


def test_ucla_improvement_is_a_fall(make_world, commissioner, filters):
    world = make_world(30)
    row = _rows(wellbeing.build(scope=report_scope_for(commissioner), filters=filters),
                "wellbeing_change")[-1]  # fmt: skip
    assert row["improved"] == sum(b - a >= 1 for b, a in world.ucla)


def test_reach_rates_use_list_sizes_and_rounded_counts(make_world, commissioner, filters, practice):
    make_world(23)
    PracticePopulation.objects.create(
        practice=practice, dimension=PopulationDimension.ALL, people=8000, as_of=RANGE[0]
    )
    report = reach.build(scope=report_scope_for(commissioner), filters=filters).disclosed()
    table = next(t for t in report.tables if t.key == "per_practice")
    assert table.rows == [["Test Surgery", "Test Central PCN", 8000, 25, Decimal("3.1")]]


def test_demand_counts_connections_and_full_services(make_world, commissioner, filters):
    world = make_world(30)
    report = REPORTS["demand"].build(scope=report_scope_for(commissioner), filters=filters)
    rows = _rows(report, "connections")
    assert sum(r["n"] for r in rows) == world.connections
    assert sum(r["full"] for r in rows) == world.full
    assert sum(r["n"] for r in _rows(report, "unmet_by_domain")) == world.needs


def test_payments_apply_the_cap_and_price(make_world, commissioner, icb, filters):
    world = make_world(30)
    OutcomeTariff.objects.create(
        commissioner=icb, name="Engagement", outcome=TariffOutcome.SWEMWBS_IMPROVED,
        price=Decimal("150.00"), cap=10, valid_from=RANGE[0],
    )  # fmt: skip
    report = payments.build(scope=report_scope_for(commissioner), filters=filters)
    row = _rows(report, "payments")[0]
    improved = sum(float(swemwbs_metric(a) - swemwbs_metric(b)) >= 3 for b, a in world.swemwbs)
    assert row["n"] == improved
    assert row["payable"] == min(improved, 10)
    shown = report.disclosed().tables[0].rows[0]
    count = disclose(min(improved, 10))
    assert shown[-1] == (count if count == "*" else Decimal(count) * Decimal("150.00"))


def test_another_area_sees_none_of_it(make_world, filters):
    make_world(12)
    outsider = user_with_role("commissioner", OrganisationFactory(org_type="icb"))
    report = activity.build(scope=report_scope_for(outsider), filters=filters)
    assert _rows(report, "referrals_by_period") == []


def test_service_manager_sees_their_service(make_world, service_manager, filters):
    make_world(12)
    report = activity.build(scope=report_scope_for(service_manager), filters=filters)
    assert sum(r["n"] for r in _rows(report, "referrals_by_period")) == 12


@pytest.mark.parametrize("key", list(REPORTS))
@pytest.mark.parametrize("people", [1, 3, 7, 9])
def test_no_count_from_1_to_7_leaks_from_any_report(make_world, commissioner, filters, key, people):
    make_world(people)
    report = REPORTS[key].build(scope=report_scope_for(commissioner), filters=filters)
    for table in report.disclosed().tables:
        for row in table.rows:
            for kind, value in zip(table.kinds, row, strict=True):
                if kind in ("count", "stat", "percent", "rate", "amount") and people < 8:
                    assert value in (0, "*", None) or kind != "count"
                if kind == "count":
                    assert value not in range(1, 8)


class RecordingRouter:
    """Asks the real replica router where each read would go and records the answer,
    then lets the test database serve it: the test has no second database to route to."""

    decisions: ClassVar[list[str | None]] = []

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        self.decisions.append(ReportReplicaRouter().db_for_read(model, **hints))
        return None


# The router reads settings.DATABASES to learn whether a replica exists; no connection
# to it is made, so overriding the setting is safe here.
@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
@pytest.mark.parametrize("key", list(REPORTS))
def test_every_report_reads_from_the_replica_when_there_is_one(
    make_world, commissioner, filters, settings, key
):
    # Given a read replica configured (the router's view of it) and some data
    settings.DATABASES = {
        **settings.DATABASES,
        REPLICA: {"ENGINE": "django.db.backends.postgresql"},
    }
    settings.DATABASE_ROUTERS = [f"{__name__}.RecordingRouter"]
    make_world(4)
    scope = report_scope_for(commissioner)
    RecordingRouter.decisions.clear()

    # When a report is built as views, downloads and tasks build it
    build_disclosed(key, scope=scope, filters=filters)

    # Then every read went to the replica, and reads after it go to the primary again
    assert RecordingRouter.decisions
    assert set(RecordingRouter.decisions) == {REPLICA}
    RecordingRouter.decisions.clear()
    Referral.objects.exists()
    assert set(RecordingRouter.decisions) == {None}

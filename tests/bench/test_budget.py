"""make bench-budget's pure parts: reading callgrind's dumps and the 3% rule (ADR 0027),
and the signed-in yardstick it measures. The counting itself needs valgrind and
PostgreSQL: it is the "bench-budget" phase of .ci/run."""

import pytest
from django.urls import reverse

from bench.budget.budgets import (
    BUDGETS,
    FIXED_COST,
    Budget,
    callgrind_total,
    dumps_in_order,
    judge,
    m,
)

# The head of a dump as valgrind 3.19 writes it (--dump-before), cut short.
DUMP = """# callgrind format
version: 1
creator: callgrind-3.19.0
pid: 4242
cmd:  /work/.venv/bin/python -m bench.budget.measure plan.json
part: 3

desc: I1 cache:
desc: Trigger: --dump-before=getsid

positions: line
events: Ir
summary: 61234567

fl=(1) ???
fn=(1) getsid
0 12
totals: 61234570
"""


def test_a_dump_total_is_its_totals_line():
    assert callgrind_total(DUMP) == 61_234_570


def test_an_older_dump_with_only_a_summary_line_is_read():
    assert callgrind_total(DUMP.replace("totals: 61234570\n", "")) == 61_234_567


def test_a_file_that_is_not_a_dump_is_refused():
    with pytest.raises(ValueError, match="not a callgrind output"):
        callgrind_total("<html>oops</html>")


def test_dumps_are_taken_in_the_order_written_and_the_final_file_is_not_one(tmp_path):
    base = tmp_path / "callgrind.out"
    for name in ("callgrind.out", "callgrind.out.10", "callgrind.out.2", "callgrind.out.1"):
        (tmp_path / name).write_text(DUMP)

    assert [p.name for p in dumps_in_order(base)] == [
        "callgrind.out.1",
        "callgrind.out.2",
        "callgrind.out.10",
    ]


def test_a_page_within_3_percent_of_its_budget_passes_and_beyond_fails():
    budget = Budget("referral detail", m(20))

    assert judge(budget, m(20.6))["ok"] is True
    over = judge(budget, m(20.61))
    assert over["ok"] is False
    assert over["over_budget_pct"] == 3.05


def test_a_page_over_target_is_held_at_its_recorded_figure_with_the_target_kept():
    budget = Budget("caseload", m(45), current=m(60))

    row = judge(budget, m(61))
    assert row["budget"] == m(60)
    assert row["target"] == m(45)
    assert row["over_target"] is True
    assert row["ok"] is True
    assert judge(budget, m(62))["ok"] is False


def test_a_page_without_target_or_recorded_figure_is_recorded_not_gated():
    row = judge(Budget("/oruk/services", 0), m(30))

    assert row["ok"] is None
    assert row["budget"] is None


def test_the_issue_s_budgets_are_the_targets():
    assert BUDGETS[FIXED_COST].target == m(3.5)
    assert BUDGETS["referral detail"].target == m(20)
    assert BUDGETS["case detail"].target == m(32)
    assert BUDGETS["triage queue"].target == m(40)
    assert BUDGETS["caseload"].target == m(45)
    assert {BUDGETS[name].target for name in BUDGETS if name.startswith("directory search")} == {
        m(55)
    }


@pytest.mark.django_db
def test_the_signed_in_yardstick_answers_a_signed_in_user_only(settings, client, referrer):
    settings.ROOT_URLCONF = "bench.urls"

    assert client.get("/bench/signed-in/").status_code == 302
    client.force_login(referrer)
    response = client.get("/bench/signed-in/")
    assert response.status_code == 200
    assert response.content == b"ok 1"


@pytest.mark.django_db
def test_the_fhir_post_comes_from_a_gp_system_with_a_token_from_the_token_endpoint(
    practice, link_worker_service, link_worker_team
):
    from bench.budget import pages
    from bench.endpoints import Endpoint
    from interop.models import SystemClient
    from referrals.models import Referral
    from tests.referrals.factories import TriageRouteFactory

    TriageRouteFactory(
        practice=practice, service=link_worker_service, default_team=link_worker_team
    )
    api_post = Endpoint(
        "POST /api/v1/referrals/",
        "/api/v1/referrals/",
        body={"person": {"registered_practice_ods_code": practice.ods_code}},
    )
    path = reverse("interop:fhir_service_requests")

    # Built twice, as a run does (the native pass and the callgrind child).
    pages.fhir_post(path, api_post)
    fhir = pages.fhir_post(path, api_post)
    pages.request(fhir, pages.client_for(fhir))
    pages.request(fhir, pages.client_for(fhir))

    # One GP system for the practice, reused with a fresh secret; its two referrals
    # stored as sent by its service user.
    system = SystemClient.objects.get(organisation=practice)
    assert fhir.method == "POST"
    assert fhir.token
    assert Referral.objects.filter(referrer=system.service_user).count() == 2

"""The benchmark's pieces that run without a server: the bare view's guard, the
summary of repeats, and the results table written into docs/performance.md."""

import pytest

from bench.endpoints import BARE, NOT_BUILT, Endpoint, summarise
from bench.report import END, START, render_markdown, update_performance_doc


@pytest.fixture
def bench_urls(settings):
    """The URLconf bench/settings.py selects."""
    settings.ROOT_URLCONF = "bench.urls"


def test_production_has_no_bare_view(client):
    assert client.get("/bench/bare/").status_code == 404


@pytest.mark.usefixtures("bench_urls", "db")
def test_the_bench_serves_the_bare_view_without_touching_the_database(
    client, django_assert_num_queries
):
    # none: no session, no user, no audit (the bench's baseline for a request)
    with django_assert_num_queries(0):
        response = client.get("/bench/bare/")

    assert response.status_code == 200
    assert response.content == b"ok"


def _load(rps, ratio, p95):
    one = {"p50_ms": p95 / 2, "p95_ms": p95, "p99_ms": p95 * 2}
    return {"rps": rps, "ratio": ratio, "one": one, "many": one}


def test_summary_takes_medians_and_judges_the_p95_target():
    endpoint = Endpoint("triage queue", "/referrals/triage/", target_p95_ms=25)
    endpoint.queries = 7

    result = summarise(endpoint, [_load(100, 0.10, 20), _load(300, 0.14, 30), _load(200, 0.13, 22)])

    assert result["rps"] == 200
    assert result["ratio_to_bare"] == 0.13
    assert result["p95_ms"] == 22
    assert result["met"] is True
    assert result["queries"] == 7


def test_a_low_ratio_to_the_bare_view_is_reported_not_judged():
    # Issue 17 retired the ratio targets: a page 40 times dearer than the bare view that
    # answers within its p95 target meets it, and one over its p95 misses it.
    fast = summarise(Endpoint("triage queue", "/t/", target_p95_ms=25), [_load(50, 0.025, 20)])
    slow = summarise(Endpoint("triage queue", "/t/", target_p95_ms=25), [_load(90, 0.5, 26)])

    assert (fast["ratio_to_bare"], fast["met"]) == (0.025, True)
    assert (slow["ratio_to_bare"], slow["met"]) == (0.5, False)


def test_an_endpoint_not_built_has_null_figures():
    result = summarise(Endpoint("full county CSV export", None, target_p95_ms=3000), [])

    assert result["status"] == NOT_BUILT
    assert result["rps"] is result["p95_ms"] is result["met"] is None
    assert result["target_p95_ms"] == 3000


def _report(endpoints):
    machine = {"cores": 2, "cpu": "test", "memory_gb": 24, "postgresql": "15",
               "python": "3.11", "django": "5.2", "load_average_at_start": [1, 1, 1]}  # fmt: skip
    method = {"server": "gunicorn", "load": "wrk", "repeats": 3}
    return {"machine": machine, "scale": "county", "seed": 42, "date": "today",
            "method": method, "endpoints": endpoints, "workers_scaling": []}  # fmt: skip


def test_the_table_shows_missed_targets_and_endpoints_not_built():
    missed = summarise(Endpoint("case detail", "/cases/1/", target_p95_ms=15), [_load(9, 0.1, 40)])
    bare = summarise(Endpoint(BARE, "/bench/bare/"), [_load(2000, 1, 2)])
    later = summarise(Endpoint("full county CSV export", None), [])

    table = render_markdown(_report([bare, missed, later]))

    assert "| case detail | — | 9.0 |" in table
    assert "**missed**" in table
    assert NOT_BUILT in table


def test_the_doc_is_rewritten_between_its_markers_only(tmp_path):
    doc = tmp_path / "performance.md"
    doc.write_text(f"# Performance\nbefore\n{START}\nold table\n{END}\nafter\n")
    bare = summarise(Endpoint(BARE, "/bench/bare/"), [_load(2000, 1, 2)])

    assert update_performance_doc(doc, _report([bare]))

    text = doc.read_text()
    assert "old table" not in text
    assert text.startswith("# Performance\nbefore\n")
    assert text.endswith(f"{END}\nafter\n")
    assert "bare Django view" in text

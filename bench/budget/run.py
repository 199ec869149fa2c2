"""``make bench-budget``: Python instructions per request against the budgets of issue 17
(ADR 0027, docs/performance.md "Instruction budgets").

Run through ``bench/budget/run.sh`` (production settings, PostgreSQL, Redis). Prepares
the bench-budget database (a small fixed fixture, ``generate_synthetic --scale budget``,
whose lists fill the same 25 rows the county bench's do), then for each page:

1. natively, a few warm requests, then the queries of one request and PostgreSQL's time
   (each query's round trip, summed: PostgreSQL is another process, which callgrind
   does not see);
2. under callgrind, in a child process, a few warm requests, then ``--requests`` counted
   ones: instructions per request = the dump's total / requests.

Writes ``bench/results/budgets.json`` and exits 1 when a page is more than 3% over its
budget.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from bench import run as bench_run  # django.setup(), bench settings
from bench.budget import budgets, pages

RESULTS = bench_run.RESULTS / "budgets.json"
HERE = Path(__file__).resolve().parent


def say(text: str) -> None:
    print(text, flush=True)  # noqa: T201  (a command-line tool)


def native(endpoint: Any, warm: int, requests: int) -> dict[str, Any]:
    """Queries per request (the last one: warm, steady state) and PostgreSQL's share of
    the wall time, the median over ``requests``."""
    client = pages.client_for(endpoint)
    for _ in range(warm):
        pages.request(endpoint, client)
    per_request: list[tuple[int, float]] = []
    for _ in range(requests):
        timings: list[float] = []
        with connection.execute_wrapper(functools.partial(_timed, timings)):
            pages.request(endpoint, client)
        per_request.append((len(timings), sum(timings) * 1000))
    return {
        "queries": per_request[-1][0],
        "postgres_ms": round(statistics.median(ms for _, ms in per_request), 2),
    }


def _timed(timings: list[float], execute: Callable[..., Any], *args: Any) -> Any:
    """Each query's round trip to PostgreSQL, from the Python side."""
    started = time.perf_counter()
    try:
        return execute(*args)
    finally:
        timings.append(time.perf_counter() - started)


def under_callgrind(warm: int, requests: int, scratch: Path, names: list[str]) -> dict[str, int]:
    control = scratch / "control.so"
    subprocess.run(
        ["cc", "-O2", "-shared", "-fPIC", "-o", str(control), str(HERE / "control.c")], check=True
    )
    plan = scratch / "plan.json"
    plan.write_text(
        json.dumps({"warm": warm, "requests": requests, "control": str(control), "names": names})
    )
    out = scratch / "callgrind.out"
    command = [
        "nice", "-n", "10", "valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
        "--instr-atstart=no", "--dump-instr=no",
        sys.executable, "-m", "bench.budget.measure", str(plan),
    ]  # fmt: skip
    # Hash randomisation changes dict layouts and so, a little, the counts.
    env = os.environ | {"PYTHONHASHSEED": "0"}
    log = scratch / "valgrind.log"
    with log.open("w") as stderr:
        done = subprocess.run(command, env=env, stderr=stderr, cwd=bench_run.ROOT, check=False)
    if done.returncode != 0:
        sys.stderr.write(log.read_text()[-4000:])
        raise SystemExit(f"the callgrind run failed ({done.returncode})")
    names = json.loads(plan.read_text())["pages"]
    dumps = budgets.dumps_in_order(out)
    if len(dumps) != len(names):
        raise SystemExit(f"{len(dumps)} callgrind dumps for {len(names)} pages")
    return {
        name: round(budgets.callgrind_total(dump.read_text()) / requests)
        for name, dump in zip(names, dumps, strict=True)
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--warm", type=int, default=2, help="requests before counting")
    parser.add_argument("--requests", type=int, default=3, help="counted, per page")
    parser.add_argument("--native-requests", type=int, default=20, help="for PostgreSQL's time")
    parser.add_argument(
        "--targets", action="store_true",
        help="gate on issue 17's targets, not the figures recorded for pages over them",
    )  # fmt: skip
    parser.add_argument(
        "--only", default="",
        help="comma-separated parts of page names: measure those pages only (a quick look "
        "while working; the results go to budgets-partial.json, not budgets.json)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if settings.DEBUG or connection.vendor != "postgresql" or not shutil.which("valgrind"):
        sys.exit("Run through bench/budget/run.sh: production settings, PostgreSQL, valgrind.")
    started = time.monotonic()
    options = bench_run.parse_args(["--scale", "budget", "--seed", "42"])
    generation = bench_run.prepare_database(options)
    say(f"data: {generation}")
    bench_run._manage("collectstatic", "--noinput", "-v0")
    endpoints = pages.build()
    wanted = [part.strip() for part in args.only.split(",") if part.strip()]
    if wanted:
        endpoints = [e for e in endpoints if any(part in e.name for part in wanted)]
    figures = {e.name: native(e, args.warm, args.native_requests) for e in endpoints}
    connection.close()
    with tempfile.TemporaryDirectory(prefix="bench-budget-") as scratch:
        counted = under_callgrind(
            args.warm, args.requests, Path(scratch), [e.name for e in endpoints]
        )
    rows = []
    for e in endpoints:
        budget = budgets.BUDGETS[e.name]
        if args.targets:
            budget = budgets.Budget(budget.page, budget.target)
        row = budgets.judge(budget, counted[e.name])
        rows.append(row | figures[e.name] | {"path": e.path, "method": e.method})
    skipped = [
        {"page": name, "reason": "not asked for" if wanted else "not on this branch"}
        for name in budgets.BUDGETS
        if name not in counted
    ]
    report = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "method": {
            "counter": "valgrind --tool=callgrind, instructions (Ir) of the Python process",
            "warm_requests": args.warm,
            "counted_requests": args.requests,
            "client": "django.test.Client in process, production settings, PostgreSQL",
            "tolerance_pct": budgets.TOLERANCE_PERCENT,
            "gate": "targets" if args.targets else "targets, or the figure recorded above one",
            "fixture": f"generate_synthetic --scale budget --seed {options.seed}",
        },
        "machine": {"load_average": [round(x, 2) for x in os.getloadavg()]},
        "minutes": round((time.monotonic() - started) / 60, 1),
        "pages": rows,
        "skipped": skipped,
    }
    bench_run.catalogue.cleanup()
    results = RESULTS.with_name("budgets-partial.json") if wanted else RESULTS
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(report, indent=2) + "\n")
    say(render(rows))
    failed = [r["page"] for r in rows if r["ok"] is False]
    if failed:
        sys.exit(f"over budget by more than 3%: {', '.join(failed)}")


def render(rows: list[dict[str, Any]]) -> str:
    def mil(n: int | None) -> str:
        return "—" if not n else f"{n / budgets.MILLION:.2f} M"

    lines = [
        "| Page | Instructions | Budget | Target | Queries | PostgreSQL (ms) | Verdict |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in rows:
        verdict = {None: "recorded", True: "ok", False: "**over**"}[r["ok"]]
        if r["ok"] and r["over_target"]:
            verdict = "held at current (over target)"
        lines.append(
            f"| {r['page']} | {mil(r['instructions'])} | {mil(r['budget'])} | "
            f"{mil(r['target'])} | {r['queries']} | {r['postgres_ms']} | {verdict} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()

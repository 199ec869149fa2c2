"""``make bench``: the side-by-side benchmark (docs/performance.md, docs/adr/0016).

Run through ``bench/run.sh``, which sets the production environment. In one run:
prepares the PostgreSQL database (created, migrated and filled with county-scale
synthetic data unless it already holds that seed), counts each endpoint's SQL queries
with the test client, then serves the app with gunicorn and loads each endpoint with
wrk at 1 and at 16 clients, next to the bare view, three times; then throughput with
1, 2 and 4 workers. Writes ``bench/results/latest.json`` and the table in
docs/performance.md. Traffic goes to 127.0.0.1 only, for a bounded time.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import endpoints as catalogue  # noqa: E402
from bench.report import render_markdown, update_performance_doc  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
LUA = ROOT / "bench" / "wrk" / "bench.lua"


def say(text: str) -> None:
    """Progress for whoever runs ``make bench`` (a command-line tool: print is right)."""
    print(text, flush=True)  # noqa: T201


@dataclass
class Options:
    scale: str
    seed: int
    repeats: int
    seconds_one: int
    seconds_many: int
    clients: int
    workers: int
    scaling: list[int]
    port: int
    only: list[str] = field(default_factory=list)
    results: str = "latest"
    lighthouse_runs: int = 3


def parse_args(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default=os.environ.get("BENCH_SCALE", "county"))
    parser.add_argument("--seed", type=int, default=int(os.environ.get("BENCH_SEED", "42")))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seconds-one", type=int, default=5, help="wrk run at 1 client")
    parser.add_argument("--seconds-many", type=int, default=8, help="wrk run at 16 clients")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3, help="as docker-compose's default")
    parser.add_argument("--scaling", default="1,2,4")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8765")))
    parser.add_argument("--only", default="", help="comma-separated endpoint names")
    parser.add_argument(
        "--results", default="latest",
        help="bench/results/NAME.json; only 'latest' rewrites docs/performance.md's table",
    )  # fmt: skip
    parser.add_argument(
        "--lighthouse-runs", type=int, default=3,
        help="Lighthouse runs per page, last (bench/lighthouse.py); 0 skips Lighthouse",
    )  # fmt: skip
    args = parser.parse_args(argv)
    return Options(
        args.scale, args.seed, args.repeats, args.seconds_one, args.seconds_many, args.clients,
        args.workers, [int(n) for n in args.scaling.split(",") if n],
        args.port, [n for n in args.only.split(",") if n], args.results, args.lighthouse_runs,
    )  # fmt: skip


# --- the database -----------------------------------------------------------------------


def prepare_database(options: Options) -> dict[str, Any]:
    """Migrate, then generate unless the database already holds this scale and seed
    (a database holding another is dropped and created again: it is the bench's own)."""
    from demo.management.commands.generate_synthetic import MARKER_EMAIL, marker_text

    name = settings.DATABASES["default"]["NAME"]
    _ensure_database(name, drop=False)
    _manage("migrate", "--noinput", "-v0")
    wanted = marker_text(options.scale, options.seed)
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name FROM core_user WHERE email = %s", [MARKER_EMAIL])
        row = cursor.fetchone()
    record = RESULTS.parent.parent / "var" / "bench" / f"generation-{name}.json"
    if row and row[0] == wanted and record.exists():
        return json.loads(record.read_text()) | {"reused": True}
    if row or _has_rows():
        connection.close()
        connection.close_pool()  # type: ignore[attr-defined]
        _ensure_database(name, drop=True)
        _manage("migrate", "--noinput", "-v0")
    started = time.monotonic()
    _manage("generate_synthetic", "--scale", options.scale, "--seed", str(options.seed), "--force")
    seconds = round(time.monotonic() - started, 1)
    # ru_maxrss of the children: only the generator has run as a child so far.
    peak_rss_mb = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    generation = {
        "scale": options.scale,
        "seed": options.seed,
        "seconds": seconds,
        "peak_rss_mb": peak_rss_mb,
        "vacuum_seconds": _vacuum(),
        "date": timezone.localdate().isoformat(),
    }
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps(generation))
    # The bench's own cache (run.sh) may hold figures about the data just replaced.
    cache.clear()
    return generation | {"reused": False}


def _vacuum() -> float:
    """VACUUM (ANALYZE) after the bulk load, as autovacuum would have done to a database
    in service: until then no page is marked all-visible, so no index-only scan is
    possible. Timed apart from generation (generate_synthetic itself only ANALYZEs)."""
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    return round(time.monotonic() - started, 1)


def _has_rows() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM referrals_referral)")
        return bool(cursor.fetchone()[0])


def _ensure_database(name: str, *, drop: bool) -> None:
    import psycopg

    db = settings.DATABASES["default"]
    params = {k: db[v] for k, v in (("host", "HOST"), ("port", "PORT"), ("user", "USER")) if db[v]}
    if db["PASSWORD"]:
        params["password"] = db["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        if drop:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')


def _manage(*args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, cwd=ROOT)


# --- queries per request ----------------------------------------------------------------


def count_queries(endpoint: catalogue.Endpoint) -> int:
    """The SQL queries one request makes, through the whole middleware stack."""
    client = (
        Client(raise_request_exception=True)
        if endpoint.user is None
        else catalogue.signed_in_client(endpoint.user)
    )
    with CaptureQueriesContext(connection) as queries:
        response = endpoint.test_client_request(client)
    if response.status_code not in (200, 201):
        raise RuntimeError(f"{endpoint.name}: {response.status_code} from the test client")
    return len(queries)


# --- serving and loading ----------------------------------------------------------------


@contextlib.contextmanager
def gunicorn(workers: int, port: int) -> Iterator[subprocess.Popen[bytes]]:
    """The production command line (Dockerfile), bound to 127.0.0.1 only."""
    command = [
        str(BIN / "gunicorn"), "socialrx.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--access-logfile", "/dev/null",
    ]  # fmt: skip
    log = ROOT / "var" / "bench" / "gunicorn.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as stderr:
        process = subprocess.Popen(command, cwd=ROOT, stderr=stderr)
    try:
        _wait_until_up(port, log)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(port: int, log: Path) -> None:
    # Three workers importing Django on a loaded 2-core machine once took over 30 s.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/bare/", timeout=2) as r:
                if r.status == 200:
                    return
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer within 120 s; its log: {log}")


def run_wrk(
    endpoint: catalogue.Endpoint, port: int, clients: int, seconds: int
) -> dict[str, float]:
    env = os.environ | endpoint.wrk_env()
    command = [
        "wrk", "-t1", f"-c{clients}", f"-d{seconds}s", "--timeout", "10s", "-s", str(LUA),
        *endpoint.wrk_headers(), f"http://127.0.0.1:{port}{endpoint.path}",
    ]  # fmt: skip
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_JSON "))
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    if raw["status_errors"] or raw["connect_errors"] or raw["timeouts"]:
        raise RuntimeError(f"{endpoint.name}: wrk saw errors {raw}")
    return {
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
    }


def run_one_client(endpoint: catalogue.Endpoint, port: int, seconds: int) -> dict[str, float]:
    """Latency at one client: requests one after another, each timed from connecting to
    the last byte. wrk's own percentiles at one connection are wrong when the server
    closes every connection (its p95 came out above the run's mean interval)."""
    timings: list[float] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline or len(timings) < 20:
        method, body, headers = endpoint.one_request(len(timings))
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request(method, endpoint.path or "", body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        timings.append((time.perf_counter() - started) * 1000)
        conn.close()
        if response.status not in (200, 201):
            raise RuntimeError(f"{endpoint.name}: {response.status} at one client")
    cuts = statistics.quantiles(timings, n=100, method="inclusive")
    return {
        "requests": len(timings),
        "rps": len(timings) / sum(timings) * 1000,
        "p50_ms": statistics.median(timings),
        "p95_ms": cuts[94],
        "p99_ms": cuts[98],
    }


def single_requests(endpoint: catalogue.Endpoint, port: int, count: int = 3) -> dict[str, Any]:
    """Reports and exports: a few requests one after another, the whole body read."""
    timings = []
    for _ in range(count):
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{endpoint.path}", headers=endpoint.http_headers()
        )
        started = time.monotonic()
        with urllib.request.urlopen(request, timeout=120) as response:
            while response.read(1 << 16):
                pass
        timings.append((time.monotonic() - started) * 1000)
    return {"p50_ms": statistics.median(timings), "p95_ms": max(timings), "rps": None}


def worker_peak_rss_mb(master: subprocess.Popen[bytes]) -> float | None:
    """The largest peak resident memory (VmHWM) among gunicorn's workers."""
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children")
    peaks = []
    for pid in children.read_text().split() if children.exists() else []:
        status = Path(f"/proc/{pid}/status").read_text()
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        if match:
            peaks.append(int(match[1]) / 1024)
    return round(max(peaks), 1) if peaks else None


# --- the run ----------------------------------------------------------------------------


def measure(options: Options, endpoints: list[catalogue.Endpoint]) -> list[dict[str, Any]]:
    bare = next(e for e in endpoints if e.name == catalogue.BARE)
    runs: dict[str, list[dict[str, Any]]] = {e.name: [] for e in endpoints}
    live = [e for e in endpoints if e.path is not None]
    with gunicorn(options.workers, options.port) as server:
        for e in live:  # warm the workers: templates, connection pools, caches
            run_wrk(e, options.port, options.clients, 1) if e.kind == "load" else None
        for repeat in range(options.repeats):
            say(f"repeat {repeat + 1}/{options.repeats}")
            for e in live:
                if e.kind == "load":
                    runs[e.name].append(_load_run(e, bare, options, runs[bare.name]))
                else:
                    runs[e.name].append(single_requests(e, options.port))
                    runs[e.name][-1]["worker_peak_rss_mb"] = worker_peak_rss_mb(server)
    return [catalogue.summarise(e, runs[e.name]) for e in endpoints]


def _load_run(
    e: catalogue.Endpoint, bare: catalogue.Endpoint, options: Options, bare_runs: list[Any]
) -> dict[str, Any]:
    one = run_one_client(e, options.port, options.seconds_one)
    many = run_wrk(e, options.port, options.clients, options.seconds_many)
    # Little's law: 16 clients always busy, so the mean latency is clients / throughput;
    # a check on wrk's percentiles at 16 clients.
    many["little_mean_ms"] = options.clients / many["rps"] * 1000
    result = {"one": one, "many": many, "rps": many["rps"]}
    if e is not bare:
        result["ratio"] = many["rps"] / bare_runs[-1]["rps"]
    say(f"  {e.name:<34} {many['rps']:8.1f} rps  p95(1) {one['p95_ms']:7.1f} ms")
    return result


def measure_scaling(options: Options, endpoints: list[catalogue.Endpoint]) -> list[dict]:
    chosen = [e for e in endpoints if e.name in catalogue.SCALING and e.path is not None]
    results = []
    for workers in options.scaling:
        rps: dict[str, list[float]] = {e.name: [] for e in chosen}
        with gunicorn(workers, options.port):
            for e in chosen:
                run_wrk(e, options.port, options.clients, 1)
            for _ in range(options.repeats):
                for e in chosen:
                    rps[e.name].append(
                        run_wrk(e, options.port, options.clients, options.seconds_many)["rps"]
                    )
        medians = {name: round(statistics.median(values), 1) for name, values in rps.items()}
        say(f"  {workers} worker(s): {medians}")
        results.append({"workers": workers, "rps": medians})
    return results


def machine() -> dict[str, Any]:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    memory_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])  # type: ignore[index]
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": postgres,
        "wrk": wrk.split(" [")[0].strip(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv: list[str] | None = None) -> None:
    options = parse_args(argv)
    if settings.DEBUG or connection.vendor != "postgresql" or shutil.which("wrk") is None:
        sys.exit("Run through bench/run.sh: production settings, PostgreSQL and wrk.")
    generation = prepare_database(options)
    about = machine()
    say(f"data: {generation}")
    _manage("collectstatic", "--noinput", "-v0")
    endpoints = catalogue.build(only=options.only)
    for e in endpoints:
        if e.path is not None:
            e.queries = count_queries(e)
    started = time.monotonic()
    results = measure(options, endpoints)
    scaling = measure_scaling(options, endpoints) if options.scaling else []
    about["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    report = {
        "machine": about,
        "scale": options.scale,
        "seed": options.seed,
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "method": {
            "server": f"gunicorn, {options.workers} sync workers, production settings",
            "load": f"{options.seconds_one} s at 1 client (sequential Python client), "
            f"{options.seconds_many} s at {options.clients} clients (wrk -t1)",
            "repeats": options.repeats,
            "statistic": "median of the repeats",
            "minutes": round((time.monotonic() - started) / 60, 1),
        },
        "generation": generation,
        "endpoints": results,
        "workers_scaling": scaling,
    }
    catalogue.cleanup()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{options.results}.json").write_text(json.dumps(report, indent=2) + "\n")
    if options.results == "latest":
        update_performance_doc(ROOT / "docs" / "performance.md", report)
    say(render_markdown(report))
    if options.lighthouse_runs and options.results == "latest":
        run_lighthouse(options)


def run_lighthouse(options: Options) -> None:
    """Lighthouse on the main pages, once the other figures are written (ADR 0029)."""
    from bench import lighthouse  # imports this module: not at the top

    say("Lighthouse (mobile) on the main pages")
    with gunicorn(options.workers, options.port):
        lighthouse.write(lighthouse.measure(options.port, options.lighthouse_runs, [], None))


if __name__ == "__main__":
    main()

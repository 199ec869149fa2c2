"""Light pages: Lighthouse, mobile profile, on the main pages (issue 17, docs/adr/0029).

``make lighthouse`` runs it alone (bench/lighthouse.sh: production settings, a small
synthetic database of its own); ``make bench`` runs it last, on the county data. Each page
is loaded by Lighthouse (the npm package pinned in bench/lighthouse/package.json, with
Debian's chromium, headless) against gunicorn with production settings: WhiteNoise's
compressed, hashed static files, as served in production. Signed-in pages get a real
session's cookie in the browser's cookie jar (bench/lighthouse/run.mjs). Every load
starts with an empty cache: a first visit. Writes ``bench/results/lighthouse.json`` and
the table under "Light pages (Lighthouse)" in docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench import run as bench  # noqa: E402  (first: it sets Django up)
from bench.endpoints import (  # noqa: E402  (the users and paths make bench uses)
    _busy_link_worker_and_case,
    _path,
    _period,
    _user,
    signed_in_client,
)
from bench.report import replace_block  # noqa: E402
from referrals.models import Referral  # noqa: E402
from socialrx.core.models import User  # noqa: E402

ROOT = bench.ROOT
RUNNER = ROOT / "bench" / "lighthouse" / "run.mjs"
LIGHTHOUSE = ROOT / "bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
DOC = ROOT / "docs" / "performance.md"
START = "<!-- lighthouse:results:start (written by make lighthouse; edit bench/lighthouse.py) -->"
END = "<!-- lighthouse:results:end -->"

# Issue 17's targets for every page, on a first visit.
TARGETS = {"lcp_ms": 1500, "cls": 0.05, "bytes": 150_000, "console_errors": 0}


@dataclass
class Page:
    name: str
    path: str | None
    user: User | None = None


def pages() -> list[Page]:
    """The main pages, each as the user who works on it (the bench's synthetic users)."""
    worker, case = _busy_link_worker_and_case()
    referrer = _user("referrer-1")
    referral = Referral.objects.filter(referrer=referrer).order_by("-created_at").first()
    assert referral is not None, "referrer-1 has made no referral"
    found = [
        Page("sign-in", reverse("login")),
        Page("home (signed in)", reverse("home"), worker),
        Page("referral detail", _path("referrals:detail", referral.pk), referrer),
        Page("case detail", _path("linkworkers:case", case), worker),
        Page("triage queue", _path("referrals:triage"), _user("triage-lead-1")),
        Page("caseload", _path("linkworkers:caseload"), worker),
        Page("directory search", _path("directory:search", query="q=walking")),
        Page("commissioner report", _path("outcomes:report", "activity", query=_period(91)),
             _user("commissioner-1")),
    ]  # fmt: skip
    return [p for p in found if p.path]  # a page not built yet is left out


def session_cookie(user: User | None) -> dict[str, str] | None:
    """A real signed-in session's cookie for ``user`` (both factors), or None."""
    if user is None:
        return None
    value = signed_in_client(user).cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value}


def run_lighthouse(
    url: str, cookie: dict[str, str] | None, keep: Path | None = None
) -> dict[str, Any]:
    """One first visit by Lighthouse (bench/lighthouse/run.mjs: mobile form factor,
    simulated slow 4G, 4x CPU slowdown, Lighthouse's defaults); the report's JSON."""
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as folder:
        out = Path(folder) / "report.json"
        command = ["node", str(RUNNER), url, str(out)]
        if cookie is not None:
            (Path(folder) / "cookie.json").write_text(json.dumps(cookie))
            command.append(str(Path(folder) / "cookie.json"))
        subprocess.run(command, check=True, cwd=ROOT, env=os.environ | {"CHROME_PATH": CHROMIUM})
        if keep is not None:
            keep.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(out, keep)
        return json.loads(out.read_text())


def figures(report: dict[str, Any]) -> dict[str, Any]:
    """What issue 17 sets targets for, and what explains a miss."""
    audits = report["audits"]
    if report.get("runtimeError"):
        raise RuntimeError(f"{report['finalDisplayedUrl']}: {report['runtimeError']}")
    blocking = audits.get("render-blocking-resources", {}).get("details", {}).get("items", [])
    errors = audits["errors-in-console"].get("details", {}).get("items", [])
    return {
        "final_url": report["finalDisplayedUrl"],
        "performance_score": round(report["categories"]["performance"]["score"] * 100),
        "fcp_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "bytes": round(audits["total-byte-weight"]["numericValue"]),
        "requests": len(audits["network-requests"]["details"]["items"]),
        "render_blocking": [item["url"] for item in blocking],
        "console_errors": [e.get("description", "") for e in errors],
    }


# Lighthouse's own trace recording sometimes fails on a busy machine (NO_NAVSTART, seen
# at load 9): that run says nothing about the page, so it is run again, a few times.
TRACE_ATTEMPTS = 3


def _one_run(url: str, user: User | None, keep: Path | None) -> dict[str, Any]:
    for attempt in range(1, TRACE_ATTEMPTS + 1):
        report = run_lighthouse(url, session_cookie(user), keep)
        error = report.get("runtimeError")
        if not error or attempt == TRACE_ATTEMPTS:
            return figures(report)
        bench.say(f"{url}: Lighthouse failed to record ({error.get('code')}); running it again")
    raise AssertionError("unreachable")


def measure_page(page: Page, port: int, runs: int, keep: Path | None) -> dict[str, Any]:
    assert page.path is not None
    url = f"http://127.0.0.1:{port}{page.path}"
    slug = "-".join(page.name.replace("(", "").replace(")", "").split())
    each = [
        _one_run(url, page.user, keep and keep / f"{slug}-{n}.json") for n in range(1, runs + 1)
    ]
    if not each[0]["final_url"].endswith(page.path):
        raise RuntimeError(f"{page.name}: redirected to {each[0]['final_url']}")
    # The median run by LCP: its figures belong together.
    chosen = sorted(each, key=lambda f: f["lcp_ms"])[len(each) // 2]
    met = {
        "lcp_ms": chosen["lcp_ms"] <= TARGETS["lcp_ms"],
        "cls": max(f["cls"] for f in each) <= TARGETS["cls"],
        "bytes": chosen["bytes"] <= TARGETS["bytes"],
        "console_errors": not any(f["console_errors"] for f in each),
    }
    return {
        "page": page.name,
        "path": page.path,
        "signed_in": page.user is not None,
        **chosen,
        "lcp_ms_runs": [f["lcp_ms"] for f in each],
        "cls_max": max(f["cls"] for f in each),
        "met": met,
    }


def measure(port: int, runs: int, only: list[str], keep: Path | None) -> dict[str, Any]:
    """Lighthouse on every page against gunicorn already serving on ``port``."""
    load = [round(x, 2) for x in os.getloadavg()]
    results = []
    for page in pages():
        if only and not any(part in page.name for part in only):
            continue
        results.append(measure_page(page, port, runs, keep))
        r = results[-1]
        bench.say(
            f"  {page.name:<22} LCP {r['lcp_ms']:5d} ms  CLS {r['cls']:.3f}  "
            f"{r['bytes'] / 1000:6.1f} kB  errors {len(r['console_errors'])}"
        )
    version = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True)
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True)
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "method": {
            "lighthouse": version.stdout.strip(),
            "browser": chromium.stdout.strip(),
            "profile": "mobile form factor, simulated throttling (Lighthouse defaults: "
            "slow 4G, 150 ms RTT, 1.6 Mbps down, 4x CPU slowdown), empty cache",
            "server": "gunicorn, production settings, WhiteNoise compressed static files",
            "database": f"{connection.settings_dict['NAME']}",
            "runs": runs,
            "load_average_at_start": load,
            "statistic": "the median run by LCP; CLS is the worst of the runs",
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        },
        "targets": TARGETS,
        "pages": results,
    }


def _yes(met: bool) -> str:
    return "met" if met else "**missed**"


def render_markdown(report: dict[str, Any]) -> str:
    m = report["method"]
    lines = [
        f"Run of {report['date']}: Lighthouse {m['lighthouse']}, {m['browser']}, {m['profile']}; "
        f"{m['server']}; database `{m['database']}`; {m['runs']} run(s) per page, "
        f"{m['statistic']}. Targets: LCP <= {TARGETS['lcp_ms'] / 1000:g} s, layout shift <= "
        f"{TARGETS['cls']}, <= {TARGETS['bytes'] / 1000:g} kB transferred, no console errors. "
        f"Load average {m['load_average_at_start']} at start, {m['load_average_at_end']} at end.",
        "",
        "| Page | Performance | FCP (ms) | LCP (ms) | Layout shift | Transferred (kB) "
        "| Requests | Render-blocking | Console errors | Targets |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for p in report["pages"]:
        all_met = all(p["met"].values())
        missed = ", ".join(k for k, v in p["met"].items() if not v)
        lines.append(
            f"| {p['page']} | {p['performance_score']} | {p['fcp_ms']:,} | {p['lcp_ms']:,} "
            f"| {p['cls_max']:.3f} | {p['bytes'] / 1000:.1f} | {p['requests']} "
            f"| {len(p['render_blocking'])} | {len(p['console_errors'])} "
            f"| {_yes(all_met)}{'' if all_met else f' ({missed})'} |"
        )
    return "\n".join(lines)


def update_doc(report: dict[str, Any], path: Path = DOC) -> bool:
    """The table in docs/performance.md; False (and no change) without its markers."""
    return replace_block(path, START, END, render_markdown(report))


def write(report: dict[str, Any]) -> None:
    bench.RESULTS.mkdir(parents=True, exist_ok=True)
    (bench.RESULTS / "lighthouse.json").write_text(json.dumps(report, indent=2) + "\n")
    update_doc(report)
    bench.say(render_markdown(report))


def ready() -> str | None:
    """Why Lighthouse cannot run here, or None."""
    if not LIGHTHOUSE.exists():
        return "Lighthouse is not installed: bash bench/lighthouse/install.sh"
    if shutil.which(CHROMIUM) is None:
        return f"no browser at {CHROMIUM}: apt-get install chromium"
    return None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page")
    parser.add_argument("--scale", default=os.environ.get("LIGHTHOUSE_SCALE", "tiny"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8765")))
    parser.add_argument("--only", default="", help="comma-separated parts of page names")
    parser.add_argument("--keep", type=Path, help="also save each Lighthouse report here")
    args = parser.parse_args(argv)
    only = [part for part in args.only.split(",") if part]
    if settings.DEBUG or connection.vendor != "postgresql":
        sys.exit("Run through bench/lighthouse.sh: production settings and PostgreSQL.")
    if problem := ready():
        sys.exit(problem)
    bench.prepare_database(bench.parse_args(["--scale", args.scale]))
    bench._manage("collectstatic", "--noinput", "-v0")
    with bench.gunicorn(2, args.port):
        report = measure(args.port, args.runs, only, args.keep)
    # A partial run is a look, not a result: the committed figures cover every page.
    if only:
        bench.say(render_markdown(report))
    else:
        write(report)


if __name__ == "__main__":
    main()

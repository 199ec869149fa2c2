"""The results table: rendered from a results JSON into docs/performance.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

START = "<!-- bench:results:start (written by make bench; edit bench/report.py) -->"
END = "<!-- bench:results:end -->"


def _num(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _met(value: bool | None) -> str:
    return {True: "met", False: "**missed**", None: "—"}[value]


def render_markdown(report: dict[str, Any]) -> str:
    m, g = report["machine"], report.get("generation") or {}
    lines = [
        f"Run of {report['date']} at {report['scale']} scale (seed {report['seed']}) on "
        f"{m['cores']} cores ({m['cpu']}), {m['memory_gb']} GB, PostgreSQL {m['postgresql']}, "
        f"Python {m['python']}, Django {m['django']}; load average "
        f"{m['load_average_at_start']} at start, {m.get('load_average_at_end')} at end. "
        f"{report['method']['server']}; {report['method']['load']}; median of "
        f"{report['method']['repeats']} repeats.",
        "",
        "| Endpoint | Queries | rps at 16 clients | Ratio to bare (reported only) "
        "| p50 / p95 / p99 at 1 client (ms) | Target p95 | p95 at 16 clients (ms) | p95 target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for e in report["endpoints"]:
        many = e.get("at_16_clients") or {}
        latency = " / ".join(_num(e[k]) for k in ("p50_ms", "p95_ms", "p99_ms"))
        if e["status"] != "measured":
            latency = e["status"]
        extra = (
            f" (worker peak {e['worker_peak_rss_mb']} MB)" if e.get("worker_peak_rss_mb") else ""
        )
        lines.append(
            f"| {e['endpoint']} | {_num(e['queries'], 0)} | {_num(e['rps'])} "
            f"| {_num(e['ratio_to_bare'], 3)} | {latency}{extra} "
            f"| {_num(e['target_p95_ms'], 0)} | {_num(many.get('p95_ms'))} | {_met(e['met'])} |"
        )
    if report.get("workers_scaling"):
        names = list(report["workers_scaling"][0]["rps"])
        lines += ["", "Throughput (rps at 16 clients) by gunicorn workers:", ""]
        lines += ["| Workers | " + " | ".join(names) + " |", "| ---: |" + " ---: |" * len(names)]
        for row in report["workers_scaling"]:
            values = " | ".join(_num(row["rps"][n]) for n in names)
            lines.append(f"| {row['workers']} | {values} |")
    if g:
        reused = " (reused from an earlier run)" if g.get("reused") else ""
        lines += [
            "",
            f"Synthetic data: {g.get('scale')} scale generated in {g.get('seconds')} s, "
            f"generator peak memory {g.get('peak_rss_mb')} MB{reused}; then "
            f"VACUUM (ANALYZE) in {g.get('vacuum_seconds', '—')} s, as autovacuum would.",
        ]
    return "\n".join(lines)


def update_performance_doc(path: Path, report: dict[str, Any]) -> bool:
    """Replace the block between the markers; False (and no change) without them."""
    return replace_block(path, START, END, render_markdown(report))


def replace_block(path: Path, start: str, end: str, body: str) -> bool:
    """Put ``body`` between the ``start`` and ``end`` marker lines of a document; False
    (and no change) when the document or a marker is missing."""
    if not path.exists():
        return False
    text = path.read_text()
    if start not in text or end not in text:
        return False
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    path.write_text(f"{before}{start}\n{body}\n{end}{after}")
    return True

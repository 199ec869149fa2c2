"""Audit rows per day and the audit table's size at steady state, from the synthetic
scales (``demo.synthetic.base.SCALES``) and a stated workload model.

    .venv/bin/python -m bench.partitioning.estimate [--bytes-per-row N]

Bytes per row default to the figure ``bench.partitioning.run`` measured on PostgreSQL
(``bench/results/partitioning.json``). Every assumption is a named constant below; the
rows each page writes are those ``socialrx.core.audit`` writes today (one entry per
record shown and one per person shown, ADR 0021).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

from demo.synthetic.base import SCALES, Scale

RESULTS = Path(__file__).resolve().parent.parent / "results" / "partitioning.json"

# The synthetic scales hold 8 years of records (the closed-case retention period).
YEARS_HELD = 8
# England and Wales: 261 weekdays less 8 bank holidays, rounded.
WORKING_DAYS_A_YEAR = 252
# The audit retention period (settings.RETENTION_SCHEDULE["audit_event"], 8 years).
AUDIT_RETENTION_YEARS = 8

# Rows one page writes today.
LIST_PAGE = 50  # 25 records shown and their 25 people (audit_list)
TO_OPEN = 4  # the caseload's "to open" list: about 2 referrals, each with its person
DETAIL_PAGE = 2  # the record and its person (audit_views)
WRITE = 1  # a change (audit_record)

# The workload model: how often each page is seen per unit of work (assumptions).
# Recording one contact: the caseload to find the case, the case page before the form
# and again after the redirect, and the contact's own entry.
PER_CONTACT = (LIST_PAGE + TO_OPEN) + 2 * DETAIL_PAGE + WRITE
# One referral: intake (duplicate check, the entry, the detail page after the redirect),
# triage (the queue seen 3 times, the triage page twice with about one possible
# duplicate, the decision and the assignment), the referrer's list looked at twice while
# it is open, and the GP system reading its Task about 5 times (task and person).
PER_REFERRAL = (
    (WRITE + DETAIL_PAGE + 1)
    + (3 * LIST_PAGE + 2 * (DETAIL_PAGE + 1) + 2 * WRITE)
    + 2 * LIST_PAGE
    + 5 * DETAIL_PAGE
)
# Each link worker, a day, beside contacts: 10 more looks at the caseload, 10 other case
# pages (assessment, plan, connections), 5 other changes and 2 sign-ins.
PER_LINK_WORKER_DAY = 10 * (LIST_PAGE + TO_OPEN) + 10 * DETAIL_PAGE + 5 * WRITE + 2 * WRITE


@dataclass(frozen=True)
class Estimate:
    scale: str
    referrals_a_day: float
    contacts_a_day: float
    link_workers: int
    rows_a_day: float

    @property
    def rows_a_year(self) -> float:
        return self.rows_a_day * WORKING_DAYS_A_YEAR

    @property
    def rows_held(self) -> float:
        """Rows at steady state: the retention job removes what passes the period."""
        return self.rows_a_year * AUDIT_RETENTION_YEARS


def estimate(scale: Scale) -> Estimate:
    days = YEARS_HELD * WORKING_DAYS_A_YEAR
    referrals = scale.referrals / days
    contacts = scale.contacts / days
    rows = (
        referrals * PER_REFERRAL + contacts * PER_CONTACT + scale.link_workers * PER_LINK_WORKER_DAY
    )
    return Estimate(scale.name, referrals, contacts, scale.link_workers, rows)


def measured_bytes_per_row() -> float | None:
    if not RESULTS.exists():
        return None
    sizes = json.loads(RESULTS.read_text())["sizes"]
    return float(sizes["audit_plain"]["bytes_per_row"])


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1000:
            return f"{n:,.1f} {unit}"
        n /= 1000
    return f"{n:,.1f} PB"


def say(text: str) -> None:
    """A command-line tool's output: print is right."""
    print(text)  # noqa: T201


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bytes-per-row", type=float, default=None)
    args = parser.parse_args()
    per_row = args.bytes_per_row or measured_bytes_per_row()
    say(
        f"rows per contact {PER_CONTACT}, per referral {PER_REFERRAL}, "
        f"per link worker a day {PER_LINK_WORKER_DAY}"
    )
    say(
        "| scale | referrals/day | contacts/day | link workers | audit rows/day "
        "| rows/year | rows held (8 years) | size held |"
    )
    say("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in ("county", "tenth", "national"):
        e = estimate(SCALES[name])
        size = _size(e.rows_held * per_row) if per_row else "(run bench.partitioning.run)"
        say(
            f"| {name} | {e.referrals_a_day:,.0f} | {e.contacts_a_day:,.0f} | "
            f"{e.link_workers:,} | {e.rows_a_day:,.0f} | {e.rows_a_year:,.0f} | "
            f"{e.rows_held:,.0f} | {size} |"
        )


if __name__ == "__main__":
    main()

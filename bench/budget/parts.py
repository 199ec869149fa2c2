"""Where a list page's instructions go: the page as it is, then with its list audit
left out, then with its template left out (docs/performance.md, "Lists: triage queue
and caseload"; ADR 0028). Information for choosing levers, not a gate: a page without
its audit or template is not a page anyone may ship.

Run under callgrind, as bench/budget/run.py runs measure.py, after ``make bench-budget``
has made its fixture and with bench/env.sh sourced::

    cc -O2 -shared -fPIC -o /tmp/control.so bench/budget/control.c
    PYTHONHASHSEED=0 nice -n 10 valgrind --tool=callgrind --instr-atstart=no \\
        --callgrind-out-file=/tmp/parts.out .venv/bin/python -m bench.budget.parts /tmp/control.so

Each dump (``/tmp/parts.out.N``, in the order printed) holds three requests: its
``totals:`` line / 3 is instructions per request.
"""

from __future__ import annotations

import ctypes
import gc
import os
import sys
from typing import Any
from unittest import mock

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.http import HttpResponse  # noqa: E402

import linkworkers.views.cases as caseload_views  # noqa: E402
import referrals.views as triage_views  # noqa: E402
from bench.budget import pages  # noqa: E402

VIEWS = {"triage queue": triage_views, "caseload": caseload_views}


def count(control: ctypes.CDLL, endpoint: Any, client: Any, label: str) -> None:
    for _ in range(2):
        pages.request(endpoint, client)
    gc.collect()
    control.budget_start()
    for _ in range(3):
        pages.request(endpoint, client)
    control.budget_stop(label.encode())
    print(label, flush=True)  # noqa: T201  (a command-line tool)


def main() -> None:
    control = ctypes.CDLL(sys.argv[1])
    for endpoint in pages.build():
        module = VIEWS.get(endpoint.name)
        if module is None:
            continue
        client = pages.client_for(endpoint)
        count(control, endpoint, client, f"{endpoint.name}: as is")
        with mock.patch.object(module, "audit_list", return_value=0):
            count(control, endpoint, client, f"{endpoint.name}: without its list audit")
        with mock.patch.object(module, "render", side_effect=lambda *a, **kw: HttpResponse("ok")):
            count(control, endpoint, client, f"{endpoint.name}: without its template")


if __name__ == "__main__":
    main()

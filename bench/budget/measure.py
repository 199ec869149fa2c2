"""The process callgrind runs (bench/budget/run.py starts it, ``--instr-atstart=no``):
warms each page uninstrumented, then counts its measured requests between callgrind's
client requests (control.c, built by run.py and called through ctypes): zero and start
before, stop and dump after. Dump N is page N.

Usage: python -m bench.budget.measure PLAN.json, where the plan gives ``warm``,
``requests``, ``control`` (the built control.c) and ``names`` (the pages to count); the
names of the pages measured, in dump order, are written back to it.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from bench.budget import pages  # noqa: E402


def main() -> None:
    plan_file = Path(sys.argv[1])
    plan = json.loads(plan_file.read_text())
    control = ctypes.CDLL(plan["control"])
    measured = []
    for endpoint in pages.build():
        if endpoint.name not in plan["names"]:
            continue
        client = pages.client_for(endpoint)
        for _ in range(plan["warm"]):
            pages.request(endpoint, client)
        # A full collection now, so the collections inside the counted requests depend on
        # this page's own allocations only: otherwise a collection the pages before
        # brought due lands on whichever page is next (40 M instructions one run and
        # not the next).
        gc.collect()
        control.budget_start()
        for _ in range(plan["requests"]):
            pages.request(endpoint, client)
        control.budget_stop(endpoint.name.encode())
        measured.append(endpoint.name)
    plan_file.write_text(json.dumps(plan | {"pages": measured}))


if __name__ == "__main__":
    main()

"""The scale test: the scaled-out shape started once for the module (tests/scale/
topology.py), and this process pointed at its primary and Redis to set up users and
queue work as the web side does.

Marked ``scale``, which the default run leaves out; ``make scale-test`` runs it.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from tests.faults.conftest import celery_producer
from tests.outages import connection_to, server_scratch
from tests.scale.topology import Topology, missing_programs, scaled_out


@pytest.fixture(scope="module")
def topology(request: pytest.FixtureRequest, django_db_blocker) -> Iterator[Topology]:
    missing = missing_programs()
    if missing:
        # Asked for by name (-m scale): a machine that cannot run it fails, not skips.
        pytest.fail(f"the scale test needs: apt-get install {' '.join(missing)}")
    # CI stops a run with SIGTERM: taken as Ctrl-C, which pytest ends the run on,
    # tearing this down (a SystemExit would only fail the test under way).
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        with ExitStack() as stack:
            started = stack.enter_context(scaled_out(server_scratch("scale")))
            stack.enter_context(django_db_blocker.unblock())
            stack.enter_context(connection_to(started.primary.django_settings()))
            stack.enter_context(celery_producer(started.redis.url))
            failed_before = request.session.testsfailed
            yield started
            if request.session.testsfailed > failed_before:
                # Past the capture: the servers' logs go with them when they are removed.
                reporter = request.config.pluginmanager.get_plugin("terminalreporter")
                reporter.write_line(f"\n{started.logs()}")
    finally:
        signal.signal(signal.SIGTERM, previous)

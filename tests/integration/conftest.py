"""Real Celery worker and beat processes for the integration tests.

The processes share the pytest test database (PostgreSQL, so another process can reach
it) and the broker (Redis) with the test, so a view called through the test client
enqueues work that a real worker picks up. Tests see the effect by polling the database.

Point ``REDIS_URL`` at a Redis database no other worker listens on (``.ci/run`` uses its
own): a stray worker would take the test's tasks and look for them in another database.
The ``celery_processes`` fixture refuses to start if it finds one.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from kombu.utils.url import maybe_sanitize_url

from socialrx.celery import app as celery_app
from tests.outages import ManagedProcess, celery_args


def _services_missing() -> str:
    """Why the integration tests cannot run here, or "" when they can."""
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return "needs DATABASE_URL=postgres://...: the worker must reach the test database"
    if not os.environ.get("REDIS_URL"):
        return "needs REDIS_URL=redis://...: the worker must share the test's broker"
    return ""


@pytest.fixture(autouse=True)
def _require_services() -> None:  # noqa: PT004
    # Autouse, so it runs before the database fixtures: no test database is set up for
    # a test that will be skipped anyway.
    reason = _services_missing()
    if reason:
        pytest.skip(f"integration test {reason} (.ci/run sets both)")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    # Keep each phase's report on the test, so teardown knows whether to print the logs.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def worker_database_url() -> str:
    """DATABASE_URL for the test database, which pytest-django renamed to test_<name>."""
    db = settings.DATABASES["default"]
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    # A unix socket directory travels percent-encoded in the host part.
    host = quote(db.get("HOST") or "", safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(db['NAME'], safe='')}"


def _refuse_foreign_workers() -> None:
    replies = celery_app.control.ping(timeout=1.0)
    if replies:
        names = ", ".join(name for reply in replies for name in reply)
        pytest.fail(
            f"other Celery workers listen on {maybe_sanitize_url(settings.CELERY_BROKER_URL)} "
            f"({names}) and would take the test's tasks. Give the tests a Redis database "
            "of their own."
        )


StartCelery = Callable[..., ManagedProcess]


@pytest.fixture
def celery_processes(
    request: pytest.FixtureRequest, transactional_db: None, tmp_path: Path
) -> Iterator[StartCelery]:
    """Start ``celery -A socialrx worker|beat`` against the test database and broker.

    ``transactional_db`` commits each write, so the worker sees the test's rows; and as
    this fixture depends on it, the processes stop before the tables are flushed.
    Returns ``start(role, **extra_env)``; the mail the worker sends lands in
    ``tmp_path / "mail"``.
    """
    _refuse_foreign_workers()
    started: list[ManagedProcess] = []
    run_id = uuid.uuid4().hex[:8]
    base_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "socialrx.settings",
        "DATABASE_URL": worker_database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        # Keep the processes' scratch folders out of the checkout.
        "SOCIALRX_VAR_DIR": str(tmp_path / "var"),
        "PYTHONUNBUFFERED": "1",
    }

    def start(role: str, **extra_env: str) -> ManagedProcess:
        process = ManagedProcess.start(
            role,
            celery_args(role, node=f"integration-{run_id}"),
            env={**base_env, **extra_env},
            log_path=tmp_path / f"celery-{role}.log",
            cwd=settings.BASE_DIR,
        )
        started.append(process)
        if role == "worker":
            process.wait_for_log(" ready.")
        return process

    yield start

    for process in reversed(started):
        process.stop()
    if _failed(request.node):
        # Printed in teardown, pytest shows it under the failing test's captured output.
        for process in started:
            print(f"\n----- celery {process.role} log -----\n{process.log()}")  # noqa: T201


def _failed(item: pytest.Item) -> bool:
    reports = (getattr(item, f"report_{when}", None) for when in ("setup", "call"))
    return any(report is not None and report.failed for report in reports)

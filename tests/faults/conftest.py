"""The fault-injection suite: each test gets its own PostgreSQL and Redis on spare ports
and real Celery workers, beats and gunicorn against them, then breaks things.

Each module is marked ``faults``, which the default run leaves out (pyproject's addopts
say ``-m "not faults"``); run them with ``pytest -m faults`` (``.ci/run`` does, after
the PostgreSQL pass).
Needs the PostgreSQL server binaries (/usr/lib/postgresql/*/bin) and redis-server, not
running services: nothing outside the test's own servers is touched.

The database is migrated once per session in a template cluster, and each test starts a
copy of it. The test process talks to the test's servers too: its default database
connection and its Celery producer point at them for the test's duration.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from socialrx.celery import app as celery_app
from tests.helpers.mail import mail_recipients
from tests.outages import (
    ManagedProcess,
    PostgresServer,
    RedisServer,
    celery_args,
    connection_to,
    free_port,
    server_scratch,
    wait_until,
)

# The sweeps run every two seconds and count work as lost after two seconds, so a test
# sees the broker's losses found again in seconds rather than minutes.
FAST_SWEEPS = {"NOTIFICATION_RETRY_SECONDS": "2", "REPORTS_SWEEP_SECONDS": "2"}


def _missing() -> str:
    if not list(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")):
        return "the PostgreSQL server (apt-get install postgresql)"
    if not shutil.which("redis-server"):
        return "redis-server (apt-get install redis-server)"
    return ""


def _manage(*args: str, database_url: str) -> None:
    env = {
        **_clean_environ(),
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": database_url,
        "DATABASE_POOL": "false",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")


def _clean_environ() -> dict[str, str]:
    """The caller's environment without its services: the test's own replace them."""
    dropped = {
        "DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL", "CELERY_BROKER_URL",
        "CELERY_TASK_ALWAYS_EAGER", "DJANGO_SETTINGS_MODULE",
    }  # fmt: skip
    return {key: value for key, value in os.environ.items() if key not in dropped}


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[PostgresServer]:
    """A stopped cluster with the socialrx database migrated: copied by each test."""
    missing = _missing()
    if missing:
        pytest.skip(f"the fault-injection suite needs {missing}")
    root = server_scratch("pg-template")
    try:
        template = PostgresServer.initdb(root / "data")
        template.start()
        try:
            with psycopg.connect(template.url("postgres"), autocommit=True) as admin:
                admin.execute("CREATE DATABASE socialrx")
            _manage("migrate", "--no-input", "-v", "0", database_url=template.url())
        finally:
            template.stop()
        yield template
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def celery_producer(broker_url: str) -> Iterator[None]:
    """This process's Celery app sends to ``broker_url`` (not eagerly) until exit."""
    conf = celery_app.conf
    saved = (conf.broker_url, conf.broker_transport_options, conf.task_always_eager)

    def reset_pools() -> None:
        if celery_app._pool is not None:
            celery_app._pool.force_close_all()
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    reset_pools()
    conf.broker_url = broker_url
    conf.broker_transport_options = {"visibility_timeout": settings.TASKS_LONGEST_TIME_LIMIT}
    conf.task_always_eager = False
    try:
        yield
    finally:
        reset_pools()
        conf.broker_url, conf.broker_transport_options, conf.task_always_eager = saved


@dataclass
class Stack:
    """One test's servers and processes; ``start`` adds a worker, beat or gunicorn."""

    scratch: Path
    postgres: PostgresServer
    redis: RedisServer
    processes: list[ManagedProcess] = field(default_factory=list)
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:8])

    @property
    def mail_dir(self) -> Path:
        return self.scratch / "mail"

    def env(self, **extra: str) -> dict[str, str]:
        return {
            **_clean_environ(),
            "DJANGO_SETTINGS_MODULE": "socialrx.settings",
            "DJANGO_DEBUG": "true",
            "DATABASE_URL": self.postgres.url(),
            "REDIS_URL": self.redis.url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "SOCIALRX_VAR_DIR": str(self.scratch / "var"),
            "PYTHONUNBUFFERED": "1",
            **FAST_SWEEPS,
            **extra,
        }

    def start(self, role: str, **extra_env: str) -> ManagedProcess:
        """``worker`` (ready when it returns), ``beat`` or ``web`` (gunicorn, serving
        when it returns; its port is ``web_port``)."""
        number = sum(process.role.startswith(role) for process in self.processes) + 1
        name = f"{role}-{number}"
        if role == "web":
            self.web_port = free_port()
            args = [
                sys.executable, "-m", "gunicorn", "socialrx.wsgi",
                f"--bind=127.0.0.1:{self.web_port}", "--workers=2", "--timeout=60",
            ]  # fmt: skip
        else:
            args = celery_args(role, node=f"faults-{self.run_id}-{number}")
        process = ManagedProcess.start(
            name,
            args,
            env=self.env(**extra_env),
            log_path=self.scratch / f"{name}.log",
            cwd=settings.BASE_DIR,
        )
        self.processes.append(process)
        if role == "worker":
            process.wait_for_log(" ready.")
        elif role == "web":
            process.wait_for_log("Booting worker")
        return process

    def mail_recipients(self) -> Counter[str]:
        """How many emails each address was sent (the file backend's messages)."""
        return mail_recipients(self.mail_dir)

    def logs(self) -> str:
        parts = [f"----- {p.role} -----\n{p.log()}" for p in self.processes]
        for name, path in (("postgres", self.postgres.log_path),
                           ("redis", self.redis.directory / "redis.log")):  # fmt: skip
            if path.exists():
                parts.append(f"----- {name} -----\n{path.read_text(errors='replace')[-4000:]}")
        return "\n".join(parts)


@pytest.fixture
def stack(
    request: pytest.FixtureRequest, postgres_template: PostgresServer, django_db_blocker
) -> Iterator[Stack]:
    """Start this test's PostgreSQL (a copy of the template) and Redis; point this
    process at them. Everything is stopped and removed afterwards, pass or fail."""
    scratch = server_scratch("faults")
    with ExitStack() as cleanup:
        cleanup.callback(shutil.rmtree, scratch, ignore_errors=True)
        postgres = postgres_template.copy(scratch / "pg")
        cleanup.callback(postgres.remove)
        redis = RedisServer(scratch / "redis")
        cleanup.callback(redis.remove)
        postgres.start()
        redis.start()
        result = Stack(scratch, postgres, redis)
        cleanup.callback(_stop_processes, request, result)
        cleanup.enter_context(django_db_blocker.unblock())
        cleanup.enter_context(connection_to(postgres.django_settings()))
        cleanup.enter_context(celery_producer(redis.url))
        yield result


def _stop_processes(request: pytest.FixtureRequest, stack: Stack) -> None:
    # All asked to stop at once, so their warm shutdowns overlap.
    for process in stack.processes:
        if process.popen.poll() is None:
            process.popen.terminate()
    for process in reversed(stack.processes):
        process.stop()
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        print(f"\n{stack.logs()}")  # noqa: T201  (shown under the failing test)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def wait_for(what: str, probe, timeout: float = 90) -> object:  # noqa: ANN001
    """Poll the test's database until ``probe()`` is true (generous: a busy CI machine)."""
    return wait_until(what, probe, timeout=timeout)

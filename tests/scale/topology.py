"""The scaled-out shape of docs/scaling.md, run for real on one machine (ADR 0030).

    HAProxy (round robin) -> web-1, web-2      gunicorn, production settings
    PostgreSQL primary --streaming--> replica  pg_basebackup, hot standby, reports
    Redis                                      cache, sessions, Celery broker
    worker-1, worker-2, beat                   Celery

Every server is the scale test's own, on spare ports in ``SCALE_PORTS`` (16000-16999 by
default), never the machine's PostgreSQL or Redis. :func:`scaled_out` starts them all
and stops them all on the way out, pass, failure or Ctrl-C. The servers are the fault
suite's (tests/outages.py); this module only wires them into the production shape.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import requests
from django.conf import settings

from tests.outages import (
    ManagedProcess,
    OutageError,
    PostgresServer,
    RedisServer,
    celery_args,
    wait_until,
)

BASE_DIR = Path(settings.BASE_DIR)
WEBS = ("web-1", "web-2")
WORKERS = ("worker-1", "worker-2")
# A replica that failed is tried again this soon: the test sees reports return to it.
REPLICA_RETRY_SECONDS = 3


def _port_range() -> range:
    first, _, last = os.environ.get("SCALE_PORTS", "16000-16999").partition("-")
    return range(int(first), int(last) + 1)


def spare_port(taken: set[int]) -> int:
    """The first port of the range that nothing listens on and this run has not used."""
    for port in _port_range():
        if port in taken:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        taken.add(port)
        return port
    raise OutageError(f"no spare port in {_port_range()} (set SCALE_PORTS=first-last)")


def missing_programs() -> list[str]:
    """What this machine lacks for the scale test (Debian package names)."""
    missing = []
    if not list(Path("/usr/lib/postgresql").glob("*/bin/pg_basebackup")):
        missing.append("postgresql")
    if not shutil.which("redis-server"):
        missing.append("redis-server")
    if not shutil.which("haproxy"):
        missing.append("haproxy")
    return missing


@dataclass
class Topology:
    scratch: Path
    primary: PostgresServer
    replica: PostgresServer
    redis: RedisServer
    ports: set[int]
    processes: dict[str, ManagedProcess] = field(default_factory=dict)
    balancer_port: int = 0
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(64))

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.balancer_port}"

    @property
    def mail_dir(self) -> Path:
        return self.scratch / "mail"

    def env(self) -> dict[str, str]:
        """Production settings, as scripts/ci_runtime_check.py runs them: nothing from
        the caller's environment but PATH and HOME."""
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", str(self.scratch)),
            "DJANGO_SETTINGS_MODULE": "socialrx.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": self.secret_key,
            # The key the test process encrypts the TOTP secret it enrols with, so the web
            # processes read the same secret (production refuses to start without one).
            "MFA_ENCRYPTION_KEY": settings.MFA_ENCRYPTION_KEYS[0],
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SOCIALRX_SITE_URL": self.base_url,
            "DATABASE_URL": self.primary.url(),
            "DATABASE_REPLICA_URL": self.replica.url(),
            "DATABASE_REPLICA_RETRY_SECONDS": str(REPLICA_RETRY_SECONDS),
            "REDIS_URL": self.redis.url,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "SOCIALRX_VAR_DIR": str(self.scratch / "var"),
            # Plain http on this machine, as the compose stack serves it.
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SESSION_COOKIE_SECURE": "false",
            "DJANGO_CSRF_COOKIE_SECURE": "false",
            "PYTHONUNBUFFERED": "1",
        }

    def manage(self, *args: str) -> None:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=self.env(),
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if result.returncode != 0:
            raise OutageError(f"manage.py {' '.join(args)}:\n{result.stdout}{result.stderr}")

    def start(self, name: str, args: list[str]) -> ManagedProcess:
        process = ManagedProcess.start(
            name, args, env=self.env(), log_path=self.scratch / f"{name}.log", cwd=BASE_DIR
        )
        self.processes[name] = process
        return process

    def stop_processes(self) -> None:
        # All asked at once, so their warm shutdowns overlap.
        for process in self.processes.values():
            if process.popen.poll() is None:
                process.popen.terminate()
        for process in reversed(self.processes.values()):
            process.stop()

    def logs(self) -> str:
        parts = [f"----- {name} -----\n{p.log()[-4000:]}" for name, p in self.processes.items()]
        for name, path in (("primary", self.primary.log_path),
                           ("replica", self.replica.log_path)):  # fmt: skip
            if path.exists():
                parts.append(f"----- {name} -----\n{path.read_text(errors='replace')[-4000:]}")
        return "\n".join(parts)


def _haproxy_config(port: int, webs: dict[str, int]) -> str:
    """Round robin over the web processes, each checked on /healthz; the response says
    which one served it (X-Served-By), so the test can see both serve one session."""
    servers = "\n".join(
        f"  server {name} 127.0.0.1:{web_port} check inter 1s" for name, web_port in webs.items()
    )
    return f"""global
  maxconn 256

defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s

frontend www
  bind 127.0.0.1:{port}
  default_backend webs

backend webs
  balance roundrobin
  option httpchk
  http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host 127.0.0.1
  http-check expect status 200
  http-response set-header X-Served-By %[srv_name]
{servers}
"""


def _streaming(primary: PostgresServer) -> bool:
    with psycopg.connect(primary.url("postgres")) as conn:
        row = conn.execute("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")
        return bool(row.fetchone()[0])  # type: ignore[index]


def _balanced(topology: Topology) -> bool:
    """HAProxy answers /healthz from both web processes."""
    seen = set()
    for _ in range(4):
        try:
            response = requests.get(f"{topology.base_url}/healthz", timeout=5)
        except requests.RequestException:
            return False
        if response.status_code == 200:
            seen.add(response.headers.get("X-Served-By"))
    return seen == set(WEBS)


def _start_databases(topology: Topology) -> None:
    primary, replica = topology.primary, topology.replica
    primary.start()
    with psycopg.connect(primary.url("postgres"), autocommit=True) as admin:
        admin.execute("CREATE DATABASE socialrx")
    topology.manage("migrate", "--no-input", "-v", "0")
    replica.make_standby_of(primary)
    # Every statement the replica runs is logged: the test reads back that reports ran
    # there and that no write was ever tried.
    with (replica.data_dir / "postgresql.auto.conf").open("a") as conf:
        conf.write("log_statement = 'all'\n")
    replica.start()
    wait_until("the replica streaming from the primary", lambda: _streaming(primary))


def _start_processes(topology: Topology) -> None:
    topology.manage("collectstatic", "--no-input", "-v", "0")
    webs = {}
    for name in WEBS:
        port = spare_port(topology.ports)
        webs[name] = port
        topology.start(
            name,
            [sys.executable, "-m", "gunicorn", "socialrx.wsgi", f"--bind=127.0.0.1:{port}",
             "--workers=2", "--timeout=60", "--access-logfile=-"],
        )  # fmt: skip
    for number, name in enumerate(WORKERS, start=1):
        topology.start(name, celery_args("worker", node=f"scale-{number}", concurrency=1))
    topology.start("beat", celery_args("beat", node="scale-beat"))
    config = topology.scratch / "haproxy.cfg"
    config.write_text(_haproxy_config(topology.balancer_port, webs))
    topology.start("haproxy", [shutil.which("haproxy") or "haproxy", "-db", "-f", str(config)])
    for name in WORKERS:
        topology.processes[name].wait_for_log(" ready.")
    topology.processes["beat"].wait_for_log("beat: Starting")
    wait_until("HAProxy serving from both web processes", lambda: _balanced(topology))


@contextmanager
def scaled_out(scratch: Path) -> Iterator[Topology]:
    """Everything started, in dependency order; everything stopped and removed on exit."""
    ports: set[int] = set()
    with ExitStack() as cleanup:
        cleanup.callback(shutil.rmtree, scratch, ignore_errors=True)
        primary = PostgresServer.initdb(scratch / "primary")
        primary.port = spare_port(ports)
        cleanup.callback(primary.remove)
        replica = PostgresServer(scratch / "replica", port=spare_port(ports))
        cleanup.callback(replica.remove)
        redis = RedisServer(scratch / "redis", port=spare_port(ports))
        cleanup.callback(redis.remove)
        topology = Topology(scratch, primary, replica, redis, ports)
        topology.balancer_port = spare_port(ports)
        cleanup.callback(topology.stop_processes)
        _start_databases(topology)
        redis.start()
        _start_processes(topology)
        yield topology

"""Real faults for tests: the service's own code is not mocked.

- ``database_down``: this thread's connection points at a port nothing listens on.
- ``ManagedProcess`` and ``celery_args``: a worker, beat or gunicorn as a subprocess in a
  process group of its own, its output in a file (the integration and fault suites).
- ``PostgresServer`` and ``RedisServer``: servers of a test's own on spare ports, which
  it may stop, kill and start again (the fault-injection suite, tests/faults/), and a
  streaming replica of a PostgreSQL server (the scale test, tests/scale/).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import connections
from django.db.utils import load_backend

# A cold worker imports Django and every app before it is ready; a loaded CI machine
# can take several seconds, so the waits are generous and the polls frequent.
START_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 15
POLL_SECONDS = 0.2


def free_port() -> int:
    """A port nothing listens on now (the kernel's pick, released at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OutageError(AssertionError):
    """A server or process of the test's own did not do what the test needs."""


@contextmanager
def database_down() -> Iterator[None]:
    """This thread's default connection points at a PostgreSQL port nothing listens on:
    every query fails in the driver, as when the database server is down."""
    with connection_to(unreachable_postgres()):
        yield


def unreachable_postgres() -> dict[str, Any]:
    """The default database's settings, pointed at a PostgreSQL port nothing listens on."""
    return {
        **connections["default"].settings_dict,
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "127.0.0.1",
        "PORT": str(free_port()),
        "NAME": "socialrx_outage",
        "USER": "socialrx",
        "PASSWORD": "",
        "OPTIONS": {"connect_timeout": 2},
        "CONN_MAX_AGE": 0,
    }


@contextmanager
def connection_to(settings_dict: dict[str, Any]) -> Iterator[None]:
    """This thread's default connection is a new one with these settings, until exit."""
    original = connections["default"]
    replacement = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "default")
    connections["default"] = replacement
    try:
        yield
    finally:
        replacement.close()
        connections["default"] = original


def wait_until(what: str, probe: Any, timeout: float = START_TIMEOUT_SECONDS) -> Any:
    """Poll ``probe()`` until it returns something true; that value, or fail."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(POLL_SECONDS)
    raise OutageError(f"{what}: not seen in {timeout} s (last: {last!r})")


# --- Subprocesses -----------------------------------------------------------------


@dataclass
class ManagedProcess:
    """One subprocess (a Celery worker or beat, gunicorn) with its output in a file."""

    role: str
    popen: subprocess.Popen[bytes]
    log_path: Path
    log_file: IO[bytes]

    @classmethod
    def start(cls, role: str, args: list[str], *, env: dict[str, str], log_path: Path,
              cwd: Path) -> ManagedProcess:  # fmt: skip
        log_file = log_path.open("ab")
        popen = subprocess.Popen(
            args,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, for stop() and kill()
        )
        return cls(role, popen, log_path, log_file)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def wait_for_log(self, text: str, timeout: float = START_TIMEOUT_SECONDS) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log():
                return
            if self.popen.poll() is not None:
                raise OutageError(
                    f"{self.role} exited with {self.popen.returncode} before "
                    f"logging {text!r}:\n{self.log()}"
                )
            time.sleep(POLL_SECONDS)
        raise OutageError(f"{self.role} did not log {text!r} in {timeout}s:\n{self.log()}")

    def kill(self) -> None:
        """SIGKILL to the whole process group, as the kernel's OOM killer or a pulled
        plug: no warm shutdown, no acknowledgement, nothing handed back."""
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.popen.wait()

    def stop(self) -> None:
        """Warm shutdown (SIGTERM), then SIGKILL to the whole process group.

        The group matters: a prefork worker's children hold database connections, and
        an orphaned one would keep the test database from being flushed or dropped.
        """
        if self.popen.poll() is None:
            self.popen.terminate()
        try:
            self.popen.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.log_file.write(
                f"\n[test] no exit {STOP_TIMEOUT_SECONDS} s after SIGTERM\n".encode()
            )
        self.kill()
        if not self.log_file.closed:
            self.log_file.close()


def celery_args(role: str, *, node: str, concurrency: int = 2) -> list[str]:
    """The command line of ``celery -A socialrx worker|beat`` for a test."""
    if role == "worker":
        # A node name of our own, and no mingle/gossip: the worker neither waits for
        # nor talks to other workers, which also makes it ready sooner.
        args = [
            "worker",
            f"--concurrency={concurrency}",
            f"--hostname={node}@%h",
            "--without-mingle",
            "--without-gossip",
        ]
    elif role == "beat":
        args = [
            "beat",
            "--scheduler=django_celery_beat.schedulers:DatabaseScheduler",
            "--pidfile=",  # no pid file left in the checkout
        ]
    else:
        raise ValueError(f"unknown celery role {role!r}")
    return [sys.executable, "-m", "celery", "-A", "socialrx", *args, "--loglevel=INFO"]


# --- Servers of a test's own ------------------------------------------------------


def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=_version_key)
    if not found:
        raise OutageError("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")
    return Path(found[-1]).parent


def _version_key(path: str) -> tuple[int, ...]:
    version = Path(path).parent.parent.name
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def _server_user() -> dict[str, Any]:
    """PostgreSQL refuses to run as root: as root, run it as the ``postgres`` user."""
    if os.geteuid() != 0:
        return {}
    try:
        account = pwd.getpwnam("postgres")
    except KeyError as error:
        raise OutageError("running as root needs a 'postgres' user to run PostgreSQL") from error
    return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}


def _give_to_server_user(path: Path) -> None:
    owner = _server_user()
    if not owner:
        return
    for root, dirs, files in os.walk(path):
        for name in [root, *(os.path.join(root, entry) for entry in dirs + files)]:
            os.chown(name, owner["user"], owner["group"], follow_symlinks=False)


def server_scratch(prefix: str) -> Path:
    """A folder the server user can reach: pytest's own tmp_path is private to us."""
    import tempfile

    path = Path(tempfile.mkdtemp(prefix=f"sx-{prefix}-"))
    path.chmod(0o755)
    return path


@dataclass
class PostgresServer:
    """A PostgreSQL cluster of its own: ``initdb`` once, then copies of it per test.

    No durability settings matter to the tests (fsync off): a stop is always clean.
    """

    data_dir: Path
    port: int = field(default_factory=free_port)
    database: str = "socialrx"

    @classmethod
    def initdb(cls, data_dir: Path) -> PostgresServer:
        data_dir.mkdir(mode=0o700)
        _give_to_server_user(data_dir)
        cls._run(
            "initdb", "--pgdata", str(data_dir), "--username=postgres", "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        return cls(data_dir)

    def copy(self, data_dir: Path) -> PostgresServer:
        """A new cluster with this one's files (stopped), on a port of its own."""
        shutil.copytree(self.data_dir, data_dir, symlinks=True)
        _give_to_server_user(data_dir)
        for stale in ("postmaster.pid", "postmaster.opts"):
            (data_dir / stale).unlink(missing_ok=True)
        return PostgresServer(data_dir, database=self.database)

    def make_standby_of(self, primary: PostgresServer) -> None:
        """Make this cluster (its folder not yet made) a streaming hot-standby replica of
        the running ``primary``, as production makes one: ``pg_basebackup`` with the WAL
        streamed and the standby's settings written (``-R``). Start it with start()."""
        self.data_dir.mkdir(mode=0o700)
        _give_to_server_user(self.data_dir)
        self._run(
            "pg_basebackup", "--pgdata", str(self.data_dir), "--host=127.0.0.1",
            f"--port={primary.port}", "--username=postgres", "--wal-method=stream",
            "--write-recovery-conf", "--checkpoint=fast", "--no-sync",
        )  # fmt: skip

    @staticmethod
    def _run(program: str, *args: str) -> None:
        result = subprocess.run(
            [str(_postgres_bin() / program), *args],
            capture_output=True,
            text=True,
            check=False,
            cwd="/",
            **_server_user(),
        )
        if result.returncode != 0:
            raise OutageError(f"{program} {' '.join(args[:3])} failed:\n{result.stdout}"
                              f"{result.stderr}")  # fmt: skip

    @property
    def log_path(self) -> Path:
        return self.data_dir / "server.log"

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data_dir} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl", "start", "--pgdata", str(self.data_dir), "--wait", "--timeout=60",
            f"--log={self.log_path}", f"--options={options}",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """Stop: ``fast`` ends every session at once, as an outage does."""
        if (self.data_dir / "postmaster.pid").exists():
            self._run("pg_ctl", "stop", "--pgdata", str(self.data_dir), f"--mode={mode}",
                      "--wait", "--timeout=60")  # fmt: skip

    def url(self, database: str | None = None) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database or self.database}"

    def django_settings(self) -> dict[str, Any]:
        """A DATABASES entry for the test process itself (no pool: one thread)."""
        return {
            "ENGINE": "django.db.backends.postgresql",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "NAME": self.database,
            "USER": "postgres",
            "PASSWORD": "",
            "OPTIONS": {"connect_timeout": 5},
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "ATOMIC_REQUESTS": False,
            "AUTOCOMMIT": True,
            "TIME_ZONE": None,
            "TEST": {},
        }

    def remove(self) -> None:
        self.stop(mode="immediate")
        shutil.rmtree(self.data_dir, ignore_errors=True)


@dataclass
class RedisServer:
    """A redis-server of its own, persisted as docker-compose runs it: an append-only
    file synced each second and no snapshots."""

    directory: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        log = (self.directory / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "yes", "--appendfsync", "everysec",
                "--dir", str(self.directory),
            ],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        log.close()
        wait_until(f"redis-server on port {self.port}", self.ping, timeout=30)

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_timeout=1).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        """As ``docker compose restart`` stops it: SIGTERM, which writes the
        append-only file out before exiting."""
        self._signal(signal.SIGTERM)

    def kill(self) -> None:
        """A crash: whatever the last second wrote may be lost."""
        self._signal(signal.SIGKILL)

    def _signal(self, signum: int) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signum)
        try:
            self.process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def remove(self) -> None:
        self.kill()
        shutil.rmtree(self.directory, ignore_errors=True)

#!/usr/bin/env python3
"""Does the production install run? Builds it fresh and drives it as a user would.

    DATABASE_URL=postgres://USER@127.0.0.1:5432/EXISTING_DB REDIS_URL=redis://127.0.0.1:6379/N \\
        python3 scripts/ci_runtime_check.py

1. a new virtual environment with the runtime lock only (``requirements.lock``, hashes
   checked) and socialrx without its dependencies, as the Dockerfile installs; it must
   hold no test tool (pytest) and pass ``pip check``;
2. a database of its own, ``<EXISTING_DB>_runtime`` (or ``RUNTIME_DB_NAME``), dropped and
   created again on the same server (the user needs CREATEDB), then migrate and
   collectstatic with production settings (``DJANGO_DEBUG=false``);
3. gunicorn, a Celery worker and beat against it and Redis;
4. ``/healthz`` answers 200 with the database, cache and broker ok;
5. a person asks for a password reset on the page (the form's CSRF token and cookie, as a
   browser sends them): the view enqueues the email and the worker, not the web
   process, sends it, so its notification row is marked sent and the mail is written;
6. beat has copied the periodic schedule into its database tables;
7. everything it started is stopped and its database dropped, pass or fail.

Standard library only: it runs before any virtual environment exists. Use a Redis
database no other worker listens on (``.ci/run`` gives it its own).
"""

from __future__ import annotations

import base64
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 90  # a cold start on a loaded 2-core CI machine
TASK_TIMEOUT = 60
EMAIL = "runtime-check@test.example"


def log(message: str) -> None:
    sys.stdout.write(f"[runtime-check] {message}\n")
    sys.stdout.flush()


def run(*args: str | Path, env: dict[str, str] | None = None, capture: bool = False) -> str:
    result = subprocess.run(
        [str(arg) for arg in args],
        cwd=ROOT,
        env=env,
        check=False,
        text=True,
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.STDOUT if capture else None,
    )
    if result.returncode != 0:
        raise CheckFailed(
            f"{' '.join(map(str, args[:4]))}... exited {result.returncode}\n{result.stdout or ''}"
        )
    return result.stdout or ""


class CheckFailed(Exception):
    pass


class Processes:
    """The long-running processes this check started, each in its own process group."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.started: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, args: list[str], env: dict[str, str]) -> None:
        log_file = (self.scratch / f"{name}.log").open("wb")
        self.started[name] = subprocess.Popen(
            args, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log_file,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def log(self, name: str) -> str:
        path = self.scratch / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def assert_running(self) -> None:
        for name, popen in self.started.items():
            if popen.poll() is not None:
                raise CheckFailed(f"{name} exited with {popen.returncode}:\n{self.log(name)}")

    def stop_all(self) -> None:
        for name, popen in reversed(self.started.items()):
            if popen.poll() is None:
                popen.terminate()
                try:
                    popen.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    log(f"{name} ignored SIGTERM for 20 s; killing it")
            try:  # the group: a prefork worker's or gunicorn's children
                os.killpg(popen.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            popen.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(
    what: str, probe: Callable[[], Any], processes: Processes, timeout: float = START_TIMEOUT
) -> Any:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        processes.assert_running()
        last = probe()
        if last:
            return last
        time.sleep(0.5)
    raise CheckFailed(f"{what} not seen in {timeout} s (last: {last!r})")


def build_runtime_venv(venv: Path) -> Path:
    started = time.monotonic()
    run(sys.executable, "-m", "venv", venv)
    python = venv / "bin" / "python"
    pip: list[str | Path] = [python, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    run(*pip, "install", "--require-hashes", "-r", ROOT / "requirements.lock")
    run(*pip, "install", "--no-deps", "-e", ROOT)
    run(*pip, "check")
    leaked = subprocess.run([python, "-c", "import pytest"], capture_output=True, check=False)
    if leaked.returncode == 0:
        raise CheckFailed("the runtime environment has pytest: a dev dependency leaked in")
    size = sum(f.stat().st_size for f in venv.rglob("*") if f.is_file() and not f.is_symlink())
    log(f"runtime venv built in {time.monotonic() - started:.0f} s, {size / 1e6:.0f} MB")
    return python


def reset_database(python: Path, admin_url: str, name: str, *, create: bool) -> None:
    """Drop the check's own database, and create it again when asked."""
    # psycopg comes from the runtime lock; CREATE DATABASE cannot run in a transaction.
    script = (
        "import sys, psycopg\n"
        "from psycopg import sql\n"
        "with psycopg.connect(sys.argv[1], autocommit=True) as conn:\n"
        "    name = sql.Identifier(sys.argv[2])\n"
        "    conn.execute(sql.SQL('DROP DATABASE IF EXISTS {} WITH (FORCE)').format(name))\n"
        "    if sys.argv[3] == 'create':\n"
        "        conn.execute(sql.SQL('CREATE DATABASE {}').format(name))\n"
    )
    run(python, "-c", script, admin_url, name, "create" if create else "drop")


def production_env(database_url: str, redis_url: str, port: int, scratch: Path) -> dict[str, str]:
    # Only what production sets: nothing from the caller's environment but PATH and HOME.
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(scratch)),
        "DJANGO_SETTINGS_MODULE": "socialrx.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "MFA_ENCRYPTION_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SOCIALRX_SITE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(scratch / "mail"),
        "SOCIALRX_VAR_DIR": str(scratch / "var"),
        # Plain http on this machine, as the compose stack serves it.
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SESSION_COOKIE_SECURE": "false",
        "DJANGO_CSRF_COOKIE_SECURE": "false",
        "PYTHONUNBUFFERED": "1",
    }


def manage_shell(python: Path, env: dict[str, str], code: str) -> str:
    return run(python, "manage.py", "shell", "-c", code, env=env, capture=True).strip()


def healthz(base: str) -> dict[str, Any] | None:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
            return json.load(response) if response.status == 200 else None
    except (urllib.error.URLError, OSError, ValueError):
        return None


def ask_for_password_reset(base: str) -> int:
    """GET the form, then POST it with its CSRF token and cookie, as a browser does."""
    jar = http.cookiejar.CookieJar()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # the 302 itself is what we check
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    url = f"{base}/accounts/password-reset/"
    with opener.open(url, timeout=10) as response:
        page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not token:
        raise CheckFailed("no CSRF token on the password reset page")
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token[1], "email": EMAIL}).encode()
    request = urllib.request.Request(url, data=data, headers={"Referer": url})
    try:
        with opener.open(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:  # NoRedirect turns the 302 into an HTTPError
        return error.code


def check(python: Path, env: dict[str, str], processes: Processes, port: int) -> None:
    run(python, "manage.py", "migrate", "--no-input", "-v", "0", env=env)
    run(python, "manage.py", "collectstatic", "--no-input", "-v", "0", env=env)
    manage_shell(
        python, env,
        f"from socialrx.core.models import User; User.objects.create_user({EMAIL!r}, "
        "'not-used-here', full_name='Runtime Check')",
    )  # fmt: skip
    bin_dir = python.parent
    processes.start(
        "worker",
        [str(bin_dir / "celery"), "-A", "socialrx", "worker", "--loglevel=INFO",
         "--concurrency=1", f"--hostname=runtime-check-{os.getpid()}@%h",
         "--without-mingle", "--without-gossip"],
        env,
    )  # fmt: skip
    processes.start(
        "beat",
        [str(bin_dir / "celery"), "-A", "socialrx", "beat", "--loglevel=INFO",
         "--scheduler=django_celery_beat.schedulers:DatabaseScheduler", "--pidfile="],
        env,
    )  # fmt: skip
    processes.start(
        "gunicorn",
        [str(bin_dir / "gunicorn"), "socialrx.wsgi", f"--bind=127.0.0.1:{port}",
         "--workers=2", "--access-logfile=-"],
        env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"

    health = wait_for("/healthz 200", lambda: healthz(base), processes)
    if health.get("checks") != {"database": "ok", "cache": "ok", "broker": "ok"}:
        raise CheckFailed(f"/healthz: {health}")
    if health.get("debug"):
        raise CheckFailed("/healthz says DEBUG is on in production settings")
    log(f"/healthz 200: {health['checks']}")
    wait_for("worker ready", lambda: " ready." in processes.log("worker"), processes)

    status = ask_for_password_reset(base)
    if status != 302:
        raise CheckFailed(f"password reset form answered {status}, not 302")
    state = (
        "from socialrx.core.models import Notification as N; "
        f"n = N.objects.filter(recipient__email={EMAIL!r}, kind='password_reset').first(); "
        "print(n.status if n else 'none')"
    )
    wait_for(
        "the reset email marked sent by the worker",
        lambda: manage_shell(python, env, state).splitlines()[-1] == "sent",
        processes, timeout=TASK_TIMEOUT,
    )  # fmt: skip
    mail = "".join(p.read_text() for p in (Path(env["EMAIL_FILE_PATH"])).glob("*"))
    if f"To: {EMAIL}" not in mail:
        raise CheckFailed("the worker marked the email sent but wrote no mail")
    if "Task socialrx.core.tasks" not in processes.log("worker"):
        raise CheckFailed("the worker's log shows no task: who sent the email?")
    log("password reset: 302, email enqueued by the view and sent by the worker")

    schedule = (
        "from django_celery_beat.models import PeriodicTask; "
        "print(PeriodicTask.objects.filter(name='notifications-send-pending').count())"
    )
    wait_for(
        "beat's schedule in the database",
        lambda: manage_shell(python, env, schedule).splitlines()[-1] == "1",
        processes,
    )  # fmt: skip
    processes.assert_running()
    log("beat running with its schedule in the database; gunicorn and worker still up")


def main() -> int:
    admin_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not admin_url.startswith(("postgres://", "postgresql://")) or not redis_url:
        log("needs DATABASE_URL=postgres://... (an existing database; CREATEDB) and REDIS_URL")
        return 2
    parsed = urllib.parse.urlsplit(admin_url)
    db_name = os.environ.get("RUNTIME_DB_NAME") or f"{parsed.path.lstrip('/')}_runtime"
    database_url = urllib.parse.urlunsplit(parsed._replace(path=f"/{db_name}"))

    started = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix="socialrx-runtime-"))
    processes = Processes(scratch)
    python: Path | None = None
    # CI stops a run with SIGTERM: clean up then too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        python = build_runtime_venv(scratch / "venv")
        reset_database(python, admin_url, db_name, create=True)
        port = free_port()
        env = production_env(database_url, redis_url, port, scratch)
        check(python, env, processes, port)
    except CheckFailed as failure:
        log(f"FAILED: {failure}")
        for name in processes.started:
            tail = "\n".join(processes.log(name).splitlines()[-60:])
            log(f"----- {name} log (last 60 lines) -----\n{tail}")
        return 1
    finally:
        processes.stop_all()
        if python is not None:
            try:
                reset_database(python, admin_url, db_name, create=False)
            except CheckFailed as failure:
                log(f"could not drop {db_name}: {failure}")
        shutil.rmtree(scratch, ignore_errors=True)
        log(f"stopped everything it started; {time.monotonic() - started:.0f} s in all")
    log("passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""docker-compose.yml describes the production-like stack: web, worker, beat, PostgreSQL
and Redis, each healthy or waiting on healthy services, after a one-off migration."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
COMPOSE_FILE = BASE_DIR / "docker-compose.yml"
SERVICES = ("web", "worker", "beat", "postgres", "redis")


@pytest.fixture(scope="module")
def services() -> dict[str, dict]:
    return yaml.safe_load(COMPOSE_FILE.read_text())["services"]


def _command(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def test_the_five_services_exist(services):
    assert set(SERVICES) <= set(services)


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_is_healthchecked_or_waits_for_healthy_services(services, name):
    service = services[name]
    depends_on = service.get("depends_on") or {}
    waits_for_healthy = isinstance(depends_on, dict) and any(
        condition.get("condition") == "service_healthy" for condition in depends_on.values()
    )
    assert "healthcheck" in service or waits_for_healthy


def test_web_runs_gunicorn_and_is_checked_through_healthz(services):
    web = services["web"]
    assert _command(web).startswith("gunicorn socialrx.wsgi")
    assert "/healthz" in " ".join(web["healthcheck"]["test"])


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_app_services_start_after_a_successful_migration(services, name):
    assert services[name]["depends_on"]["migrate"] == {
        "condition": "service_completed_successfully"
    }
    assert "migrate" in _command(services["migrate"])


@pytest.mark.parametrize("name", ["web", "worker", "beat", "migrate"])
def test_app_services_run_with_production_settings(services, name):
    environment = services[name]["environment"]
    assert environment["DJANGO_DEBUG"] == "false"
    # Required, never defaulted: compose stops with a message when it is unset.
    assert environment["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?")
    assert environment["MFA_ENCRYPTION_KEY"].startswith("${MFA_ENCRYPTION_KEY:?")
    assert environment["DATABASE_URL"].startswith("postgres://")


def test_the_image_runs_as_an_unprivileged_user():
    users = [
        line.split()[1]
        for line in (BASE_DIR / "Dockerfile").read_text().splitlines()
        if line.startswith("USER ")
    ]
    assert users, "the Dockerfile sets a USER"
    assert users[-1] not in {"root", "0"}


def _compose_command() -> tuple[list[str], str]:
    """The compose CLI to validate with, or why there is none.

    `config` only parses, validates and interpolates: it needs no Docker engine. The
    compose plugin (`docker compose`) is preferred; Debian's `docker-compose` package
    (which .ci/run installs) validates against the same specification.
    """
    if shutil.which("docker"):
        version = subprocess.run(
            ["docker", "compose", "version"], capture_output=True, text=True, timeout=30,
            check=False,
        )  # fmt: skip
        if version.returncode == 0:
            return ["docker", "compose"], ""
    if shutil.which("docker-compose"):
        return ["docker-compose"], ""
    return [], "neither the docker compose plugin nor docker-compose is installed"


def test_docker_compose_accepts_the_file():
    command, reason = _compose_command()
    if reason:
        pytest.skip(f"cannot validate with compose: {reason}")
    result = subprocess.run(
        [*command, "--file", str(COMPOSE_FILE), "config", "--quiet"],
        cwd=BASE_DIR,
        env={**os.environ, "DJANGO_SECRET_KEY": "x" * 50, "MFA_ENCRYPTION_KEY": "x" * 44},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr

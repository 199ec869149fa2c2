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
    assert environment["DATABASE_URL"].startswith("postgres://")


def test_the_image_runs_as_an_unprivileged_user():
    users = [
        line.split()[1]
        for line in (BASE_DIR / "Dockerfile").read_text().splitlines()
        if line.startswith("USER ")
    ]
    assert users, "the Dockerfile sets a USER"
    assert users[-1] not in {"root", "0"}


def _docker_compose_works() -> str:
    """Why `docker compose config` cannot run here, or "" when it can."""
    if shutil.which("docker") is None:
        return "the docker client is not installed"
    version = subprocess.run(
        ["docker", "compose", "version"], capture_output=True, text=True, timeout=30, check=False
    )
    if version.returncode != 0:
        first_line = (version.stderr.strip().splitlines() or [""])[0]
        return f"the docker compose plugin is not available ({first_line})"
    return ""


def test_docker_compose_accepts_the_file():
    # `config` only parses and interpolates: it needs the compose plugin, not an engine.
    reason = _docker_compose_works()
    if reason:
        pytest.skip(f"cannot run `docker compose config`: {reason}")
    result = subprocess.run(
        ["docker", "compose", "--file", str(COMPOSE_FILE), "config", "--quiet"],
        cwd=BASE_DIR,
        env={**os.environ, "DJANGO_SECRET_KEY": "x" * 50},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr

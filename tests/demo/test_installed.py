"""The demo app is installed for development, tests and the bench, never in production.

Settings are read once per process, so each case starts a fresh ``manage.py``.
"""

import base64
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "MFA_ENCRYPTION_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    "DJANGO_ALLOWED_HOSTS": "socialrx.example",
    # Never connected to: `help` does not touch the database.
    "DATABASE_URL": "postgres://socialrx@127.0.0.1:5432/socialrx",
}


def _help(command: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    dotenv = BASE_DIR / ".env"
    if dotenv.is_file() and re.search(
        r"^\s*(export\s+)?SOCIALRX_DEMO\s*=", dotenv.read_text(), re.M
    ):
        pytest.skip("SOCIALRX_DEMO is set in .env, so it cannot be left unset here")
    return subprocess.run(
        [sys.executable, "manage.py", "help", command],
        cwd=BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "SOCIALRX_VAR_DIR": str(tmp_path), **PRODUCTION, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("command", ["seed_demo", "generate_synthetic"])
def test_production_has_no_demo_commands(tmp_path, command):
    result = _help(command, tmp_path)

    assert result.returncode != 0
    assert f"Unknown command: '{command}'" in result.stderr


def test_a_demonstration_site_turns_the_demo_app_on_with_debug_off(tmp_path):
    result = _help("seed_demo", tmp_path, SOCIALRX_DEMO="true")

    assert result.returncode == 0, result.stderr
    assert "Create Northshire demo organisations" in result.stdout


def test_the_bench_settings_install_the_demo_app_with_debug_off(tmp_path):
    result = _help("generate_synthetic", tmp_path, DJANGO_SETTINGS_MODULE="bench.settings")

    assert result.returncode == 0, result.stderr
    assert "--scale" in result.stdout


def test_the_test_suite_runs_with_the_demo_app():
    assert apps.is_installed("demo")

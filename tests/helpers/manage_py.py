"""``manage.py`` in a process of its own, with production settings and a chosen
environment: settings are read once per process (tests/core/test_settings.py)."""

import base64
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
# A production environment that passes the checks; each case unsets or overrides some.
SAFE = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "socialrx.example",
    "MFA_ENCRYPTION_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    # Never connected to: `check --deploy` does not touch the database.
    "DATABASE_URL": "postgres://socialrx@127.0.0.1:5432/socialrx",
}


def _defined_in_dotenv(name: str) -> bool:
    # settings.py reads .env for variables the environment lacks, so a developer's .env
    # could fill in a variable a case means to leave unset.
    dotenv = BASE_DIR / ".env"
    return dotenv.is_file() and bool(
        re.search(rf"^\s*(export\s+)?{name}\s*=", dotenv.read_text(), re.MULTILINE)
    )


def run_manage_py(
    tmp_path: Path, *args: str, unset: tuple[str, ...] = (), **env: str
) -> subprocess.CompletedProcess[str]:
    for name in unset:
        if _defined_in_dotenv(name):
            pytest.skip(f"{name} is set in .env, so it cannot be left unset here")
    environment = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "socialrx.settings",
        "DJANGO_DEBUG": "false",
        "SOCIALRX_VAR_DIR": str(tmp_path),
        **{name: value for name, value in SAFE.items() if name not in unset},
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

"""Starts the test OpenID Connect provider (provider.js, panva/oidc-provider under Node).

``make oidc-provider`` (run by ``make test``) installs it with ``npm ci``; a test that
needs it fails, saying so, if it is not installed.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

OIDC_DIR = Path(__file__).resolve().parent
CLIENT_ID = "socialrx-test"
CLIENT_SECRET = "test-client-secret-not-a-real-one"
CALLBACK_PATH = "/accounts/oidc/cis2/login/callback/"


@dataclass
class OidcProvider:
    issuer: str
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET

    def socialaccount_settings(self, **overrides: Any) -> dict[str, Any]:
        """SOCIALACCOUNT_PROVIDERS as settings.py builds it from the CIS2_* variables."""
        return {
            "openid_connect": {
                "OAUTH_PKCE_ENABLED": True,
                "APPS": [
                    {
                        "provider_id": "cis2",
                        "name": "NHS Care Identity Service 2",
                        "client_id": self.client_id,
                        "secret": self.client_secret,
                        "settings": {
                            "server_url": self.issuer,
                            "token_auth_method": "client_secret_post",
                            "scope": ["openid", "email", "profile"],
                            "auth_params": {"prompt": "login"},
                            **overrides,
                        },
                    }
                ],
            }
        }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_provider(
    *,
    redirect_uris: list[str],
    accounts: dict[str, dict[str, str]],
    post_logout_redirect_uris: Sequence[str] = (),
) -> Iterator[OidcProvider]:
    if not (OIDC_DIR / "node_modules" / "oidc-provider").is_dir():
        raise RuntimeError(
            "The test OpenID Connect provider is not installed: run make oidc-provider"
        )
    port = _free_port()
    env = {
        **os.environ,
        "OIDC_PORT": str(port),
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_REDIRECT_URIS": ",".join(redirect_uris),
        "OIDC_POST_LOGOUT_REDIRECT_URIS": ",".join(post_logout_redirect_uris),
        "OIDC_ACCOUNTS": json.dumps(accounts),
    }
    process = subprocess.Popen(
        ["node", str(OIDC_DIR / "provider.js")],
        cwd=OIDC_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    issuer = f"http://127.0.0.1:{port}"
    try:
        _wait_until_ready(process, issuer)
        yield OidcProvider(issuer=issuer)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_ready(process: subprocess.Popen[str], issuer: str) -> None:
    # Node takes a few seconds to start on a busy machine.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise RuntimeError(f"The test OpenID Connect provider stopped:\n{output}")
        try:
            if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise RuntimeError("The test OpenID Connect provider did not start within 60 seconds")

"""A local HTTP server that answers as Pwned Passwords' range API does
(``GET /range/{5 hex}``: lines of ``SUFFIX:COUNT``, padded with ``:0`` lines when asked
with ``Add-Padding: true``), for the breached-password validator's tests: the outside
service faked at its HTTP boundary, on a port of this helper's range (17000-17099).

It is told which passwords are breached and keeps every request (path and headers), so
a test can check what left the server. ``down`` makes it answer 503.
"""

from __future__ import annotations

import hashlib
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.helpers.http_fake import running

PORTS = range(17000, 17100)


@dataclass
class FakePwnedPasswords:
    url: str = ""
    breached: dict[str, int] = field(default_factory=dict)  # SHA-1 (upper hex) -> count
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    down: bool = False

    def breach(self, password: str, count: int = 3) -> None:
        self.breached[hashlib.sha1(password.encode()).hexdigest().upper()] = count

    def answer(self, prefix: str, padding: bool) -> str:
        lines = [
            f"{digest[5:]}:{count}"
            for digest, count in self.breached.items()
            if digest.startswith(prefix)
        ]
        if padding:
            # The real API pads every answer to between 800 and 1,000 lines with
            # suffixes of count 0; a few are enough to show they are not breaches.
            lines += [f"{index:035X}:0" for index in range(5)]
        return "\r\n".join(lines)


def _handler(fake: FakePwnedPasswords) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def do_GET(self) -> None:  # noqa: N802
            fake.requests.append((self.path, dict(self.headers.items())))
            prefix = self.path.removeprefix("/range/")
            if fake.down:
                status, body = 503, "Service Unavailable"
            elif len(prefix) != 5 or any(c not in "0123456789ABCDEFabcdef" for c in prefix):
                status, body = 400, "The hash prefix was not in a valid format"
            else:
                padding = self.headers.get("Add-Padding", "").lower() == "true"
                status, body = 200, fake.answer(prefix.upper(), padding)
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _server(fake: FakePwnedPasswords) -> ThreadingHTTPServer:
    for port in PORTS:
        try:
            return ThreadingHTTPServer(("127.0.0.1", port), _handler(fake))
        except OSError:
            continue
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


@contextmanager
def serve() -> Iterator[FakePwnedPasswords]:
    fake = FakePwnedPasswords()
    server = _server(fake)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    with running(server):
        yield fake


def a_closed_port() -> int:
    """A port in the range that nothing listens on (the service unreachable)."""
    for port in PORTS:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("every port in the range is in use")

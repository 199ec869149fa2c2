"""Real faults for tests: the service's own code is not mocked."""

import socket
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections
from django.db.utils import load_backend


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def database_down() -> Iterator[None]:
    """This thread's default connection points at a PostgreSQL port nothing listens on:
    every query fails in the driver, as when the database server is down."""
    original = connections["default"]
    settings_dict = {
        **original.settings_dict,
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "127.0.0.1",
        "PORT": str(_closed_port()),
        "NAME": "socialrx_outage",
        "USER": "socialrx",
        "PASSWORD": "",
        "OPTIONS": {"connect_timeout": 2},
        "CONN_MAX_AGE": 0,
    }
    unreachable = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "default")
    connections["default"] = unreachable
    try:
        yield
    finally:
        unreachable.close()
        connections["default"] = original

"""Request ids for logs and audit entries.

Each request gets an id (from the ``X-Request-ID`` header when a proxy sets a sane one,
otherwise a new one). Log lines carry it so one request's lines can be found together;
log messages carry ids, never names or other personal data.
"""

import logging
from contextvars import ContextVar

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    return _request_id.get()


def set_request_id(value: str | None) -> object:
    return _request_id.set(value)


def reset_request_id(token: object) -> None:
    _request_id.reset(token)  # type: ignore[arg-type]


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get() or "-"
        return True

"""A local HTTP server that answers as GOV.UK Notify's API does, for the tests: the
outside boundary, faked at HTTP so that our backend and Notify's own Python client run
for real (JSON Web Token signed with the API key, JSON bodies, Notify's error shape).

It knows the templates it is told of (id -> the fields each needs), checks the token,
the address fields and the personalisation as Notify documents them, and keeps every
request it accepted. ``fail_with`` makes it answer the next requests with an error.
It answers ``GET /v2/notifications/<id>`` for the messages it accepted, with the status
a test gives (``statuses``; "sending" until then), and 404 for any other id.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from notifications_python_client.authentication import decode_jwt_token
from notifications_python_client.errors import TokenError

from tests.helpers.http_fake import running

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"socialrx_test-{SERVICE_ID}-{SECRET}"

REQUIRED = {
    "email": ("email_address",),
    "sms": ("phone_number",),
    "letter": (),
}


@dataclass
class Sent:
    channel: str
    body: dict[str, Any]

    @property
    def template_id(self) -> str:
        return str(self.body["template_id"])

    @property
    def personalisation(self) -> dict[str, Any]:
        return dict(self.body.get("personalisation") or {})


@dataclass
class FakeNotify:
    url: str
    # template id -> (channel, the fields the template uses)
    templates: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    sent: list[Sent] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)
    # Notify's id -> (our reference, channel) of each message accepted
    accepted: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Notify's id -> its status now, as a test sets it
    statuses: dict[str, str] = field(default_factory=dict)
    # Notify's ids asked about, in order
    asked: list[str] = field(default_factory=list)

    def fail_with(self, *statuses: int) -> None:
        self.failures.extend(statuses)


def _error(status: int, kind: str, message: str) -> dict[str, Any]:
    return {"status_code": status, "errors": [{"error": kind, "message": message}]}


def _handler(fake: FakeNotify) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # quiet test output

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _refused(self) -> bool:
            """Answered an error already: a bad token, or a failure the test asked for."""
            token = self.headers.get("Authorization", "").removeprefix("Bearer ")
            try:
                decode_jwt_token(token, SECRET)
            except TokenError as error:
                self._answer(403, _error(403, "AuthError", error.message))
                return True
            if fake.failures:
                status = fake.failures.pop(0)
                self._answer(status, _error(status, "Exception", "Internal server error"))
                return True
            return False

        def do_GET(self) -> None:  # noqa: N802
            notification_id = self.path.removeprefix("/v2/notifications/")
            if self._refused():
                return None
            fake.asked.append(notification_id)
            if notification_id not in fake.accepted:
                return self._answer(404, _error(404, "NoResultFound", "No result found"))
            reference, channel = fake.accepted[notification_id]
            status = fake.statuses.get(notification_id, "sending")
            final = status not in ("created", "sending", "pending", "accepted")
            return self._answer(
                200,
                {
                    "id": notification_id,
                    "reference": reference,
                    "type": channel,
                    "status": status,
                    "created_at": "2026-12-01T09:00:00.000000Z",
                    "sent_at": "2026-12-01T09:00:01.000000Z",
                    "completed_at": "2026-12-01T09:05:00.000000Z" if final else None,
                },
            )

        def do_POST(self) -> None:  # noqa: N802
            channel = self.path.removeprefix("/v2/notifications/")
            if channel not in REQUIRED:
                return self._answer(404, _error(404, "NotFound", "Not found"))
            if self._refused():
                return None
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            problem = _check(fake, channel, body)
            if problem:
                return self._answer(400, _error(400, "BadRequestError", problem))
            fake.sent.append(Sent(channel, body))
            notification_id = str(uuid.uuid4())
            fake.accepted[notification_id] = (body.get("reference") or "", channel)
            return self._answer(
                201,
                {
                    "id": notification_id,
                    "reference": body.get("reference"),
                    "content": {"body": "(rendered by Notify)", "subject": "(subject)"},
                    "uri": f"{fake.url}/v2/notifications/{notification_id}",
                    "template": {
                        "id": body["template_id"],
                        "version": 1,
                        "uri": f"{fake.url}/v2/template/{body['template_id']}",
                    },
                },
            )

    return Handler


def _check(fake: FakeNotify, channel: str, body: dict[str, Any]) -> str:
    """What Notify would refuse in this request, or ""."""
    template = fake.templates.get(str(body.get("template_id")))
    if template is None or template[0] != channel:
        return "template_id is not a valid UUID" if template is None else "Template not found"
    for name in REQUIRED[channel]:
        if not body.get(name):
            return f"{name} is a required property"
    personalisation = body.get("personalisation") or {}
    if channel == "sms" and not body["phone_number"].replace(" ", "").lstrip("+0").startswith(
        ("7", "447")
    ):
        return "Not a UK mobile number"
    if channel == "letter":
        lines = [k for k in personalisation if k.startswith("address_line_")]
        if len(lines) < 3:
            return "Address must be at least 3 lines"
    missing = [name for name in template[1] if name not in personalisation]
    if missing:
        return f"Missing personalisation: {', '.join(missing)}"
    return ""


def serve() -> Iterator[FakeNotify]:
    """Run the fake on a free port in a thread for as long as the generator is open."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(FakeNotify(url="")))
    fake = FakeNotify(url=f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = _handler(fake)
    with running(server):
        yield fake


def templates_from_catalogue() -> tuple[dict[str, str], dict[str, tuple[str, tuple[str, ...]]]]:
    """A Notify template for every message, channel and language of ours, as an
    administrator would set them up from ``templates/messages``: the ids file
    (NOTIFY_TEMPLATE_IDS) and what the fake knows of each (the fields its words use)."""
    import re

    from socialrx.core import messages

    ids: dict[str, str] = {"staff_email": str(uuid.uuid4())}
    known: dict[str, tuple[str, tuple[str, ...]]] = {
        ids["staff_email"]: ("email", ("subject", "body"))
    }
    for language in messages.languages():
        for key, table in messages.catalogue(language).items():
            if key == "meta":
                continue
            for channel, text in (
                ("email", table["subject"] + table["body"]),
                ("letter", table["subject"] + table["body"]),
                ("sms", table["sms"]),
            ):
                template_id = str(uuid.uuid4())
                ids[f"{key}.{channel}.{language}"] = template_id
                fields = tuple(sorted(set(re.findall(r"\(\(([a-z_]+)", text))))
                known[template_id] = (channel, fields)
    return ids, known

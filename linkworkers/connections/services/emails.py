"""The connection clock's emails: references, dates and links only; the person's details
stay behind the sign-in."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.template import loader
from django.urls import reverse

from linkworkers.models import Connection
from socialrx.core.links import absolute_url
from socialrx.core.models import User
from socialrx.core.services import notification_queue


@dataclass(frozen=True)
class NudgeLine:
    reference: str
    referred_at: datetime.datetime
    url: str

    @classmethod
    def of(cls, connection: Connection) -> NudgeLine:
        return cls(
            f"Connection {connection.pk} to {connection.service.name}",
            connection.referred_at,  # type: ignore[arg-type]
            absolute_url(reverse("linkworkers:vcse_connection", args=[connection.pk])),
        )


@dataclass(frozen=True)
class NoResponseLine:
    reference: str
    url: str

    @classmethod
    def of(cls, connection: Connection) -> NoResponseLine:
        return cls(
            f"Case {connection.case.reference}: connection {connection.pk}",
            absolute_url(reverse("linkworkers:case_connections", args=[connection.case_id])),
        )


def _email(*, recipient: User, kind: str, template: str, context: dict[str, object]) -> None:
    if not recipient.is_active or not recipient.email:
        return
    base = f"linkworkers/connections/email/{template}"
    subject = " ".join(loader.render_to_string(f"{base}_subject.txt", context).split())
    notification_queue(
        to_email=recipient.email,
        kind=kind,
        subject=subject,
        body_text=loader.render_to_string(f"{base}_body.txt", context),
        recipient=recipient,
    )


def service_nudge_email(*, recipient: User, lines: list[NudgeLine]) -> None:
    _email(
        recipient=recipient, kind="connection_nudge", template="nudge",
        context={
            "lines": lines, "count": len(lines),
            "nudge_days": settings.CONNECTIONS_NUDGE_WORKING_DAYS,
            "deadline_days": settings.CONNECTIONS_NO_RESPONSE_WORKING_DAYS,
        },
    )  # fmt: skip


def no_response_email(*, recipient: User, lines: list[NoResponseLine]) -> None:
    _email(
        recipient=recipient, kind="connection_no_response", template="no_response",
        context={
            "lines": lines, "count": len(lines),
            "deadline_days": settings.CONNECTIONS_NO_RESPONSE_WORKING_DAYS,
        },
    )  # fmt: skip

"""Messages to the person, sent by a real Celery worker: through a real SMTP server
(aiosmtpd, in this process) and through GOV.UK Notify (a local server that answers as
its API does). Needs PostgreSQL and Redis (see conftest.py); ``.ci/run`` provides both.
"""

from __future__ import annotations

import email
import email.policy
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from referrals import codes
from referrals.services import referral_submit
from referrals.services.intake import PersonInput, ReferralInput
from socialrx.core.models import Notification
from tests import notify_fake
from tests.helpers.mail import wait_until_sent
from tests.referrals.factories import TriageRouteFactory

pytestmark = pytest.mark.integration


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def route(practice, link_worker_service, link_worker_team):
    return TriageRouteFactory(
        practice=practice, service=link_worker_service, default_team=link_worker_team
    )


def _submit(referrer, practice, **person: Any):
    data = ReferralInput(
        person=PersonInput(
            given_name="Łukasz",
            family_name="Wójcik-Şahin",
            date_of_birth=timezone.localdate().replace(year=1960),
            postcode="NN1 1AA",
            registered_practice_id=practice.pk,
            **person,
        ),
        reasons=(codes.Reason.LONELINESS,),
        consent_to_referral=True,
        consent_to_share=True,
        consent_recorded_on=timezone.localdate(),
        consent_recorded_by="Dr Test",
        source=codes.ReferralSource.GP,
        what_matters="Company.",
        contact_consent=True,
    )
    return referral_submit(data=data, referrer=referrer, organisation=practice).referral


def test_the_worker_emails_the_person_in_polish_through_a_real_smtp_server(
    celery_processes, smtp_server, referrer, practice, route
):
    inbox, port = smtp_server
    celery_processes(
        "worker",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        NOTIFICATION_BACKEND="smtp",
    )

    referral = _submit(referrer, practice, email="lukasz@person.example", language="Polish")
    notification = Notification.objects.get(kind="person_referral_received")
    wait_until_sent(notification)

    to_person = [m for m in inbox.messages if m["To"] == "lukasz@person.example"]
    assert len(to_person) == 1
    message = to_person[0]
    assert message["Subject"] == f"Twoje skierowanie do {route.service.name} dotarło"
    assert message["Content-Language"] == "pl"
    body = message.get_content()
    assert "Dzień dobry Łukasz" in body
    assert referral.reference in body
    assert "Wójcik" not in body, "the given name only"


def test_the_worker_texts_the_person_through_notify(
    celery_processes, tmp_path: Path, settings, referrer, practice, route
):
    ids, known = notify_fake.templates_from_catalogue()
    templates_file = tmp_path / "notify-templates.json"
    templates_file.write_text(json.dumps(ids))
    for fake in notify_fake.serve():
        fake.templates = known
        # The web process chooses the channel (a text needs Notify), the worker sends.
        settings.NOTIFICATION_BACKEND = "notify"
        celery_processes(
            "worker",
            NOTIFICATION_BACKEND="notify",
            NOTIFY_API_KEY=notify_fake.API_KEY,
            NOTIFY_BASE_URL=fake.url,
            NOTIFY_TEMPLATES_FILE=str(templates_file),
        )
        referral = _submit(
            referrer,
            practice,
            phone="07700 900123",
            preferred_contact_method=codes.ContactMethod.TEXT,
            language="Urdu",
        )
        notification = Notification.objects.get(kind="person_referral_received")
        wait_until_sent(notification)

        [sent] = fake.sent
        assert sent.channel == "sms"
        assert sent.template_id == ids["referral_received.sms.ur"]
        assert sent.personalisation["reference"] == referral.reference
        notification.refresh_from_db()
        assert notification.provider_reference
        assert notification.personalisation == {}

"""Where notifications go: SMTP (email only) or GOV.UK Notify (email, text and letter),
chosen by ``NOTIFICATION_BACKEND``. ``socialrx.core.services.notification_send`` claims a
notification, hands it to the backend, and records what came back; a backend only sends.

Two kinds of failure, kept apart because the retry policy treats them differently: the
provider could not be reached or was busy (``ProviderUnavailable``, an ``OSError`` as
SMTP's errors are, so the task retries with backoff), or it refused this message for
good (``Undeliverable``: a number that is not a mobile, a template it does not know),
which sending again would not change.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from socialrx.core import messages
from socialrx.core.models import Notification, NotificationChannel

# The Notify template of a free-text email (to staff): its subject and body are the
# fields ((subject)) and ((body)), the pattern GOV.UK services use for such messages.
STAFF_EMAIL_TEMPLATE = "staff_email"
# Our reference on each message Notify sends ("socialrx-<our id>"); its receipts carry it.
REFERENCE_PREFIX = "socialrx-"


class ProviderUnavailable(OSError):
    """Not sent this time; worth trying again later."""


class Undeliverable(Exception):
    """Refused for good; never retried."""


class Backend(Protocol):
    channels: frozenset[str]

    def send(self, notification: Notification) -> str:
        """Send it; return the provider's id for it ("" when it gives none)."""
        ...


class SmtpBackend:
    """Email through Django's mail backend (``EMAIL_BACKEND``, an SMTP server in
    production). Template messages are rendered from our files (``messages``)."""

    channels: frozenset[str] = frozenset({NotificationChannel.EMAIL})

    def send(self, notification: Notification) -> str:
        if notification.channel != NotificationChannel.EMAIL:
            raise Undeliverable(f"The SMTP backend sends no {notification.channel}")
        subject, body = notification.subject, notification.body_text
        headers = {}
        if notification.template_key:
            message = messages.message(notification.template_key, notification.language)
            subject = messages.fill(message.subject, notification.personalisation)
            body = messages.fill(message.body, notification.personalisation)
            headers["Content-Language"] = notification.language
        email = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.to_email],
            headers=headers,
        )
        if notification.body_html:
            email.attach_alternative(notification.body_html, "text/html")
        email.send()
        return ""


def notify_template_key(notification: Notification) -> str:
    """How ``NOTIFY_TEMPLATES_FILE`` names the Notify template of a notification:
    ``referral_received.sms.pl``, or ``staff_email`` for free text."""
    if not notification.template_key:
        return STAFF_EMAIL_TEMPLATE
    return f"{notification.template_key}.{notification.channel}.{notification.language}"


class NotifyBackend:
    """GOV.UK Notify's API through its Python client (``NOTIFY_API_KEY``,
    ``NOTIFY_BASE_URL``). Each message is a Notify template; we send its id and the
    fields, and Notify keeps the words. Our reference is the notification's id."""

    channels: frozenset[str] = frozenset(NotificationChannel.values)

    def send(self, notification: Notification) -> str:
        key = notify_template_key(notification)
        template_id = settings.NOTIFY_TEMPLATE_IDS.get(key)
        if not template_id:
            raise Undeliverable(f"No Notify template id for {key} in NOTIFY_TEMPLATES_FILE")
        if notification.template_key:
            personalisation: dict[str, Any] = dict(notification.personalisation)
        else:
            personalisation = {"subject": notification.subject, "body": notification.body_text}
        client = notify_client()
        reference = f"{REFERENCE_PREFIX}{notification.pk}"
        try:
            response = _post(client, notification, template_id, personalisation, reference)
        except HTTPError as error:
            # 5xx, 429 (rate limited) and no answer at all (the client says 503) pass;
            # any other 4xx is about this message, and would be refused again.
            if error.status_code >= 500 or error.status_code == 429:
                raise ProviderUnavailable(f"GOV.UK Notify: {error}") from error
            raise Undeliverable(f"GOV.UK Notify: {error}") from error
        return str(response["id"])


def notify_client() -> NotificationsAPIClient:
    """GOV.UK Notify's own client, from the settings."""
    return NotificationsAPIClient(
        settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL, timeout=settings.NOTIFY_TIMEOUT
    )


def _post(
    client: NotificationsAPIClient,
    notification: Notification,
    template_id: str,
    personalisation: dict[str, Any],
    reference: str,
) -> dict[str, Any]:
    if notification.channel == NotificationChannel.SMS:
        return client.send_sms_notification(
            phone_number=notification.to_phone,
            template_id=template_id,
            personalisation=personalisation,
            reference=reference,
        )
    if notification.channel == NotificationChannel.LETTER:
        return client.send_letter_notification(
            template_id=template_id, personalisation=personalisation, reference=reference
        )
    return client.send_email_notification(
        email_address=notification.to_email,
        template_id=template_id,
        personalisation=personalisation,
        reference=reference,
    )


BACKENDS: dict[str, type[SmtpBackend] | type[NotifyBackend]] = {
    "smtp": SmtpBackend,
    "notify": NotifyBackend,
}


def backend() -> Backend:
    return BACKENDS[settings.NOTIFICATION_BACKEND]()


def channels() -> frozenset[str]:
    """The channels the configured backend can send on."""
    return BACKENDS[settings.NOTIFICATION_BACKEND].channels

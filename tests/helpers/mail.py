"""Waiting for the real Celery worker's email (integration tests): the notification row
turns sent, and the file-based backend's files hold the message."""

import email
import time
from collections import Counter
from pathlib import Path

import pytest

from socialrx.core.models import Notification, NotificationStatus

# Long enough for a cold worker on a busy CI machine; a healthy run takes a second or two.
SENT_TIMEOUT_SECONDS = 60


def wait_until_sent(notification: Notification, *, timeout: float = SENT_TIMEOUT_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        notification.refresh_from_db()
        if notification.status == NotificationStatus.SENT:
            return
        time.sleep(0.2)
    pytest.fail(
        f"notification {notification.pk} still {notification.status!r} after {timeout}s "
        f"(attempts={notification.attempts}, last_error={notification.last_error!r})"
    )


def sent_mail(tmp_path: Path) -> str:
    # The file-based backend writes one file per connection into EMAIL_FILE_PATH.
    return "".join(path.read_text() for path in sorted((tmp_path / "mail").glob("*")))


def mail_recipients(mail_dir: Path) -> Counter[str]:
    """How many emails each address was sent (the file backend's messages)."""
    sent: Counter[str] = Counter()
    for path in sorted(mail_dir.glob("*")) if mail_dir.exists() else []:
        # One file per connection, messages separated by a line of dashes.
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                sent[email.message_from_string(chunk.strip())["To"]] += 1
    return sent

"""Notifications through GOV.UK Notify (a local server that answers as its API does) and
through SMTP (Django's mail outbox here; a real SMTP server in tests/integration)."""

from __future__ import annotations

import pytest
from django.core import mail

from socialrx.core import messages
from socialrx.core.models import Notification, NotificationChannel, NotificationStatus
from socialrx.core.services import (
    notification_queue,
    notification_queue_message,
    notification_send,
)
from tests import notify_fake

FIELDS = {"name": "Łukasz", "reference": "SRX-123", "service": "Northshire Social Prescribing"}


def _queue(channel: str, language: str = "en", **extra) -> Notification:
    fields = FIELDS | {"interpreter": "no"} | extra.pop("fields", {})
    return notification_queue_message(
        kind="person_referral_received",
        template_key="referral_received",
        language=language,
        personalisation=fields,
        channel=channel,
        **extra,
    )


@pytest.mark.django_db
def test_a_text_goes_to_notify_as_its_template_and_is_recorded(notify, settings):
    notification = _queue(NotificationChannel.SMS, "pl", to_phone="07700 900123")
    assert notification_send(notification_id=notification.pk)

    sent = notify.sent[-1]
    assert sent.channel == "sms"
    assert sent.template_id == settings.NOTIFY_TEMPLATE_IDS["referral_received.sms.pl"]
    assert sent.body["phone_number"] == "07700 900123"
    assert sent.body["reference"] == f"socialrx-{notification.pk}"
    assert sent.personalisation == FIELDS | {"interpreter": "no"}
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.provider_reference  # Notify's id for it
    assert notification.personalisation == {}  # the details do not linger


@pytest.mark.django_db
def test_email_and_letter_templates(notify, settings):
    email = _queue(NotificationChannel.EMAIL, "ur", to_email="person@example.org")
    address = {
        "address_line_1": "Łukasz Nowak",
        "address_line_2": "1 High St",
        "address_line_3": "NN1 1AA",
    }
    letter = _queue(NotificationChannel.LETTER, fields=address)
    assert notification_send(notification_id=email.pk)
    assert notification_send(notification_id=letter.pk)
    assert [s.channel for s in notify.sent] == ["email", "letter"]
    assert notify.sent[0].template_id == settings.NOTIFY_TEMPLATE_IDS["referral_received.email.ur"]
    assert notify.sent[1].personalisation["address_line_3"] == "NN1 1AA"


@pytest.mark.django_db
def test_staff_email_goes_through_the_plain_template(notify, settings):
    notification = notification_queue(
        to_email="worker@example.org",
        kind="referral_assigned",
        subject="Accepted",
        body_text="Link",
    )
    assert notification_send(notification_id=notification.pk)
    assert notify.sent[0].template_id == settings.NOTIFY_TEMPLATE_IDS["staff_email"]
    assert notify.sent[0].personalisation == {"subject": "Accepted", "body": "Link"}


@pytest.mark.django_db
def test_a_message_notify_refuses_is_rejected_and_never_retried(notify):
    notification = _queue(NotificationChannel.SMS, to_phone="01632 960001")  # a landline
    assert notification_send(notification_id=notification.pk) is False
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.REJECTED
    assert "Not a UK mobile number" in notification.last_error
    assert not Notification.objects.pending().filter(pk=notification.pk).exists()
    assert notify.sent == []


@pytest.mark.django_db
def test_notify_down_is_a_failure_the_task_retries(notify):
    notify.fail_with(500)
    notification = _queue(NotificationChannel.SMS, to_phone="07700 900123")
    with pytest.raises(OSError, match="500"):
        notification_send(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED
    assert Notification.objects.pending().filter(pk=notification.pk).exists()
    # The next try goes through.
    assert notification_send(notification_id=notification.pk)
    assert len(notify.sent) == 1


@pytest.mark.django_db
def test_a_template_without_an_id_is_rejected_with_its_name(notify, settings):
    del settings.NOTIFY_TEMPLATE_IDS["referral_received.sms.pl"]
    notification = _queue(NotificationChannel.SMS, "pl", to_phone="07700 900123")
    assert notification_send(notification_id=notification.pk) is False
    notification.refresh_from_db()
    assert "referral_received.sms.pl" in notification.last_error


@pytest.mark.django_db
def test_a_wrong_api_key_is_refused_by_notify(notify, settings):
    settings.NOTIFY_API_KEY = (
        f"wrong-{notify_fake.SERVICE_ID}-{'0' * 8}-{'0' * 4}-{'0' * 4}-{'0' * 4}-{'0' * 12}"
    )
    notification = _queue(NotificationChannel.SMS, to_phone="07700 900123")
    assert notification_send(notification_id=notification.pk) is False
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.REJECTED
    assert "403" in notification.last_error


# --- SMTP -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_smtp_renders_our_template_in_the_persons_language():
    notification = _queue(NotificationChannel.EMAIL, "pl", to_email="person@example.org")
    assert notification_send(notification_id=notification.pk)
    sent = mail.outbox[-1]
    assert sent.subject == "Twoje skierowanie do Northshire Social Prescribing dotarło"
    assert "Dzień dobry Łukasz" in sent.body
    assert "SRX-123" in sent.body
    assert sent.extra_headers["Content-Language"] == "pl"


@pytest.mark.django_db
def test_smtp_english_fallback_says_an_interpreter_will_call():
    notification = _queue(
        NotificationChannel.EMAIL, to_email="person@example.org", fields={"interpreter": "yes"}
    )
    notification_send(notification_id=notification.pk)
    assert "An interpreter will call you" in mail.outbox[-1].body
    plain = _queue(NotificationChannel.EMAIL, to_email="person@example.org")
    notification_send(notification_id=plain.pk)
    assert "interpreter" not in mail.outbox[-1].body
    assert "\n\n\n" not in mail.outbox[-1].body


@pytest.mark.django_db
def test_smtp_cannot_send_a_text():
    notification = _queue(NotificationChannel.SMS, to_phone="07700 900123")
    assert notification_send(notification_id=notification.pk) is False
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.REJECTED


# --- the translations -------------------------------------------------------------------


def _fields(text: str) -> set[str]:
    import re

    return set(re.findall(r"\(\(([a-z_]+)\)\)", text))


@pytest.mark.parametrize("language", ["pl", "ur"])
def test_each_translation_has_every_message_with_the_same_fields_and_a_reviewer_note(language):
    english = messages.catalogue("en")
    translated = messages.catalogue(language)
    assert set(translated) == set(english)
    assert translated["meta"]["reviewed_by"].strip()
    for key, table in english.items():
        if key == "meta":
            continue
        for part in ("subject", "body", "sms"):
            assert _fields(translated[key][part]) == _fields(table[part]), (key, part)


@pytest.mark.parametrize(
    ("recorded", "language", "interpreter"),
    [
        ("", "en", False),
        ("English", "en", False),
        ("Polish, interpreter needed", "pl", False),
        ("polski", "pl", False),
        ("Urdu", "ur", False),
        ("Tigrinya", "en", True),
    ],
)
def test_the_language_written_in(recorded, language, interpreter):
    assert messages.language_for(recorded) == messages.Choice(language, interpreter)


def test_an_unreviewed_translation_is_written_only_where_drafts_are_allowed(settings):
    assert messages.catalogue("pl")["meta"]["reviewed"] is False  # no translator yet
    settings.NOTIFICATION_UNREVIEWED_TRANSLATIONS = False
    assert messages.language_for("Polish") == messages.Choice("en", interpreter=True)
    assert messages.language_for("English") == messages.Choice("en", interpreter=False)
    settings.NOTIFICATION_UNREVIEWED_TRANSLATIONS = True
    assert messages.language_for("Polish") == messages.Choice("pl", interpreter=False)


def test_a_reviewed_translation_is_written_with_drafts_off(settings, tmp_path):
    source = settings.NOTIFICATION_MESSAGES_DIR
    (tmp_path / "en.toml").write_bytes((source / "en.toml").read_bytes())
    polish = (source / "pl.toml").read_text(encoding="utf-8")
    reviewed = polish.replace("reviewed = false", "reviewed = true")
    assert reviewed != polish
    (tmp_path / "pl.toml").write_text(reviewed, encoding="utf-8")
    settings.NOTIFICATION_MESSAGES_DIR = tmp_path
    settings.NOTIFICATION_UNREVIEWED_TRANSLATIONS = False
    assert messages.language_for("Polish") == messages.Choice("pl", interpreter=False)
    assert messages.language_for("Urdu") == messages.Choice("en", interpreter=True)


def test_a_missing_field_is_an_error_as_in_notify():
    with pytest.raises(messages.MessageError, match="Missing personalisation: reference"):
        messages.fill("Ref ((reference))", {})

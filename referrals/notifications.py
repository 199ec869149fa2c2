"""Referral messages: one function per message type, all through core's notification queue.

Emails to professionals carry a link and the reference only, never personal data: email
leaves our control. The person referred is told how their referral goes (received,
accepted, declined, expired; a service that cannot take them, from linkworkers) only if
they agreed to be: by email, text or letter as they prefer and the backend allows
(SMTP or GOV.UK Notify, ADR 0022), in their language where we have it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.template import loader
from django.urls import reverse

from referrals import codes
from referrals.models import Person, Referral
from socialrx.core import messages, notification_backends
from socialrx.core.links import absolute_url
from socialrx.core.models import Membership, Notification, NotificationChannel, Role, User
from socialrx.core.services import notification_queue, notification_queue_message

# The events a referrer is told about, and how the subject line puts it.
REFERRER_EVENTS: dict[str, str] = {
    codes.EventKind.ASSIGNED: "accepted",
    codes.EventKind.DECLINED: "declined",
    codes.EventKind.EXPIRED: "declined",
    codes.EventKind.CLOSED: "closed",
    codes.EventKind.INFO_REQUESTED: "needs more information",
}


def _render(template: str, context: dict[str, object]) -> tuple[str, str]:
    subject = loader.render_to_string(f"referrals/email/{template}_subject.txt", context)
    body = loader.render_to_string(f"referrals/email/{template}_body.txt", context)
    return " ".join(subject.split()), body


def referral_url(referral: Referral) -> str:
    return absolute_url(reverse("referrals:detail", args=[referral.pk]))


def referrer_status_changed(*, referral: Referral, kind: str) -> None:
    """Tell the referrer what happened, by link only."""
    referrer = referral.referrer
    if referrer is None or not referrer.is_active or kind not in REFERRER_EVENTS:
        return
    subject, body = _render(
        "referrer_status",
        {
            "reference": referral.reference,
            "what": REFERRER_EVENTS[kind],
            "url": referral_url(referral),
        },
    )
    notification_queue(
        to_email=referrer.email,
        kind=f"referral_{kind}",
        subject=subject,
        body_text=body,
        recipient=referrer,
    )


# What the person referred is told, and the message (templates/messages/*.toml) for it.
PERSON_MESSAGES: dict[str, str] = {
    codes.EventKind.SUBMITTED: "referral_received",
    codes.EventKind.ASSIGNED: "referral_accepted",
    codes.EventKind.DECLINED: "referral_declined",
    codes.EventKind.EXPIRED: "referral_expired",
}
# How each contact preference is best met in writing: a phone call's number takes a text.
PREFERRED_CHANNEL: dict[str, str] = {
    codes.ContactMethod.EMAIL: NotificationChannel.EMAIL,
    codes.ContactMethod.TEXT: NotificationChannel.SMS,
    codes.ContactMethod.PHONE: NotificationChannel.SMS,
    codes.ContactMethod.LETTER: NotificationChannel.LETTER,
}
FALLBACK_ORDER = (NotificationChannel.EMAIL, NotificationChannel.SMS, NotificationChannel.LETTER)
_UK_MOBILE = re.compile(r"^(?:\+44|0044|0)7\d{9}$")
# GOV.UK Notify takes up to seven address lines, the last the postcode.
LETTER_LINES = 7


def is_mobile(phone: str) -> bool:
    return bool(_UK_MOBILE.match(re.sub(r"[\s()-]", "", phone or "")))


def _reachable(person: Person, channel: str) -> bool:
    if channel == NotificationChannel.EMAIL:
        return bool(person.email)
    if channel == NotificationChannel.SMS:
        return is_mobile(person.phone)
    return bool(person.address.strip() and person.postcode)


def person_channel(person: Person) -> str | None:
    """How to write to the person: their preference if it can be met with the details
    held and the backend in use, else the first that can (email, text, letter); None
    for contact through their GP practice, or when nothing can be."""
    if person.preferred_contact_method == codes.ContactMethod.GP_PRACTICE:
        return None
    preferred = PREFERRED_CHANNEL.get(person.preferred_contact_method)
    order = ([preferred] if preferred else []) + list(FALLBACK_ORDER)
    available = notification_backends.channels()
    return next((c for c in order if c in available and _reachable(person, c)), None)


def letter_address(person: Person) -> dict[str, str]:
    """Notify's address lines: the name, the address (as written), the postcode last."""
    lines = [line.strip() for line in re.split(r"[\n,]", person.address) if line.strip()]
    lines = [person.full_name, *lines[: LETTER_LINES - 2], person.postcode]
    return {f"address_line_{i}": line for i, line in enumerate(lines, start=1)}


def person_told(*, referral: Referral, message: str) -> Notification | None:
    """Tell the person about their referral, if they agreed to be told: in their
    language where we have it (else English, saying an interpreter will call), by the
    channel they prefer. The fields name them, the reference and our service: never a
    reason, a need or another service."""
    person = referral.person
    channel = person_channel(person) if referral.contact_consent else None
    if channel is None:
        return None
    choice = messages.language_for(person.language)
    interpreter = choice.interpreter or (
        person.interpreter_needed and choice.language == messages.ENGLISH
    )
    personalisation = {
        "name": person.given_name,
        "reference": referral.reference,
        "service": referral.triage_service.name,
        "interpreter": "yes" if interpreter else "no",
    }
    if channel == NotificationChannel.LETTER:
        personalisation |= letter_address(person)
    return notification_queue_message(
        kind=f"person_{message}",
        template_key=message,
        language=choice.language,
        personalisation=personalisation,
        channel=channel,
        to_email=person.email,
        to_phone=person.phone,
        about=referral,
    )


def person_status_changed(*, referral: Referral, kind: str) -> None:
    """The person's side of a status change the referrer is told about."""
    if (
        kind == codes.EventKind.DECLINED
        and referral.decline_reason == codes.DeclineReason.NO_CONSENT
    ):
        return  # they said no themselves: nothing to tell them
    if kind in PERSON_MESSAGES:
        person_told(referral=referral, message=PERSON_MESSAGES[kind])


@dataclass(frozen=True)
class AlertLine:
    """One referral in a reminder: its reference, since when, and where to act on it."""

    reference: str
    since: datetime.datetime
    url: str


def staff_alert(*, recipient: User, reason: str, lines: list[AlertLine]) -> None:
    """One reminder email to one member of staff, listing every referral it is about.

    References, dates and links only: the people's details stay behind the sign-in.
    """
    if not lines or not recipient.is_active or not recipient.email:
        return
    subject, body = _render(
        f"alert_{reason}",
        {
            "lines": lines,
            "count": len(lines),
            "triage_days": settings.REFERRALS_TRIAGE_ALERT_WORKING_DAYS,
            "contact_days": settings.REFERRALS_FIRST_CONTACT_ALERT_WORKING_DAYS,
        },
    )
    notification_queue(
        to_email=recipient.email,
        kind=f"referral_alert_{reason}",
        subject=subject,
        body_text=body,
        recipient=recipient,
    )


def staff_referral_withdrawn(*, referral: Referral) -> None:
    """Tell the service's triage leads and the link worker (if named) that the referrer
    withdrew the referral, so nobody contacts the person about it. A link only."""
    leads = (
        Membership.objects.active()
        .with_role(Role.TRIAGE_LEAD)
        .filter(organisation=referral.triage_service_id)
        .select_related("user")
    )
    recipients = {m.user for m in leads}
    if referral.assigned_link_worker is not None:
        recipients.add(referral.assigned_link_worker)
    subject, body = _render(
        "withdrawn", {"reference": referral.reference, "url": triage_url(referral)}
    )
    for user in sorted(recipients, key=lambda u: u.email):
        if user.is_active and user.email:
            notification_queue(
                to_email=user.email,
                kind="referral_withdrawn",
                subject=subject,
                body_text=body,
                recipient=user,
            )


def person_messages(referral: Referral) -> list[Notification]:
    """The messages to the person about this referral, newest first (the caller has
    the referral through its user's scope)."""
    return list(Notification.objects.about(Referral._meta.label_lower, [referral.pk]))


def undelivered_to_person(person: Person) -> list[Notification]:
    """Messages about any of the person's referrals that did not reach them, newest
    first: the number or address they went to does not work."""
    referral_ids = person.referrals.values_list("pk", flat=True)
    return list(
        Notification.objects.about(Referral._meta.label_lower, referral_ids)
        .undeliverable()
        .order_by("-delivery_status_at", "-pk")
    )


def person_message_undeliverable(*, notification_id: int) -> None:
    """A message to the person did not reach them (``socialrx.core.notification_receipts``
    announces it): tell whoever can try another way, by email with a link only. The
    link worker named on the referral once it is assigned, else its triage leads."""
    notification = Notification.objects.filter(
        pk=notification_id, about_type=Referral._meta.label_lower, about_id__isnull=False
    ).first()
    if notification is None or notification.about_id is None:
        return  # about something else (a user), or gone
    referral = (
        Referral.objects.select_related("assigned_link_worker")
        .filter(pk=notification.about_id)
        .first()
    )
    if referral is None:
        return
    since = notification.delivery_status_at or notification.updated_at
    worker = referral.assigned_link_worker
    if worker is not None and worker.is_active:
        line = AlertLine(referral.reference, since, referral_url(referral))
        staff_alert(recipient=worker, reason="undelivered", lines=[line])
        return
    leads = Membership.objects.holders_by_organisation(
        Role.TRIAGE_LEAD, {referral.triage_service_id}
    ).get(referral.triage_service_id, [])
    line = AlertLine(referral.reference, since, triage_url(referral))
    for lead in leads:
        staff_alert(recipient=lead, reason="undelivered", lines=[line])


def triage_url(referral: Referral) -> str:
    return absolute_url(reverse("referrals:triage_detail", args=[referral.pk]))

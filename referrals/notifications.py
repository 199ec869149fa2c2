"""Referral messages: one function per message type, all through core's notification queue.

Emails to professionals carry a link and the reference only, never personal data: email
leaves our control. The person referred is written to only if they gave an address and
agreed to be contacted. The queue is the one seam where an SMS backend (GOV.UK Notify)
will plug in later.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.template import loader
from django.urls import reverse

from referrals import codes
from referrals.models import Referral
from socialrx.core.links import absolute_url
from socialrx.core.models import Membership, Role, User
from socialrx.core.services import notification_queue

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


def person_referral_received(*, referral: Referral) -> None:
    """Tell the person their referral arrived and who will contact them."""
    person = referral.person
    if not (person.email and referral.contact_consent):
        return
    subject, body = _render(
        "person_received",
        {
            "reference": referral.reference,
            "given_name": person.given_name,
            "service": referral.triage_service.name,
            "service_name": settings.SERVICE_NAME,
        },
    )
    notification_queue(
        to_email=person.email, kind="referral_received_person", subject=subject, body_text=body
    )


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


def triage_url(referral: Referral) -> str:
    return absolute_url(reverse("referrals:triage_detail", args=[referral.pk]))

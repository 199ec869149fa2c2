"""The weekly reminder: one email per VCSE editor listing every one of their listings
that is about to go stale or whose capacity is over 30 days old."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from directory.models import ListingReminder, Service
from socialrx.core.links import absolute_url
from socialrx.core.models import Membership, Role, User
from socialrx.core.services import notification_queue

logger = logging.getLogger(__name__)


def _due_by_editor(now: datetime) -> dict[User, list[Service]]:
    services = list(
        Service.objects.needing_reminder(now)
        .filter(organization__organisation__isnull=False)
        .select_related("organization", "capacity")
        .order_by("organization__name", "name")
    )
    by_org: dict[int, list[Service]] = defaultdict(list)
    for service in services:
        by_org[service.organization.organisation_id].append(service)  # type: ignore[index]
    editors: dict[User, list[Service]] = defaultdict(list)
    holders = Membership.objects.holders_by_organisation(Role.VCSE_EDITOR, by_org)
    for organisation_id, users in holders.items():
        for user in users:
            editors[user] += by_org[organisation_id]
    return editors


def listing_reminders_send(*, now: datetime | None = None) -> int:
    """Queue this week's reminders; returns how many emails were queued.

    Safe to run twice: a ``ListingReminder`` row per editor per week is written in the
    same transaction as the email, and its unique constraint stops a second one.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    week_starting = today - timedelta(days=today.weekday())
    sent = 0
    for user, services in _due_by_editor(now).items():
        try:
            with transaction.atomic():
                ListingReminder.objects.create(
                    user=user, week_starting=week_starting, service_count=len(services)
                )
                _queue_email(user=user, services=services, now=now)
        except IntegrityError:
            continue  # already reminded this week
        sent += 1
    logger.info("Queued %s directory listing reminders", sent)
    return sent


def _queue_email(*, user: User, services: list[Service], now: datetime) -> None:
    rows = [
        {
            "service": service,
            "confirm_url": absolute_url(reverse("directory:service_confirm", args=[service.id])),
            "stale_on": service.becomes_stale_on(),
            "capacity_stale": not hasattr(service, "capacity") or service.capacity.is_stale(now),
        }
        for service in services
    ]
    context = {
        "user": user,
        "rows": rows,
        "listings_url": absolute_url(reverse("directory:my_listings")),
    }
    count = len(services)
    notification_queue(
        to_email=user.email,
        recipient=user,
        kind="directory_listing_reminder",
        subject=f"Please check {count} directory listing{'s' if count != 1 else ''}",
        body_text=render_to_string("directory/email/listing_reminder.txt", context),
    )

"""Work the clock starts: reminders about referrals left waiting, and the automatic decline.

Kept apart from ``services.py`` (which holds the transitions these call) because it is
driven by beat, not by a person. Each function is safe to run twice: an alert is claimed
by inserting its ``ReferralAlert`` row, whose unique constraint lets one run win, and the
decline re-checks the referral under a row lock.

Deadlines are counted by ``socialrx.core.working_days``: weekends and England and Wales
bank holidays are not working days, and the automatic decline (in calendar days) that
would fall on one moves to the next working day.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from referrals import notifications
from referrals.models import AlertReason, Referral, ReferralAlert
from referrals.services import referral_decline_expired
from socialrx.core.models import Membership, Role, User
from socialrx.core.working_days import calendar_days_before, working_days_before

logger = logging.getLogger(__name__)

# Referrals handled per run: beat runs again within the hour, so a backlog drains
# over a few runs instead of holding one long transaction.
BATCH_SIZE = 500

Recipients = dict[User, list[notifications.AlertLine]]


def _claim(referrals: Iterable[Referral], reason: str, now: datetime.datetime) -> list[Referral]:
    """The referrals whose alert this run records; others were alerted by another run."""
    claimed = []
    for referral in referrals:
        try:
            with transaction.atomic():
                ReferralAlert.objects.create(referral=referral, reason=reason, sent_at=now)
        except IntegrityError:
            continue
        claimed.append(referral)
    return claimed


def _send(reason: str, recipients: Recipients) -> int:
    for user, lines in recipients.items():
        notifications.staff_alert(recipient=user, reason=reason, lines=lines)
    return len(recipients)


@transaction.atomic
def referral_alerts_untriaged_send(*, now: datetime.datetime | None = None) -> int:
    """Tell each service's triage leads, in one email each, what has waited too long.

    Returns the number of emails queued; a second run queues none for the same referrals.
    """
    now = now or timezone.now()
    cutoff = working_days_before(now, settings.REFERRALS_TRIAGE_ALERT_WORKING_DAYS)
    due = (
        Referral.objects.received_before(cutoff)
        .not_alerted(AlertReason.NOT_TRIAGED)
        .oldest_first()[:BATCH_SIZE]
    )
    claimed = _claim(due, AlertReason.NOT_TRIAGED, now)
    leads = Membership.objects.holders_by_organisation(
        Role.TRIAGE_LEAD, {r.triage_service_id for r in claimed}
    )
    recipients: Recipients = defaultdict(list)
    for referral in claimed:
        if not leads.get(referral.triage_service_id):
            logger.warning(
                "Referral %s is overdue for triage but its service has no lead", referral.pk
            )
        line = notifications.AlertLine(
            referral.reference, referral.created_at, notifications.triage_url(referral)
        )
        for lead in leads.get(referral.triage_service_id, []):
            recipients[lead].append(line)
    return _send(AlertReason.NOT_TRIAGED, recipients)


@transaction.atomic
def referral_alerts_no_first_contact_send(*, now: datetime.datetime | None = None) -> int:
    """Tell the assigned link worker and the triage leads, one email each, what is overdue.

    Returns the number of emails queued; a second run queues none for the same referrals.
    """
    now = now or timezone.now()
    cutoff = working_days_before(now, settings.REFERRALS_FIRST_CONTACT_ALERT_WORKING_DAYS)
    due = (
        Referral.objects.assigned_before(cutoff)
        .not_alerted(AlertReason.NO_FIRST_CONTACT)
        .select_related("assigned_link_worker")
        .order_by("assigned_at", "id")[:BATCH_SIZE]
    )
    claimed = _claim(due, AlertReason.NO_FIRST_CONTACT, now)
    leads = Membership.objects.holders_by_organisation(
        Role.TRIAGE_LEAD, {r.triage_service_id for r in claimed}
    )
    recipients: Recipients = defaultdict(list)
    for referral in claimed:
        since = referral.assigned_at  # type: ignore[attr-defined]
        worker = referral.assigned_link_worker
        if worker is not None and worker.is_active:
            # The link worker acts from the referral itself, not the triage page.
            url = notifications.referral_url(referral)
            recipients[worker].append(notifications.AlertLine(referral.reference, since, url))
        for lead in leads.get(referral.triage_service_id, []):
            if lead != worker:
                url = notifications.triage_url(referral)
                recipients[lead].append(notifications.AlertLine(referral.reference, since, url))
    return _send(AlertReason.NO_FIRST_CONTACT, recipients)


def referrals_decline_expired(*, now: datetime.datetime | None = None) -> int:
    """Decline every referral no service accepted in time; returns how many were declined.

    Each referral in its own transaction, so one failure does not undo the others.
    """
    now = now or timezone.now()
    cutoff = calendar_days_before(now, settings.REFERRALS_AUTO_DECLINE_DAYS)
    expired_ids = list(
        Referral.objects.awaiting_triage()
        .filter(created_at__lte=cutoff)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:BATCH_SIZE]
    )
    declined = sum(
        referral_decline_expired(referral_id=pk, received_before=cutoff) for pk in expired_ids
    )
    if declined:
        logger.info("Declined %s referrals not accepted in time", declined)
    return declined

"""The clock on a connection: a nudge to the service's editors at day 5, and back to the
link worker as "no response" at day 10 (working days, settings). Never a decline.

Working days as every deadline counts them (``socialrx.core.working_days``: Monday to
Friday, less England and Wales bank holidays). Both run from
beat and are safe to run twice: a nudge is recorded once per referral
(``Connection.nudged_at``), checked again under the row lock; the no response
transition re-checks the status under the lock.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from linkworkers import codes
from linkworkers.connections.services.emails import (
    NoResponseLine,
    NudgeLine,
    no_response_email,
    service_nudge_email,
)
from linkworkers.connections.services.lifecycle import connection_no_response
from linkworkers.models import Connection, ConnectionEvent, ConnectionQuerySet
from socialrx.core.models import Membership, Role, User
from socialrx.core.working_days import working_days_before

logger = logging.getLogger(__name__)

S = codes.ConnectionStatus


NUDGE_NOTE = "Reminder sent to the service"
BATCH_SIZE = 500


def not_nudged_since_referred() -> Q:
    """No reminder since the connection was (last) referred: a fresh referral gets its own."""
    return Q(nudged_at__isnull=True) | Q(nudged_at__lt=F("referred_at"))


def _due(days: int, now: datetime.datetime) -> ConnectionQuerySet:
    cutoff = working_days_before(now, days)
    return Connection.objects.filter(status=S.REFERRED, referred_at__lte=cutoff)


@transaction.atomic
def connection_nudges_send(*, now: datetime.datetime | None = None) -> int:
    """Remind each editor of a service, in one email listing their items, about
    connections unanswered for ``CONNECTIONS_NUDGE_WORKING_DAYS``. Once per referral.

    Returns the number of emails queued; a second run queues none."""
    now = now or timezone.now()
    candidates = list(
        _due(settings.CONNECTIONS_NUDGE_WORKING_DAYS, now)
        .filter(not_nudged_since_referred())
        .order_by("referred_at", "pk")
        .values_list("pk", flat=True)[:BATCH_SIZE]
    )
    # Lock, then look again in a new statement: a run that committed while this one
    # waited for the locks has nudged them, and its ``nudged_at`` is visible only now.
    list(Connection.objects.select_for_update().filter(pk__in=candidates).values_list("pk"))
    due = list(
        Connection.objects.filter(pk__in=candidates, status=S.REFERRED)
        .filter(not_nudged_since_referred())
        .select_related("service__organization")
        .order_by("referred_at", "pk")
    )
    Connection.objects.filter(pk__in=[c.pk for c in due]).update(nudged_at=now, updated_at=now)
    # The marker is ``nudged_at``; the event only shows the reminder in the history.
    ConnectionEvent.objects.bulk_create(
        ConnectionEvent(
            connection=connection, occurred_at=now, from_status=S.REFERRED,
            to_status=S.REFERRED, note=NUDGE_NOTE,
        )
        for connection in due
    )  # fmt: skip
    editors = Membership.objects.holders_by_organisation(
        Role.VCSE_EDITOR,
        {
            c.service.organization.organisation_id
            for c in due
            if c.service.organization.organisation_id
        },
    )
    items: dict[User, list[NudgeLine]] = defaultdict(list)
    for connection in due:
        organisation_id = connection.service.organization.organisation_id
        if not editors.get(organisation_id):  # type: ignore[arg-type]
            logger.warning(
                "Connection %s awaits an answer but its service has no editor", connection.pk
            )
        for editor in editors.get(organisation_id, []):  # type: ignore[arg-type]
            items[editor].append(NudgeLine.of(connection))
    for editor, lines in items.items():
        service_nudge_email(recipient=editor, lines=lines)
    return len(items)


def connections_no_response_mark(*, now: datetime.datetime | None = None) -> int:
    """Every connection unanswered for ``CONNECTIONS_NO_RESPONSE_WORKING_DAYS`` goes back
    to its link worker, who is told in one email listing the cases. Each in its own
    transaction, so one failure does not undo the others. Returns how many moved."""
    now = now or timezone.now()
    cutoff = working_days_before(now, settings.CONNECTIONS_NO_RESPONSE_WORKING_DAYS)
    due = list(
        _due(settings.CONNECTIONS_NO_RESPONSE_WORKING_DAYS, now)
        .select_related("case__link_worker")
        .order_by("referred_at", "pk")[:BATCH_SIZE]
    )
    workers: dict[User, list[NoResponseLine]] = defaultdict(list)
    for connection in due:
        if connection_no_response(connection_id=connection.pk, referred_before=cutoff):
            workers[connection.case.link_worker].append(NoResponseLine.of(connection))
    for worker, lines in workers.items():
        no_response_email(recipient=worker, lines=lines)
    if due:
        logger.info("%s connections marked no response", sum(map(len, workers.values())))
    return sum(len(lines) for lines in workers.values())

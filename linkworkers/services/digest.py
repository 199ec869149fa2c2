"""The daily digest: one email per link worker with counts and links, never personal data
(email leaves our control). Sent once a day however often the task runs.

Later apps add lines (outcomes: measures due for follow-up) through
``socialrx.core.digest``, since this app may not import them."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.template import loader
from django.urls import reverse
from django.utils import timezone

from linkworkers import codes
from linkworkers.models import DigestSent
from socialrx.core.digest import DigestSection, digest_sections_for
from socialrx.core.links import absolute_url
from socialrx.core.models import Membership, Role, User
from socialrx.core.services import notification_queue

logger = logging.getLogger(__name__)

# The thresholds: reviews due within a week; connections quiet for 14 days.
REVIEW_WINDOW = datetime.timedelta(days=7)
CONNECTION_QUIET = datetime.timedelta(days=14)


@dataclass(frozen=True)
class DigestCounts:
    first_contacts_overdue: int
    reviews_due: int
    quiet_connections: int
    no_response: int = 0
    sections: tuple[DigestSection, ...] = ()

    @property
    def total(self) -> int:
        """Every item in the digest, other apps' sections included."""
        return (
            self.first_contacts_overdue
            + self.reviews_due
            + self.quiet_connections
            + self.no_response
            + sum(section.total for section in self.sections)
        )

    @property
    def anything(self) -> bool:
        return self.total > 0


def digest_counts(user: User, now: datetime.datetime) -> DigestCounts:
    """The worker's own open cases, counted in the database (one query per figure)."""
    today = timezone.localdate(now)
    cases = user.cases.filter(status__in=codes.OPEN_CASE_STATUSES)
    return DigestCounts(
        first_contacts_overdue=cases.filter(
            status=codes.CaseStatus.AWAITING_CONTACT, first_contact_due_on__lt=today
        ).count(),
        reviews_due=cases.aggregate(
            n=Count(
                "plan__goals",
                filter=Q(
                    plan__goals__status=codes.GoalStatus.OPEN,
                    plan__goals__review_on__lte=today + REVIEW_WINDOW,
                ),
            )
        )["n"],
        **cases.aggregate(
            quiet_connections=Count(
                "connections",
                filter=Q(
                    connections__status__in=codes.LIVE_CONNECTION_STATUSES,
                    connections__status_changed_at__lte=now - CONNECTION_QUIET,
                ),
            ),
            # The service did not answer in time: the connection waits in "no response"
            # until the link worker sends it again or lets it go (connections.services.lifecycle).
            no_response=Count(
                "connections", filter=Q(connections__status=codes.ConnectionStatus.NO_RESPONSE)
            ),
        ),
        sections=tuple(digest_sections_for(user, today)),
    )


def _other_lines(counts: DigestCounts) -> list[dict[str, object]]:
    """Other apps' lines, with their links made absolute for the email."""
    return [
        {
            "label": line.label,
            "count": line.count,
            "url": absolute_url(line.link) if line.link else "",
        }
        for section in counts.sections
        for line in section.lines
    ]


def _send(user: User, counts: DigestCounts) -> None:
    context = {
        "counts": counts,
        "other_lines": _other_lines(counts),
        "caseload_url": absolute_url(reverse("linkworkers:caseload")),
    }
    subject = loader.render_to_string("linkworkers/email/digest_subject.txt", context)
    notification_queue(
        to_email=user.email,
        kind="linkworker_digest",
        subject=" ".join(subject.split()),
        body_text=loader.render_to_string("linkworkers/email/digest_body.txt", context),
        recipient=user,
    )


def digests_send(*, now: datetime.datetime | None = None) -> int:
    """Email each active link worker with something to do today; returns how many.

    Each worker is claimed with a DigestSent row (unique per worker and day) in the same
    transaction as their email, so a second run, or two at once, sends nothing more."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    worker_ids = (
        Membership.objects.active()
        .with_role(Role.LINK_WORKER)
        .exclude(user__in=DigestSent.objects.filter(sent_on=today).values("recipient"))
        .values_list("user", flat=True)
        .distinct()
    )
    sent = 0
    for user in User.objects.filter(pk__in=list(worker_ids)):
        counts = digest_counts(user, now)
        if not counts.anything:
            continue
        try:
            with transaction.atomic():
                DigestSent.objects.create(recipient=user, sent_on=today)
                _send(user, counts)
        except IntegrityError:
            continue  # another run claimed this worker first
        sent += 1
    logger.info("Link worker digests sent: %s", sent)
    return sent

"""How connections read: status tags, their history, and the buttons each side sees."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from directory.presenters import ListingPresenter
from linkworkers import codes
from linkworkers.connections.services.lifecycle import allowed_moves, is_accepting
from linkworkers.connections.track_record import TrackRecord
from linkworkers.models import Connection, ConnectionEvent
from referrals.models import Person

S = codes.ConnectionStatus

STATUS_TAG: dict[str, str] = {
    S.SUGGESTED: "grey",
    S.REFERRED: "blue",
    S.ACCEPTED: "aqua-green",
    S.STARTED: "green",
    S.COMPLETED: "purple",
    S.DECLINED_BY_PERSON: "grey",
    S.DECLINED_BY_SERVICE: "red",
    S.SERVICE_FULL: "orange",
    S.NO_RESPONSE: "yellow",
}
# The buttons each side sees for each status it may move to (declines have forms).
PERSON_ACTIONS = {
    S.REFERRED: ("refer", "Send to the service"),
    S.STARTED: ("start", "Mark as started"),
    S.COMPLETED: ("complete", "Mark as completed"),
    S.DECLINED_BY_PERSON: ("decline", "The person decided against it"),
}
SERVICE_ACTIONS = {
    S.ACCEPTED: ("accept", "Accept"),
    S.STARTED: ("start", "Mark as started"),
    S.COMPLETED: ("complete", "Mark as completed"),
}


def _when(value: datetime.datetime | datetime.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
        return f"{value:%-d %b %Y, %H:%M}"
    return f"{value:%-d %b %Y}"


@dataclass
class EventRow:
    event: ConnectionEvent

    @property
    def text(self) -> str:
        event = self.event
        if event.from_status == event.to_status:
            return event.note or "Reminder sent"
        label = S(event.to_status).label
        if event.decline_reason:
            label += f": {codes.ConnectionDeclineReason(event.decline_reason).label.lower()}"
        return label

    @property
    def by(self) -> str:
        return self.event.actor.full_name if self.event.actor else "Automatically"

    @property
    def when(self) -> str:
        return _when(self.event.occurred_at)


@dataclass
class ConnectionRow:
    connection: Connection
    side: str

    @property
    def status_label(self) -> str:
        return self.connection.get_status_display()

    @property
    def tag_colour(self) -> str:
        return STATUS_TAG.get(self.connection.status, "grey")

    @property
    def reason(self) -> str:
        return self.connection.get_decline_reason_display()

    @property
    def referred_on(self) -> str:
        return _when(self.connection.referred_at)

    @property
    def history(self) -> list[EventRow]:
        # Prefetched with the actor (``for_display``): no query per row.
        return [EventRow(e) for e in self.connection.events.all()]

    @property
    def actions(self) -> list[tuple[str, str]]:
        table = PERSON_ACTIONS if self.side == codes.ConnectionSide.PERSON else SERVICE_ACTIONS
        moves = allowed_moves(self.connection, self.side)
        return [table[status] for status in table if status in moves]

    @property
    def can_decline(self) -> bool:
        moves = allowed_moves(self.connection, self.side)
        return self.side == codes.ConnectionSide.SERVICE and S.DECLINED_BY_SERVICE in moves

    @property
    def person(self) -> Person:
        return self.connection.case.referral.person


@dataclass
class ServiceChoice:
    """One service on the choosing screen: the directory's listing plus its record."""

    listing: ListingPresenter
    record: TrackRecord

    @property
    def accepting(self) -> bool:
        return is_accepting(self.listing.service)

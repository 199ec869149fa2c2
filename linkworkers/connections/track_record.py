"""A service's track record with our connections: how fast it answers, how often it says yes.

Computed in the database as annotations on a directory ``Service`` queryset, so a page of
services gets its track records in the same one query that lists them. Lives here, not in
``directory``: the directory knows nothing of connections (it is publishable on its own);
its service page can show the record through the fragment this app serves.

Definitions (over connections *referred* in the last ``TRACK_RECORD_DAYS`` days):
- days to respond: calendar days, with fractions, from the referral being sent to the
  service's first answer (accept or decline); the median, the middle two averaged;
- share accepted: accepted (at any point) out of those the service answered or let run
  to "no response". Connections still waiting, or withdrawn by the person before the
  service answered, say nothing about the service and are left out.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from directory.models import Service, ServiceQuerySet
from linkworkers import codes
from linkworkers.models import Connection, ConnectionEvent

TRACK_RECORD_DAYS = 90


class DaysBetween(models.Func):
    """Days from ``start`` to ``end``, as a float. Each database spells interval
    arithmetic its own way; both give the same number."""

    arity = 2
    output_field = models.FloatField()

    def __init__(self, start: Any, end: Any) -> None:
        # Held as (end, start): the templates below read "end minus start".
        super().__init__(end, start)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        raise NotImplementedError(f"DaysBetween is not written for {connection.vendor}")

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(
            compiler,
            connection,
            template="(julianday(%(expressions)s))",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(
            compiler,
            connection,
            template="(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0)",
            arg_joiner=" - ",
            **extra,
        )


def track_record_since(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=TRACK_RECORD_DAYS)


def _waits(since: datetime.datetime) -> models.QuerySet[Connection]:
    """Each answered connection of the outer service, numbered by how long it waited."""
    return (
        Connection.objects.filter(
            service=OuterRef("pk"), referred_at__gte=since, responded_at__isnull=False
        )
        .order_by()
        .annotate(
            wait=DaysBetween(F("referred_at"), F("responded_at")),
            position=Window(RowNumber(), order_by=[F("wait").asc(), F("pk").asc()]),
            answered=Window(Count("pk")),
        )
    )


def _middle(since: datetime.datetime, offset: int) -> Subquery:
    """The wait at position (n + offset) // 2: offsets 1 and 2 give the middle pair (one
    row twice when n is odd), whose mean is the median."""
    # Integer division on both databases: the window counts are integers.
    # As kwargs: django-stubs cannot see the annotations, mypy would reject them.
    middle = _waits(since).filter(**{"position": (F("answered") + offset) / 2})
    return Subquery(middle.values(*["wait"])[:1], output_field=models.FloatField())


def _count(rows: models.QuerySet[Connection]) -> Coalesce:
    counted = rows.order_by().values("service").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=models.IntegerField()), Value(0))


def with_track_record(services: ServiceQuerySet, *, since: datetime.datetime) -> ServiceQuerySet:
    """Annotate ``tr_median_days`` (None without answers), ``tr_answered``, ``tr_decided``
    (answered or no response) and ``tr_accepted``."""
    referred = Connection.objects.filter(service=OuterRef("pk"), referred_at__gte=since)
    accepted_once = ConnectionEvent.objects.filter(
        connection=OuterRef("pk"), to_status=codes.ConnectionStatus.ACCEPTED
    )
    decided = referred.filter(
        Q(responded_at__isnull=False) | Q(status=codes.ConnectionStatus.NO_RESPONSE)
    )
    return services.annotate(
        tr_median_days=(_middle(since, 1) + _middle(since, 2)) / 2,
        tr_answered=_count(referred.filter(responded_at__isnull=False)),
        tr_decided=_count(decided),
        tr_accepted=_count(decided.filter(Exists(accepted_once))),
    )


@dataclass(frozen=True)
class TrackRecord:
    """What the choosing screen and the fragment show about one service."""

    median_days: float | None
    answered: int
    decided: int
    accepted: int
    days: int = TRACK_RECORD_DAYS

    @classmethod
    def of(cls, service: Service) -> TrackRecord:
        """From a service annotated by ``with_track_record``."""
        return cls(
            median_days=service.tr_median_days,  # type: ignore[attr-defined]
            answered=service.tr_answered,  # type: ignore[attr-defined]
            decided=service.tr_decided,  # type: ignore[attr-defined]
            accepted=service.tr_accepted,  # type: ignore[attr-defined]
        )

    @property
    def response_text(self) -> str:
        if self.median_days is None:
            return "No answers yet"
        days = round(self.median_days, 1)
        if days < 1:
            return "Usually within a day"
        shown = f"{days:.0f}" if days == int(days) else f"{days:.1f}"
        return f"{shown} day{'' if shown == '1' else 's'} (median of {self.answered})"

    @property
    def accepted_text(self) -> str:
        if not self.decided:
            return "No decisions yet"
        percent = round(100 * self.accepted / self.decided)
        return f"{percent}% ({self.accepted} of {self.decided})"


def track_record_for(service: Service, *, now: datetime.datetime | None = None) -> TrackRecord:
    """One service's record, in one query."""
    annotated = with_track_record(
        Service.objects.filter(pk=service.pk), since=track_record_since(now)
    )
    return TrackRecord.of(annotated.get())

"""Synthetic, demo-like data for report tests, with every raw figure kept so tests can
compute the expected totals independently of the report code."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from linkworkers import codes as lw_codes
from linkworkers.models import Case
from outcomes import codes
from outcomes.models import MeasureLicence
from referrals import codes as referral_codes
from referrals.models import Referral, ReferralStatusEvent
from socialrx.core.models import Organisation, User
from tests.directory.factories import ServiceCapacityFactory, ServiceFactory
from tests.linkworkers.factories import CaseFactory, ConnectionFactory, UnmetNeedFactory
from tests.outcomes.factories import record_measure

# SWEMWBS answers at baseline and at the 12-week follow-up, cycled through the people.
SWEMWBS_PAIRS = [
    ([2, 2, 3, 2, 3, 2, 2], [3, 3, 3, 3, 3, 3, 3]),
    ([3, 3, 3, 3, 3, 3, 3], [4, 3, 4, 3, 4, 3, 3]),
    ([2, 2, 2, 2, 2, 2, 2], [2, 3, 2, 2, 2, 3, 2]),
    ([3, 2, 3, 2, 3, 2, 3], [3, 2, 3, 2, 3, 2, 3]),
    ([1, 2, 2, 1, 2, 2, 1], [3, 3, 3, 3, 3, 3, 3]),
]
UCLA_PAIRS = [([3, 3, 2], [2, 2, 2]), ([2, 2, 2], [2, 2, 2]), ([3, 3, 3], [1, 2, 1])]


@dataclass
class World:
    referrals: list[Referral] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    triage_days: list[int] = field(default_factory=list)
    swemwbs: list[tuple[int, int]] = field(default_factory=list)  # raw totals (before, after)
    ucla: list[tuple[int, int]] = field(default_factory=list)
    full: int = 0
    connections: int = 0
    needs: int = 0


def build_world(
    *,
    people: int,
    practice: Organisation,
    service: Organisation,
    team: Organisation,
    link_worker: User,
    start: datetime.date,
) -> World:
    """``people`` referrals received from ``start``, one a day; every one accepted after
    a few days and opened as a case; every second measured at baseline and 12 weeks."""
    ensure_builtin_measures()
    world = World()
    MeasureLicence.objects.get_or_create(
        organisation=service,
        measure_id=_measure_id(codes.SWEMWBS),
        defaults={"licence_reference": "WARWICK-TEST"},
    )
    place = ServiceCapacityFactory(maximum=3).service
    other = ServiceFactory()
    for i in range(people):
        received = timezone.make_aware(
            datetime.datetime.combine(start + datetime.timedelta(days=i), datetime.time(10))
        )
        case = CaseFactory(
            team=team,
            link_worker=link_worker,
            referral__triage_service=service,
            referral__person__registered_practice=practice,
            referral__person__sex=referral_codes.Sex.FEMALE if i % 3 else referral_codes.Sex.MALE,
            referral__person__date_of_birth=datetime.date(1940 + 2 * i % 60, 6, 1),
        )
        referral = case.referral
        Referral.objects.filter(pk=referral.pk).update(created_at=received)
        Case.objects.filter(pk=case.pk).update(opened_at=received + datetime.timedelta(days=3))
        days = i % 6
        ReferralStatusEvent.objects.create(
            referral=referral,
            kind=referral_codes.EventKind.ACCEPTED,
            from_status=referral_codes.Status.RECEIVED,
            to_status=referral_codes.Status.TRIAGED,
            occurred_at=received + datetime.timedelta(days=days),
        )
        world.triage_days.append(days)
        world.referrals.append(referral)
        world.cases.append(case)
        if i % 2 == 0:
            before, after = SWEMWBS_PAIRS[(i // 2) % len(SWEMWBS_PAIRS)]
            record_measure(case, codes.SWEMWBS, before, on=received.date())
            record_measure(case, codes.SWEMWBS, after, on=received.date() + _weeks(12))
            world.swemwbs.append((sum(before), sum(after)))
            u_before, u_after = UCLA_PAIRS[(i // 2) % len(UCLA_PAIRS)]
            record_measure(case, codes.UCLA3, u_before, on=received.date())
            record_measure(case, codes.UCLA3, u_after, on=received.date() + _weeks(12))
            world.ucla.append((sum(u_before), sum(u_after)))
        status = (
            lw_codes.ConnectionStatus.SERVICE_FULL
            if i % 4 == 0
            else lw_codes.ConnectionStatus.STARTED
        )
        ConnectionFactory(
            case=case,
            service=place if i % 2 else other,
            status=status,
            consent_to_share=True,
            started_on=received.date() if status == lw_codes.ConnectionStatus.STARTED else None,
        )
        world.connections += 1
        world.full += status == lw_codes.ConnectionStatus.SERVICE_FULL
        if i % 3 == 0:
            UnmetNeedFactory(
                case=case, postcode_district="NN1" if i % 2 else "NN3", recorded_on=received.date()
            )
            world.needs += 1
    # Connections and needs are counted by when made; keep them in the period too.
    from linkworkers.models import Connection

    Connection.objects.filter(case__in=world.cases).update(
        created_at=timezone.make_aware(datetime.datetime.combine(start, datetime.time(12)))
    )
    return world


def ensure_builtin_measures() -> None:
    from outcomes.models import Measure
    from outcomes.services.measures import measures_sync_builtin

    if not Measure.objects.filter(code=codes.SWEMWBS).exists():
        measures_sync_builtin()


def _weeks(n: int) -> datetime.timedelta:
    return datetime.timedelta(weeks=n)


def _measure_id(code: str) -> int:
    from outcomes.models import Measure

    return Measure.objects.get(code=code).pk

"""A case's status changes only as codes.CASE_TRANSITIONS allows, each with its event."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from linkworkers import codes
from linkworkers.services.cases import case_move
from linkworkers.services.closure import case_close
from socialrx.core.models import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def _close(case, actor):
    case_move(
        case=case,
        kind=codes.CaseEventKind.CLOSED,
        actor=actor,
        closed_at=timezone.now(),
        closure_outcome="supported",
    )


def test_first_contact_then_closure_each_write_their_event(case, link_worker):
    case_move(case=case, kind=codes.CaseEventKind.FIRST_CONTACT, actor=link_worker)
    _close(case, link_worker)

    case.refresh_from_db()
    assert case.status == codes.CaseStatus.CLOSED
    assert [(e.from_status, e.to_status) for e in case.events.order_by("occurred_at", "pk")][
        -2:
    ] == [
        (codes.CaseStatus.AWAITING_CONTACT, codes.CaseStatus.ACTIVE),
        (codes.CaseStatus.ACTIVE, codes.CaseStatus.CLOSED),
    ]


def test_a_closed_case_cannot_take_first_contact(case, link_worker):
    _close(case, link_worker)
    events = case.events.count()

    with pytest.raises(ValidationError):
        case_move(case=case, kind=codes.CaseEventKind.FIRST_CONTACT, actor=link_worker)

    case.refresh_from_db()
    assert case.status == codes.CaseStatus.CLOSED
    assert case.events.count() == events


def test_only_a_link_worker_of_the_team_works_on_the_case(case):
    other_team_worker = user_with_role(Role.LINK_WORKER)

    with pytest.raises(PermissionDenied):
        case_close(case=case, actor=other_team_worker, outcome="supported")

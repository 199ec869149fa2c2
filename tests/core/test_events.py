"""The one immutable-event base: every status history refuses change the same way."""

import pytest
from django.db.models import ProtectedError

from linkworkers.models import CaseStatusEvent, ConnectionEvent
from referrals import codes as referral_codes
from referrals.models import ReferralStatusEvent
from socialrx.core.events import ImmutableEvent
from tests.linkworkers.factories import CaseFactory, ConnectionFactory
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def _referral_event() -> ReferralStatusEvent:
    return ReferralStatusEvent.objects.create(
        referral=ReferralFactory(source=referral_codes.ReferralSource.SELF),
        kind=referral_codes.EventKind.SUBMITTED,
        to_status=referral_codes.Status.RECEIVED,
        note="Sent for triage.",
    )


def _case_event() -> CaseStatusEvent:
    return CaseStatusEvent.objects.create(
        case=CaseFactory(), kind="opened", to_status="awaiting_contact", note="Opened."
    )


def _connection_event() -> ConnectionEvent:
    return ConnectionEvent.objects.create(
        connection=ConnectionFactory(), to_status="suggested", note="Suggested."
    )


MAKERS = [_referral_event, _case_event, _connection_event]


def test_every_status_history_is_built_on_the_one_base():
    for model in (ReferralStatusEvent, CaseStatusEvent, ConnectionEvent):
        assert issubclass(model, ImmutableEvent)


@pytest.mark.parametrize("make", MAKERS)
def test_an_event_is_written_once_and_then_cannot_be_changed(make):
    event = make()
    model = type(event)
    event.note = "rewritten"
    with pytest.raises(TypeError, match="immutable"):
        event.save()
    with pytest.raises(TypeError, match="immutable"):
        event.delete()
    with pytest.raises(TypeError, match="immutable"):
        model.objects.filter(pk=event.pk).update(note="rewritten")
    with pytest.raises(TypeError, match="immutable"):
        model.objects.all().delete()
    # What was written is still there, as written.
    assert model.objects.get(pk=event.pk).note != "rewritten"
    # Last: bulk_update fails inside its own atomic block, which spoils the test's.
    with pytest.raises(TypeError, match="immutable"):
        model.objects.bulk_update([event], ["note"])


@pytest.mark.parametrize("make", MAKERS)
def test_events_can_be_added_in_bulk(make):
    first = make()
    model = type(first)
    copy = model(**{f.attname: getattr(first, f.attname) for f in model._meta.concrete_fields})
    copy.pk = None
    model.objects.bulk_create([copy])
    assert model.objects.count() == 2


def test_removing_a_referral_does_not_take_its_history_with_it():
    event = _referral_event()
    with pytest.raises(ProtectedError):
        event.referral.delete()

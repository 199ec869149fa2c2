"""The clock on a connection: one nudge to the service's editors at day 5, and back to the
link worker as "no response" at day 10. Never declined; safe to run twice."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from linkworkers import codes
from linkworkers.connections.services import reminders as svc
from linkworkers.connections.services.lifecycle import connection_accept
from linkworkers.connections.tasks import (
    connection_nudges_send_task,
    connections_no_response_mark_task,
)
from linkworkers.models import Connection, ConnectionEvent
from socialrx.core.models import Notification, Role
from socialrx.core.working_days import working_days_before
from tests.directory.factories import DirectoryOrganisationFactory, service_with
from tests.factories import user_with_role
from tests.linkworkers.factories import ConnectionFactory

S = codes.ConnectionStatus
# A Wednesday morning: the working-day arithmetic crosses a weekend either way.
NOW = datetime.datetime(2025, 3, 12, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))


@pytest.fixture
def service(vcse_org):
    listing = DirectoryOrganisationFactory(organisation=vcse_org, name=vcse_org.name)
    return service_with(organization=listing, name="Walk and talk")


def _sent(case, service, working_days_ago, status=S.REFERRED):
    return ConnectionFactory(
        case=case,
        service=service,
        status=status,
        consent_to_share=True,
        referred_at=working_days_before(NOW, working_days_ago),
    )


def test_one_nudge_per_editor_listing_their_items_and_no_personal_data(
    case, service, vcse_editor, vcse_org, link_worker
):
    # Given two connections waiting 5 and 7 working days, one 4 days, one answered,
    # and a second editor of the same organisation
    colleague = user_with_role(Role.VCSE_EDITOR, vcse_org)
    waiting = [
        _sent(case, service, 5),
        _sent(case, service_with(organization=service.organization), 7),
    ]
    _sent(case, service_with(organization=service.organization), 4)
    _sent(case, service_with(organization=service.organization), 8, status=S.ACCEPTED)

    # When the nudges are sent, then sent again
    emails = svc.connection_nudges_send(now=NOW)
    again = svc.connection_nudges_send(now=NOW)

    # Then each editor got one email listing the two waiting connections, once
    assert (emails, again) == (2, 0)
    notes = Notification.objects.filter(kind="connection_nudge")
    assert {n.recipient for n in notes} == {vcse_editor, colleague}
    person = case.referral.person
    for note in notes:
        for connection in waiting:
            assert f"Connection {connection.pk} " in note.body_text
            assert f"/service-connections/{connection.pk}/" in note.body_text
        assert person.family_name not in note.body_text + note.subject
    assert ConnectionEvent.objects.filter(from_status=S.REFERRED, to_status=S.REFERRED).count() == 2
    nudged = {c.pk: c.nudged_at for c in Connection.objects.filter(nudged_at__isnull=False)}
    assert nudged == {c.pk: NOW for c in waiting}, "recorded on the connection, once"
    assert set(Connection.objects.values_list("status", flat=True)) == {S.REFERRED, S.ACCEPTED}


def test_a_connection_sent_again_is_nudged_again(case, service, vcse_editor, link_worker):
    # Nudged at day 6, then sent again (after no response) five working days ago
    connection = _sent(case, service, 16)
    assert svc.connection_nudges_send(now=working_days_before(NOW, 10)) == 1
    Connection.objects.filter(pk=connection.pk).update(referred_at=working_days_before(NOW, 5))

    # A fresh referral gets its own nudge
    assert svc.connection_nudges_send(now=NOW) == 1
    connection.refresh_from_db()
    assert connection.nudged_at == NOW


def test_an_answer_after_the_nudge_leaves_nothing_more_to_send(
    case, service, vcse_editor, link_worker
):
    # Given a connection nudged at day 5 and accepted the next day
    connection = _sent(case, service, 6)
    assert svc.connection_nudges_send(now=working_days_before(NOW, 1)) == 1
    connection_accept(connection=connection, actor=vcse_editor)

    # Then neither the nudge nor the deadline touches it again
    assert svc.connection_nudges_send(now=NOW) == 0
    assert svc.connections_no_response_mark(now=NOW) == 0
    connection.refresh_from_db()
    assert (connection.status, connection.nudged_at) == (S.ACCEPTED, working_days_before(NOW, 1))


def test_no_editor_means_no_email_but_the_nudge_is_logged(case, link_worker, caplog):
    orphan = service_with(organization=DirectoryOrganisationFactory(organisation=None))
    _sent(case, orphan, 6)
    assert svc.connection_nudges_send(now=NOW) == 0
    assert "has no editor" in caplog.text


def test_no_response_at_ten_working_days_goes_back_to_the_link_worker(
    case, service, link_worker, vcse_editor
):
    # Given one connection unanswered for 10 working days and one for 9
    late = _sent(case, service, 10)
    recent = _sent(case, service_with(organization=service.organization), 9)

    # When the deadline runs, twice
    moved = svc.connections_no_response_mark(now=NOW)
    again = svc.connections_no_response_mark(now=NOW)

    # Then only the late one is "no response", by nobody, and the link worker is told once
    assert (moved, again) == (1, 0)
    late.refresh_from_db()
    recent.refresh_from_db()
    assert (late.status, recent.status) == (S.NO_RESPONSE, S.REFERRED)
    assert late.decline_reason == "", "not a decline"
    event = late.events.last()
    assert (event.to_status, event.actor) == (S.NO_RESPONSE, None)
    [email] = Notification.objects.filter(kind="connection_no_response")
    assert email.recipient == link_worker
    assert case.reference in email.body_text
    assert case.referral.person.family_name not in email.body_text


def test_the_tasks_call_the_services(case, service, vcse_editor, settings):
    settings.CONNECTIONS_NUDGE_WORKING_DAYS = 0
    settings.CONNECTIONS_NO_RESPONSE_WORKING_DAYS = 50
    ConnectionFactory(
        case=case,
        service=service,
        status=S.REFERRED,
        consent_to_share=True,
        referred_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    assert connection_nudges_send_task.delay().get() == 1
    assert connections_no_response_mark_task.delay().get() == 0

"""The connection clock on a real Celery worker: one nudge per service editor at day 5,
and "no response" back to the link worker at day 10, each exactly once.

Needs PostgreSQL and Redis (see conftest.py); ``.ci/run`` provides both.
"""

import re
from collections import Counter
from pathlib import Path

import pytest
from django.utils import timezone

from linkworkers import codes
from linkworkers.connections.tasks import (
    connection_nudges_send_task,
    connections_no_response_mark_task,
)
from linkworkers.models import Connection
from socialrx.core.models import Notification, Role
from socialrx.core.working_days import working_days_before
from tests.directory.factories import DirectoryOrganisationFactory, service_with
from tests.factories import user_with_role
from tests.helpers.mail import sent_mail, wait_until_sent
from tests.linkworkers.factories import CaseFactory, ConnectionFactory

pytestmark = pytest.mark.integration

S = codes.ConnectionStatus


def _sent(case, service, working_days_ago):
    return ConnectionFactory(
        case=case,
        service=service,
        status=S.REFERRED,
        consent_to_share=True,
        referred_at=working_days_before(timezone.now(), working_days_ago),
    )


def _run_twice(task, worker):
    first = task.delay()
    worker.wait_for_log(f"{first.id}] succeeded")
    second = task.delay()
    worker.wait_for_log(f"{second.id}] succeeded")
    assert re.search(rf"{second.id}\] succeeded in [0-9.e-]+s: 0\b", worker.log())


def test_nudges_go_once_to_each_editor_listing_their_connections(
    celery_processes, tmp_path: Path, vcse_org, vcse_editor, link_worker, link_worker_team
):
    # Given two editors of a service with two connections unanswered for 6 working days
    colleague = user_with_role(Role.VCSE_EDITOR, vcse_org)
    listing = DirectoryOrganisationFactory(organisation=vcse_org)
    service = service_with(organization=listing, name="Walk and talk")
    case = CaseFactory(team=link_worker_team, link_worker=link_worker)
    waiting = [_sent(case, service, 6), _sent(case, service_with(organization=listing), 7)]
    worker = celery_processes("worker")

    # When beat's task runs on the worker, and then runs again
    _run_twice(connection_nudges_send_task, worker)

    # Then each editor got one email listing both, without the person's name
    notifications = list(Notification.objects.filter(kind="connection_nudge"))
    assert {n.recipient for n in notifications} == {vcse_editor, colleague}
    for notification in notifications:
        wait_until_sent(notification)
    mail = sent_mail(tmp_path)
    recipients = Counter(re.findall(r"^To: (.+)$", mail, flags=re.MULTILINE))
    assert recipients == {vcse_editor.email: 1, colleague.email: 1}
    for connection in waiting:
        assert mail.count(f"/service-connections/{connection.pk}/") == 2
    assert case.referral.person.family_name not in mail


def test_no_response_goes_back_to_the_link_worker_once(
    celery_processes, tmp_path: Path, vcse_org, link_worker, link_worker_team
):
    # Given a connection unanswered for 11 working days
    service = service_with(organization=DirectoryOrganisationFactory(organisation=vcse_org))
    case = CaseFactory(team=link_worker_team, link_worker=link_worker)
    connection = _sent(case, service, 11)
    worker = celery_processes("worker")

    # When the deadline task runs on the worker, twice
    _run_twice(connections_no_response_mark_task, worker)

    # Then it is "no response" (not declined), and the link worker was told once
    connection = Connection.objects.get(pk=connection.pk)
    assert (connection.status, connection.decline_reason) == (S.NO_RESPONSE, "")
    [notification] = Notification.objects.filter(kind="connection_no_response")
    wait_until_sent(notification)
    mail = sent_mail(tmp_path)
    assert re.findall(r"^To: (.+)$", mail, flags=re.MULTILINE) == [link_worker.email]
    assert case.reference in mail

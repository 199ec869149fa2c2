"""Every periodic task run twice at the same moment (two beats both sending it, a
retry overlapping the first run) does its work once: one email per person and reason,
one move per connection or referral, one report per period."""

import ast
import datetime
import re
import uuid
from collections import Counter
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.utils import timezone

from linkworkers import codes
from linkworkers.models import Connection
from outcomes.models import ReportFile
from referrals.models import Referral
from socialrx.celery import app as celery_app
from socialrx.core.audit import audit_record
from socialrx.core.models import AuditEvent, Notification, OrganisationType, Role
from socialrx.core.working_days import working_days_before
from tests import notify_fake
from tests.directory.factories import DirectoryOrganisationFactory, service_with
from tests.factories import MembershipFactory, OrganisationFactory, user_with_role
from tests.faults.conftest import Stack
from tests.faults.work import commissioner, due_subscription, lost_emails, lost_report
from tests.linkworkers.factories import CaseFactory, ConnectionFactory
from tests.outages import wait_until
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.faults

S = codes.ConnectionStatus


def _awaiting_receipts(fake: notify_fake.FakeNotify) -> None:
    """Texts GOV.UK Notify (the local fake) took ten hours ago, delivered since, whose
    receipts never came: the hourly check asks for them."""
    for n in range(2):
        notify_id = str(uuid.uuid4())
        fake.accepted[notify_id] = (f"socialrx-receipt-{n}", "sms")
        fake.statuses[notify_id] = "delivered"
        Notification.objects.create(
            kind=f"person_referral_received_{n}", channel="sms", to_phone="07700 900123",
            status="sent", sent_at=timezone.now() - datetime.timedelta(hours=10),
            provider_reference=notify_id,
        )  # fmt: skip


def _world() -> None:
    """Something due for every periodic task."""
    # Notifications and reports the broker lost
    lost_emails("lost", 3)
    user = commissioner()
    lost_report(user)
    due_subscription(user)
    # Referrals waiting too long for triage, and past the deadline for an answer
    service = OrganisationFactory(org_type=OrganisationType.LINK_WORKER_SERVICE)
    user_with_role(Role.TRIAGE_LEAD, service)
    user_with_role(Role.TRIAGE_LEAD, service)
    referrer = user_with_role(Role.REFERRER, OrganisationFactory())
    waiting = ReferralFactory.create_batch(2, referrer=referrer, triage_service=service)
    # (each referrer is told of each referral declined: one referral each here)
    expired = [
        ReferralFactory(referrer=user_with_role(Role.REFERRER, OrganisationFactory()),
                        triage_service=service)
        for _ in range(2)
    ]  # fmt: skip
    Referral.objects.filter(pk__in=[r.pk for r in waiting]).update(
        created_at=timezone.now() - datetime.timedelta(days=10)
    )
    Referral.objects.filter(pk__in=[r.pk for r in expired]).update(
        created_at=timezone.now()
        - datetime.timedelta(days=settings.REFERRALS_AUTO_DECLINE_DAYS + 5)
    )
    # Directory listings due for a check, with two editors
    vcse = OrganisationFactory(org_type=OrganisationType.VCSE)
    editors = [MembershipFactory(organisation=vcse, role=Role.VCSE_EDITOR) for _ in range(2)]
    assert editors
    listing = DirectoryOrganisationFactory(organisation=vcse, name=vcse.name)
    long_ago = timezone.localdate() - datetime.timedelta(days=85)
    services = [service_with(organization=listing, assured_date=long_ago) for _ in range(2)]
    # Link workers with first contacts overdue, and connections unanswered
    team = OrganisationFactory(org_type=OrganisationType.LINK_WORKER_TEAM)
    overdue = timezone.localdate() - datetime.timedelta(days=3)
    for _ in range(2):
        worker = user_with_role(Role.LINK_WORKER, team)
        case = CaseFactory(team=team, link_worker=worker, first_contact_due_on=overdue)
        for service_, days in zip(services, (6, 11), strict=True):
            ConnectionFactory(
                case=case, service=service_, status=S.REFERRED, consent_to_share=True,
                referred_at=working_days_before(timezone.now(), days),
            )  # fmt: skip
    # Audit entries past their retention period (the audit rule runs last, so nothing
    # the other rules delete tonight adds to this count)
    years_ago = timezone.now() - datetime.timedelta(
        days=settings.RETENTION_SCHEDULE["audit_event"] + 2
    )
    for _ in range(2):
        old = audit_record(actor=referrer, action="view", obj=referrer)
        AuditEvent.objects.filter(pk=old.pk).update(occurred_at=years_ago)


def _run_at_once(worker, task_name: str) -> list[str]:  # noqa: ANN001
    """Send the task twice back to back (the worker runs two at once); their results."""
    ids = [celery_app.send_task(task_name).id for _ in range(2)]
    pattern = r"\[({})\] succeeded in [0-9.e-]+s: (.+)"
    wait_until(
        f"both runs of {task_name}",
        lambda: len(re.findall(pattern.format("|".join(ids)), worker.log())) == 2,
        timeout=90,
    )
    return [result for _, result in re.findall(pattern.format("|".join(ids)), worker.log())]


# What each task finds in _world(), done once: emails queued, rows moved, tasks sent.
EXPECTED = {
    "directory.tasks.listing_reminders_send_task": 2,  # one per editor
    "linkworkers.tasks.linkworker_digests_send_task": 2,  # one per link worker
    "linkworkers.tasks_connections.connection_nudges_send_task": 2,  # one per editor
    "linkworkers.tasks_connections.connections_no_response_mark_task": 2,  # connections
    "outcomes.tasks.reports_recover_task": 2,  # the lost run and the due subscription
    "referrals.tasks.referral_alerts_no_first_contact_task": 0,  # none assigned long ago
    "referrals.tasks.referral_alerts_untriaged_task": 2,  # one per triage lead
    "referrals.tasks.referrals_decline_expired_task": 2,  # referrals declined
    "socialrx.core.tasks.notifications_send_pending_task": 3,  # at least the lost ones
    "socialrx.core.tasks.notifications_check_delivery_task": 2,  # receipts recorded
    "socialrx.core.tasks.retention_apply_task": 2,  # the audit entries past their period
}


def _count(result: str) -> int:
    result = result.strip()
    if result.startswith("{"):  # counts per record type (the retention run)
        return sum(ast.literal_eval(result).values())
    return int(result == "True") if result in ("True", "False") else int(result)


@pytest.fixture
def fake() -> Iterator[notify_fake.FakeNotify]:
    """GOV.UK Notify's API, answered by a local server the worker can reach."""
    yield from notify_fake.serve()


def test_every_periodic_task_run_twice_at_once_does_its_work_once(
    stack: Stack, fake: notify_fake.FakeNotify
):
    _world()
    _awaiting_receipts(fake)
    # Email still goes by SMTP; the receipts check asks the fake Notify.
    worker = stack.start("worker", NOTIFY_API_KEY=notify_fake.API_KEY, NOTIFY_BASE_URL=fake.url)
    tasks = sorted(entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values())
    assert set(tasks) == set(EXPECTED), "a new periodic task needs its work in _world()"
    done_by_pair = {}
    for task in tasks:
        # When the task is sent twice at once, then once more on its own
        done_by_pair[task] = sum(map(_count, _run_at_once(worker, task)))
        again = _run_at_once(worker, task)
        if task != "socialrx.core.tasks.notifications_send_pending_task":
            # (email queued by the tasks before it may be waiting for the worker)
            assert sum(map(_count, again)) == 0, f"{task} found work again: {again}"

    # Then the two runs together did the work once
    sent_pending = done_by_pair.pop("socialrx.core.tasks.notifications_send_pending_task")
    assert sent_pending >= 3
    assert done_by_pair == {k: v for k, v in EXPECTED.items() if k in done_by_pair}
    # And each person got each kind of email once
    wait_until("every email sent", lambda: not Notification.objects.pending().exists(), 90)
    queued = Counter(Notification.objects.filter(channel="email").values_list("kind", "to_email"))
    assert max(queued.values()) == 1, queued
    assert stack.mail_recipients() == Counter(to_email for _, to_email in queued)
    assert Connection.objects.filter(status=S.NO_RESPONSE).count() == 2
    assert ReportFile.objects.filter(subscription__isnull=False).count() == 1
    assert Notification.objects.filter(delivery_status="delivered").count() == 2

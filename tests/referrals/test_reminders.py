"""Reminders about referrals left waiting, and the automatic decline, as beat runs them."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.urls import reverse

from referrals import codes
from referrals.models import AlertReason, Referral, ReferralAlert, ReferralStatusEvent
from referrals.reminders import (
    referral_alerts_no_first_contact_send,
    referral_alerts_untriaged_send,
    referrals_decline_expired,
)
from referrals.services import referral_request_info
from referrals.tasks import (
    referral_alerts_no_first_contact_task,
    referral_alerts_untriaged_task,
    referrals_decline_expired_task,
)
from socialrx.core.models import AuditEvent, OrganisationType, Role
from tests.factories import OrganisationFactory, user_with_role
from tests.referrals.factories import ReferralFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")
# A Wednesday: two working days back is Monday, five is last Wednesday.
NOW = datetime.datetime(2025, 6, 11, 10, 0, tzinfo=LONDON)


def at(day: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(2025, 6, day, hour, 0, tzinfo=LONDON)


def received(referral: Referral, when: datetime.datetime) -> Referral:
    Referral.objects.filter(pk=referral.pk).update(created_at=when)
    referral.refresh_from_db()
    return referral


def assigned(referral: Referral, when: datetime.datetime) -> Referral:
    # Events are immutable, so the assignment is written as it would have been then.
    ReferralStatusEvent.objects.create(
        referral=referral,
        kind=codes.EventKind.ASSIGNED,
        from_status=codes.Status.RECEIVED,
        to_status=codes.Status.ASSIGNED,
        occurred_at=when,
    )
    return referral


@pytest.fixture
def second_service(db):
    service = OrganisationFactory(
        name="Other Connect", org_type=OrganisationType.LINK_WORKER_SERVICE
    )
    lead = user_with_role(Role.TRIAGE_LEAD, service)
    return service, lead


@pytest.mark.django_db
def test_triage_leads_get_one_email_each_listing_overdue_referrals_once(
    referrer,
    triage_lead,
    link_worker_service,
    second_service,
    django_capture_on_commit_callbacks,
):
    # Given two overdue referrals for one service, one for another, and some not due
    service_b, lead_b = second_service
    colleague = user_with_role(Role.TRIAGE_LEAD, link_worker_service)
    make = lambda service: ReferralFactory(referrer=referrer, triage_service=service)  # noqa: E731
    overdue_a = [
        received(make(link_worker_service), at(5)),
        received(make(link_worker_service), at(6)),
    ]
    overdue_b = received(make(service_b), at(6))
    received(make(link_worker_service), at(9, 11))  # under two working days
    waiting_on_referrer = received(make(link_worker_service), at(2))
    referral_request_info(referral=waiting_on_referrer, actor=triage_lead, question="Carer?")
    mail.outbox.clear()

    # When the reminder runs
    with django_capture_on_commit_callbacks(execute=True):
        queued = referral_alerts_untriaged_send(now=NOW)

    # Then each lead gets one email listing their service's overdue referrals, by link
    assert queued == 3
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {triage_lead.email, colleague.email, lead_b.email}
    message = by_recipient[triage_lead.email]
    assert message.subject == "2 referrals have not been triaged within 2 working days"
    for referral in overdue_a:
        assert referral.reference in message.body
        assert reverse("referrals:triage_detail", args=[referral.pk]) in message.body
    assert overdue_b.reference not in message.body
    assert overdue_a[0].person.family_name not in message.body, "no personal data by email"
    assert overdue_b.reference in by_recipient[lead_b.email].body
    assert ReferralAlert.objects.filter(reason=AlertReason.NOT_TRIAGED).count() == 3

    # And when it runs again, nobody is told twice
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert referral_alerts_untriaged_send(now=NOW) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_link_worker_and_lead_are_told_of_no_first_contact_once(
    referrer,
    triage_lead,
    link_worker,
    link_worker_team,
    link_worker_service,
    django_capture_on_commit_callbacks,
):
    # Given referrals assigned over five working days ago, recently, and one contacted
    def make(status, worker=link_worker):
        return ReferralFactory(
            referrer=referrer,
            triage_service=link_worker_service,
            status=status,
            assigned_team=link_worker_team,
            assigned_link_worker=worker,
        )

    overdue = assigned(make(codes.Status.ASSIGNED), at(3))
    team_only = assigned(make(codes.Status.ASSIGNED, worker=None), at(2))
    assigned(make(codes.Status.ASSIGNED), at(5))  # four working days
    assigned(make(codes.Status.FIRST_CONTACT), at(2))  # contacted
    mail.outbox.clear()

    # When the task runs, twice
    with django_capture_on_commit_callbacks(execute=True):
        assert referral_alerts_no_first_contact_send(now=NOW) == 2
        assert referral_alerts_no_first_contact_send(now=NOW) == 0

    # Then the worker hears of their referral, linked to the referral page, and the lead
    # of both, linked to triage, each in one email
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {link_worker.email, triage_lead.email}
    worker_mail = by_recipient[link_worker.email]
    assert worker_mail.subject == "1 referral has had no first contact within 5 working days"
    assert reverse("referrals:detail", args=[overdue.pk]) in worker_mail.body
    assert team_only.reference not in worker_mail.body
    lead_mail = by_recipient[triage_lead.email]
    assert overdue.reference in lead_mail.body
    assert team_only.reference in lead_mail.body
    assert "assigned 3 June 2025" in lead_mail.body
    assert ReferralAlert.objects.filter(reason=AlertReason.NO_FIRST_CONTACT).count() == 2


@pytest.mark.django_db
def test_reminder_tasks_are_idempotent(
    referrer, triage_lead, link_worker_service, link_worker_team
):
    received(ReferralFactory(referrer=referrer, triage_service=link_worker_service), at(2))
    waiting = ReferralFactory(
        referrer=referrer,
        triage_service=link_worker_service,
        status=codes.Status.ASSIGNED,
        assigned_team=link_worker_team,
    )
    assigned(waiting, at(2))
    for task in (referral_alerts_untriaged_task, referral_alerts_no_first_contact_task):
        assert task.delay().get() == 1, "one email, to the triage lead"
        assert task.delay().get() == 0


@pytest.mark.django_db
def test_referrals_no_one_accepted_in_time_are_declined_and_the_referrer_told(
    referrer, triage_lead, link_worker_service, django_capture_on_commit_callbacks
):
    # Given referrals waiting 15 days (one on the referrer), 13 days, and one accepted
    make = lambda: ReferralFactory(referrer=referrer, triage_service=link_worker_service)  # noqa: E731
    now = NOW
    expired = received(make(), now - datetime.timedelta(days=15))
    expired_asking = received(make(), now - datetime.timedelta(days=16))
    referral_request_info(referral=expired_asking, actor=triage_lead, question="Carer?")
    in_time = received(make(), now - datetime.timedelta(days=13))
    accepted = received(make(), now - datetime.timedelta(days=20))
    Referral.objects.filter(pk=accepted.pk).update(status=codes.Status.TRIAGED)
    mail.outbox.clear()

    # When the task runs, twice
    with django_capture_on_commit_callbacks(execute=True):
        assert referrals_decline_expired(now=now) == 2
        assert referrals_decline_expired(now=now) == 0

    # Then only the expired ones are declined, by nobody, with the reason and an event
    for referral in (expired, expired_asking):
        referral.refresh_from_db()
        assert referral.status == codes.Status.DECLINED
        assert referral.decline_reason == codes.DeclineReason.NOT_ACCEPTED_IN_TIME
        [event] = referral.events.filter(kind=codes.EventKind.EXPIRED)
        assert event.actor is None
        assert "within 14 days" in event.note
        assert AuditEvent.objects.filter(
            object_id=str(referral.pk), detail__event=codes.EventKind.EXPIRED
        ).exists()
    in_time.refresh_from_db()
    accepted.refresh_from_db()
    assert in_time.status == codes.Status.RECEIVED
    assert accepted.status == codes.Status.TRIAGED
    # And the referrer is told once per referral, by link only
    assert [m.to for m in mail.outbox] == [[referrer.email], [referrer.email]]
    assert {m.subject for m in mail.outbox} == {
        f"Referral {expired.reference} declined",
        f"Referral {expired_asking.reference} declined",
    }


@pytest.mark.django_db
def test_decline_expired_task_runs_the_service(settings, referrer, link_worker_service):
    settings.REFERRALS_AUTO_DECLINE_DAYS = 3
    make = ReferralFactory(referrer=referrer, triage_service=link_worker_service)
    received(make, make.created_at - datetime.timedelta(days=4))
    assert referrals_decline_expired_task.delay().get() == 1


def christmas_2026(day: int, hour: int) -> datetime.datetime:
    # Friday 25 December 2026; Boxing Day is Saturday, its substitute Monday 28.
    return datetime.datetime(2026, 12, day, hour, 0, tzinfo=LONDON)


@pytest.mark.django_db
def test_an_automatic_decline_due_on_christmas_day_waits_for_the_next_working_day(
    referrer, link_worker_service, django_capture_on_commit_callbacks
):
    # Given a referral received on Friday 11 December: 14 days on is Christmas Day
    referral = received(
        ReferralFactory(referrer=referrer, triage_service=link_worker_service),
        christmas_2026(11, 12),
    )
    mail.outbox.clear()

    # When the decline runs through Christmas and the bank holiday weekend
    with django_capture_on_commit_callbacks(execute=True):
        for day in (25, 26, 27, 28):
            assert referrals_decline_expired(now=christmas_2026(day, 13)) == 0
    # Then nobody is told anything until the next working day, Tuesday 29 December
    referral.refresh_from_db()
    assert referral.status == codes.Status.RECEIVED
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert referrals_decline_expired(now=christmas_2026(29, 7)) == 1
    referral.refresh_from_db()
    assert referral.status == codes.Status.DECLINED
    assert [m.subject for m in mail.outbox] == [f"Referral {referral.reference} declined"]


@pytest.mark.django_db
def test_the_triage_alert_counts_bank_holidays_out(
    referrer, triage_lead, link_worker_service, django_capture_on_commit_callbacks
):
    # Given a referral received on Wednesday 23 December at 10:00: two working days on is
    # Tuesday 29 December (Christmas, the weekend and Boxing Day's substitute skipped)
    referral = received(
        ReferralFactory(referrer=referrer, triage_service=link_worker_service),
        christmas_2026(23, 10),
    )
    mail.outbox.clear()

    # When the alert runs on the bank holiday Monday and early on Tuesday, no one is told
    with django_capture_on_commit_callbacks(execute=True):
        assert referral_alerts_untriaged_send(now=christmas_2026(28, 12)) == 0
        assert referral_alerts_untriaged_send(now=christmas_2026(29, 9)) == 0
    assert mail.outbox == []

    # Then at 10:00 on Tuesday the triage lead is
    with django_capture_on_commit_callbacks(execute=True):
        assert referral_alerts_untriaged_send(now=christmas_2026(29, 10)) == 1
    [message] = mail.outbox
    assert message.to == [triage_lead.email]
    assert referral.reference in message.body

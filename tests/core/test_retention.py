"""The retention schedule removes exactly what it says, after a dry run that counts the
same, and nothing else."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from linkworkers.models import (
    Assessment,
    Case,
    CaseStatusEvent,
    Connection,
    ConnectionEvent,
    Contact,
    MessageBack,
    PlanGoal,
)
from linkworkers.services.closure import case_close
from linkworkers.services.contacts import contact_record
from outcomes import codes as outcome_codes
from outcomes.models import MeasureRecord
from referrals.models import Person, PersonDetailsEvent, Referral, ReferralStatusEvent
from socialrx.core.audit import audit_record
from socialrx.core.data_protection.models import RetentionRun
from socialrx.core.data_protection.rules import RETENTION_AUDIT
from socialrx.core.data_protection.services import retention_apply
from socialrx.core.models import AuditEvent
from socialrx.core.tasks import retention_apply_task
from tests.linkworkers.factories import CaseFactory, ConnectionFactory, PlanGoalFactory
from tests.outcomes.factories import record_measure
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)
YEAR = 365


def days_before(days: int) -> datetime.datetime:
    """A moment ``days`` whole days before TODAY, at midday."""
    day = TODAY - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def closed_case(link_worker, team, *, closed_days_ago: int) -> Case:
    """A case with something of every kind recorded in it, closed that long ago."""
    case = CaseFactory(team=team, link_worker=link_worker)
    contact_record(
        case=case, actor=link_worker, occurred_at=timezone.now(), mode="phone", successful=True
    )
    PlanGoalFactory(plan__case=case)
    connection = ConnectionFactory(case=case)
    ConnectionEvent.objects.create(connection=connection, to_status="suggested")
    record_measure(case, outcome_codes.ONS_LONELINESS, [1])
    ReferralStatusEvent.objects.create(
        referral=case.referral, kind="submitted", to_status="received"
    )
    case_close(case=case, actor=link_worker, outcome="supported", support_summary="Done.")
    Case.objects.filter(pk=case.pk).update(closed_at=days_before(closed_days_ago))
    return case


def declined_referral(*, changed_days_ago: int) -> Referral:
    referral = ReferralFactory(source="self", status="declined", decline_reason="not_eligible")
    ReferralStatusEvent.objects.create(referral=referral, kind="declined", to_status="declined")
    # Their phone number was corrected once: the history of corrections goes with them.
    PersonDetailsEvent.objects.create(
        person=referral.person, changes={"phone": ["", "07700 900123"]}
    )
    Referral.objects.filter(pk=referral.pk).update(updated_at=days_before(changed_days_ago))
    Person.objects.filter(pk=referral.person_id).update(updated_at=days_before(changed_days_ago))
    return referral


@pytest.fixture
def world(link_worker, link_worker_team):
    """Given records either side of each retention boundary."""
    due_case = closed_case(link_worker, link_worker_team, closed_days_ago=8 * YEAR + 1)
    kept_case = closed_case(link_worker, link_worker_team, closed_days_ago=8 * YEAR - 1)
    open_case = CaseFactory(team=link_worker_team, link_worker=link_worker)
    Case.objects.filter(pk=open_case.pk).update(opened_at=days_before(20 * YEAR))
    due_referral = declined_referral(changed_days_ago=2 * YEAR + 1)
    kept_referral = declined_referral(changed_days_ago=2 * YEAR - 1)
    old_open_referral = ReferralFactory(source="self", status="received")
    Referral.objects.filter(pk=old_open_referral.pk).update(updated_at=days_before(10 * YEAR))
    old_audit = audit_record(actor=link_worker, action="view", obj=due_case)
    new_audit = audit_record(actor=link_worker, action="view", obj=kept_case)
    AuditEvent.objects.filter(pk=old_audit.pk).update(occurred_at=days_before(8 * YEAR + 1))
    AuditEvent.objects.filter(pk=new_audit.pk).update(occurred_at=days_before(8 * YEAR - 1))
    return {
        "due_case": due_case,
        "kept_case": kept_case,
        "open_case": open_case,
        "due_referral": due_referral,
        "kept_referral": kept_referral,
        "old_open_referral": old_open_referral,
        "old_audit": old_audit,
        "new_audit": new_audit,
    }


EXPECTED = {
    "measures_of_closed_case": 1,
    "closed_case": 1,
    "referral_without_case": 1,
    "person_without_referral": 1,
    "notification": 0,
    "audit_event": 1,
}


def row_counts() -> dict[str, int]:
    models = [
        Person, Referral, Case, Contact, Assessment, PlanGoal, Connection, MessageBack,
        MeasureRecord, AuditEvent,
    ]  # fmt: skip
    counts = {m.__name__: m.objects.count() for m in models}
    for model in (ReferralStatusEvent, CaseStatusEvent, ConnectionEvent, PersonDetailsEvent):
        counts[model.__name__] = model._base_manager.count()
    return counts


def test_dry_run_counts_what_is_due_and_changes_nothing(world):
    before = row_counts()

    run = retention_apply(today=TODAY, dry_run=True)

    assert run.counts == EXPECTED
    assert run.dry_run
    assert row_counts() == before


def test_run_deletes_exactly_what_the_dry_run_counted_and_nothing_else(world):
    dry = retention_apply(today=TODAY, dry_run=True)
    due_case, kept_case = world["due_case"], world["kept_case"]
    due_referral = world["due_referral"]
    other_audit = AuditEvent.objects.exclude(pk=world["old_audit"].pk).count()

    run = retention_apply(today=TODAY)

    assert run.counts == dry.counts == EXPECTED
    assert RetentionRun.objects.filter(dry_run=False).get().counts == EXPECTED
    # The closed case and everything recorded in it, its referral and the person, went.
    assert not Case.objects.filter(pk=due_case.pk).exists()
    assert not Referral.objects.filter(pk=due_case.referral_id).exists()
    assert not ReferralStatusEvent._base_manager.filter(referral_id=due_case.referral_id).exists()
    assert not CaseStatusEvent._base_manager.filter(case_id=due_case.pk).exists()
    for model in (Contact, PlanGoal, Connection, MessageBack, MeasureRecord):
        assert (
            model.objects.filter(
                **{"plan__case" if model is PlanGoal else "case": due_case.pk}
            ).count()
            == 0
        )
    assert not Referral.objects.filter(pk=due_referral.pk).exists()
    assert not Person.objects.filter(pk=due_referral.person_id).exists()
    assert not PersonDetailsEvent._base_manager.filter(person_id=due_referral.person_id).exists()
    assert not AuditEvent.objects.filter(pk=world["old_audit"].pk).exists()
    # Everything on the other side of a boundary is untouched.
    assert Case.objects.filter(pk__in=[kept_case.pk, world["open_case"].pk]).count() == 2
    assert Contact.objects.filter(case=kept_case).count() == 1
    assert MeasureRecord.objects.filter(case=kept_case).count() == 1
    assert MessageBack.objects.filter(case=kept_case).count() == 1
    assert ConnectionEvent._base_manager.filter(connection__case=kept_case).count() == 1
    assert (
        Referral.objects.filter(
            pk__in=[world["kept_referral"].pk, world["old_open_referral"].pk]
        ).count()
        == 2
    )
    assert PersonDetailsEvent._base_manager.filter(person=world["kept_referral"].person).exists()
    # The run's own audit entries aside, every other audit entry stays.
    assert AuditEvent.objects.count() == other_audit


def test_a_second_run_the_same_day_finds_nothing(world):
    retention_apply(today=TODAY)

    again = retention_apply(today=TODAY)

    assert again.total == 0


def test_the_nightly_task_applies_the_schedule_from_today(world, settings):
    # The task takes no date: it measures from the real today, and records what it did.
    counts = retention_apply_task()

    assert counts == RetentionRun.objects.get().counts
    assert not RetentionRun.objects.get().dry_run


def test_dry_run_command_reports_counts_without_deleting(world, capsys):
    before = row_counts()

    call_command("retention_apply", "--dry-run", "--as-of", TODAY.isoformat())

    out = capsys.readouterr().out
    assert "closed_case: would remove 1" in out
    assert "Total would remove: 5" in out
    assert row_counts() == before


def test_command_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("retention_apply", "--as-of", "1st June")


def test_a_shorter_schedule_from_settings_is_followed(world, settings):
    settings.RETENTION_SCHEDULE = {**settings.RETENTION_SCHEDULE, "closed_case": 8 * YEAR - 2}

    run = retention_apply(today=TODAY, dry_run=True)

    assert run.counts["closed_case"] == 2


def test_every_schedule_entry_can_be_set_from_the_environment_and_is_in_env_example(settings):
    from pathlib import Path

    example = (Path(settings.BASE_DIR) / ".env.example").read_text()

    missing = [
        k for k in settings.RETENTION_SCHEDULE if f"RETENTION_DAYS_{k.upper()}=" not in example
    ]

    assert missing == []


def test_audit_entries_are_due_by_the_local_day_they_were_written(link_worker):
    """Given entries a minute either side of local midnight at the start of the cutoff
    day, in summer time (midnight in London is 23:00 UTC the day before)."""
    cutoff = RETENTION_AUDIT.cutoff(TODAY)
    midnight = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
    due = audit_record(actor=link_worker, action="view", object_type="x.y", object_id=1)
    kept = audit_record(actor=link_worker, action="view", object_type="x.y", object_id=2)
    AuditEvent.objects.filter(pk=due.pk).update(
        occurred_at=midnight - datetime.timedelta(minutes=1)
    )
    AuditEvent.objects.filter(pk=kept.pk).update(occurred_at=midnight)

    deleted = RETENTION_AUDIT.apply(TODAY)

    assert deleted == 1
    assert midnight.utcoffset() == datetime.timedelta(hours=1)
    assert not AuditEvent.objects.filter(pk=due.pk).exists()
    assert AuditEvent.objects.filter(pk=kept.pk).exists()

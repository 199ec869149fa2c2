import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from linkworkers import codes
from linkworkers.models import CaseStatusEvent, Contact
from linkworkers.services.contacts import contact_record, unable_to_contact_suggested
from referrals import codes as referral_codes
from socialrx.core.models import AuditEvent
from tests.factories import UserFactory
from tests.helpers.html import parse
from tests.linkworkers.factories import (
    AssessmentDomainFactory,
    AssessmentFactory,
    ContactFactory,
)

pytestmark = pytest.mark.django_db


def _record(case, actor, *, days_ago=0, successful=False, **extra):
    return contact_record(
        case=case,
        actor=actor,
        occurred_at=timezone.now() - datetime.timedelta(days=days_ago),
        mode=codes.ContactMode.PHONE,
        successful=successful,
        **extra,
    )


def test_an_attempt_leaves_the_case_awaiting_first_contact(case, link_worker):
    contact = _record(case, link_worker, duration_minutes=5)

    case.refresh_from_db()
    assert case.status == codes.CaseStatus.AWAITING_CONTACT
    assert contact.duration_minutes is None  # an attempt has no conversation to time
    assert case.referral.status == referral_codes.Status.ASSIGNED


def test_the_first_conversation_is_the_referrals_first_contact(case, link_worker):
    later = timezone.now() + datetime.timedelta(days=7)
    _record(case, link_worker, successful=True, duration_minutes=40, next_appointment_at=later)

    case.refresh_from_db()
    case.referral.refresh_from_db()
    assert case.status == codes.CaseStatus.ACTIVE
    assert case.first_contact_at is not None
    assert case.next_appointment_at == later
    assert [e.kind for e in case.events.all()] == ["first_contact"]
    assert case.referral.status == referral_codes.Status.FIRST_CONTACT
    event = case.referral.events.get(kind="first_contact")
    assert (event.actor, event.snomed_code) == (link_worker, "871731000000106")

    _record(case, link_worker, successful=True, duration_minutes=20)
    assert case.referral.events.filter(kind="first_contact").count() == 1


def test_contacts_are_for_the_team_on_open_cases_in_the_past(case, link_worker, other_team_worker):
    with pytest.raises(PermissionDenied):
        _record(case, other_team_worker)
    with pytest.raises(ValidationError):
        _record(case, link_worker, days_ago=-1)
    case.status, case.closure_outcome, case.closed_at = "closed", "supported", timezone.now()
    case.save()
    with pytest.raises(ValidationError):
        _record(case, link_worker)


@pytest.mark.parametrize(
    ("attempt_days_ago", "modes", "suggested"),
    [
        ((9, 5, 0), ("phone", "phone", "text"), False),  # not ten days
        ((10, 5, 0), ("phone", "phone", "text"), True),
        ((12, 0), ("phone", "text"), False),  # two attempts
        # Three calls at the same time of day: one missed call, repeated, is not enough.
        ((10, 5, 0), ("phone", "phone", "phone"), False),
    ],
)
def test_three_attempts_over_ten_days_by_two_methods_suggest_closing(
    case, attempt_days_ago, modes, suggested
):
    case.opened_at = timezone.now() - datetime.timedelta(days=20)
    for days, mode in zip(attempt_days_ago, modes, strict=True):
        ContactFactory(
            case=case, mode=mode, occurred_at=timezone.now() - datetime.timedelta(days=days)
        )
    assert unable_to_contact_suggested(case) is suggested


def test_the_same_method_at_different_times_of_day_meets_the_rule(case):
    morning = timezone.localtime().replace(hour=9, minute=0)
    evening = morning.replace(hour=18)
    for when in (morning - datetime.timedelta(days=11), morning - datetime.timedelta(days=6)):
        ContactFactory(case=case, mode="phone", occurred_at=when)
    assert unable_to_contact_suggested(case) is False
    ContactFactory(case=case, mode="phone", occurred_at=evening - datetime.timedelta(days=1))
    assert unable_to_contact_suggested(case) is True


def test_the_attempts_and_days_are_settings(client, case, link_worker, settings):
    # Given two attempts four days apart, under a rule of two attempts over four days
    settings.LINKWORKERS_UNABLE_TO_CONTACT_ATTEMPTS = 2
    settings.LINKWORKERS_UNABLE_TO_CONTACT_DAYS = 4
    for days, mode in ((4, "phone"), (0, "letter")):
        ContactFactory(
            case=case, mode=mode, occurred_at=timezone.now() - datetime.timedelta(days=days)
        )

    # Then closing is suggested, and the case page states the rule it applied
    assert unable_to_contact_suggested(case) is True
    client.force_login(link_worker)
    page = client.get(reverse("linkworkers:case", args=[case.pk])).content.decode()
    assert "2 or more attempts" in page
    assert "at least 4 days" in page


def test_a_conversation_starts_the_count_again(case):
    now = timezone.now()
    for days in (20, 15, 11):
        ContactFactory(case=case, occurred_at=now - datetime.timedelta(days=days))
    ContactFactory(case=case, successful=True, occurred_at=now - datetime.timedelta(days=10))
    ContactFactory(case=case, occurred_at=now - datetime.timedelta(days=1))
    assert unable_to_contact_suggested(case) is False


# --- views ----------------------------------------------------------------------------


def _form(**overrides):
    today = timezone.localdate() - datetime.timedelta(days=1)
    data = {
        "successful": "yes",
        "occurred_on_day": today.day,
        "occurred_on_month": today.month,
        "occurred_on_year": today.year,
        "occurred_time": "10:15",
        "mode": "phone",
        "duration_minutes": "30",
        "note": "Talked about the walking group.",
    }
    data.update(overrides)
    return data


def test_link_worker_records_a_contact_from_the_case_page(client, case, link_worker):
    client.force_login(link_worker)
    page = client.get(reverse("linkworkers:case", args=[case.pk]))
    assert reverse("linkworkers:contact_add", args=[case.pk]) in page.content.decode()

    response = client.post(reverse("linkworkers:contact_add", args=[case.pk]), _form())

    assert response.status_code == 302
    contact = Contact.objects.get(case=case)
    assert (contact.successful, contact.duration_minutes, contact.mode) == (True, 30, "phone")


def test_contact_form_errors_are_shown(client, case, link_worker):
    client.force_login(link_worker)
    response = client.post(
        reverse("linkworkers:contact_add", args=[case.pk]),
        _form(duration_minutes="", occurred_time="quarter past"),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter how long you spoke for, in minutes" in body
    assert "There is a problem" in body
    assert not Contact.objects.exists()


def test_case_page_is_audited_and_shows_private_notes_to_the_team(client, case, link_worker):
    ContactFactory(case=case, note="Private: lives alone since March.")
    client.force_login(link_worker)

    response = client.get(reverse("linkworkers:case", args=[case.pk]))

    assert "Private: lives alone since March." in response.content.decode()
    audited = set(
        AuditEvent.objects.filter(actor=link_worker, action="view").values_list(
            "object_type", "object_id"
        )
    )
    assert {
        ("linkworkers.case", str(case.pk)),
        ("referrals.person", str(case.referral.person_id)),
    } <= audited


def test_case_page_suggests_closing_after_three_attempts(client, case, link_worker):
    now = timezone.now()
    case.opened_at = now - datetime.timedelta(days=20)
    case.save()
    for days, mode in ((12, "phone"), (6, "text"), (1, "phone")):
        ContactFactory(case=case, mode=mode, occurred_at=now - datetime.timedelta(days=days))
    client.force_login(link_worker)
    response = client.get(reverse("linkworkers:case", args=[case.pk]))
    assert "close the case as unable to contact" in response.content.decode()


def test_case_page_queries_do_not_grow_with_its_history(
    client, case, link_worker, django_assert_num_queries
):
    """The page shows every contact, assessment and status change: each list is one
    query, however long the case has run (people from other teams recorded some)."""

    def add_history() -> None:
        colleague = UserFactory()
        ContactFactory(case=case, successful=True, recorded_by=colleague)
        assessment = AssessmentFactory(case=case, assessed_by=colleague)
        AssessmentDomainFactory(assessment=assessment)
        CaseStatusEvent.objects.create(
            case=case,
            kind=codes.CaseEventKind.FIRST_CONTACT,
            to_status=codes.CaseStatus.ACTIVE,
            actor=colleague,
        )

    add_history()
    client.force_login(link_worker)
    url = reverse("linkworkers:case", args=[case.pk])
    client.get(url)
    # 1 the user with their roles (the session comes from the cache), 2 the case with its
    # referral, person, worker and review date, 3 its team, the referrer's organisation
    # and the person's practice, 4 reasons, 5 contacts with who recorded them (the
    # attempts are counted from these), 6 status changes with actors, 7 assessments with
    # assessors (the page shows no domains), 8 the messages to the person about the
    # referral, 9 the audit insert (case and person).
    with django_assert_num_queries(9):
        client.get(url)
    for _ in range(4):
        add_history()
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.content.decode().count("Spoke") >= 5


def test_case_page_counts_the_attempts_so_far(client, case, link_worker):
    for days in (3, 2):
        _record(case, link_worker, days_ago=days)
    client.force_login(link_worker)

    page = parse(client.get(reverse("linkworkers:case", args=[case.pk])).content.decode())

    rows = {
        row.one("dt").text: row.one("dd").text
        for row in page.find_all(cls="nhsuk-summary-list__row")
    }
    assert rows["Attempts so far"] == "2"

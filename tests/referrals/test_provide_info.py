"""The referrer answers the triage team's request for more information."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from referrals import codes
from referrals.models import ReferralStatusEvent
from referrals.services import referral_provide_info, referral_request_info
from socialrx.core.models import AuditAction, AuditEvent, Role
from tests.factories import UserFactory, user_with_role
from tests.referrals.factories import ReferralFactory

QUESTION = "Does the person have a carer we should speak to?"


@pytest.fixture
def asked(referrer, triage_lead, link_worker_service, route):
    referral = ReferralFactory(referrer=referrer, triage_service=link_worker_service)
    return referral_request_info(referral=referral, actor=triage_lead, question=QUESTION)


def _answer(client, referral, answer="Yes, her daughter: call after 5pm."):
    return client.post(reverse("referrals:provide_info", args=[referral.pk]), {"answer": answer})


@pytest.mark.django_db
def test_referrer_sees_the_question_and_answers_it_back_into_the_queue(
    client, referrer, triage_lead, asked
):
    # Given the triage team asked a question
    client.force_login(referrer)
    page = client.get(reverse("referrals:detail", args=[asked.pk]))
    assert page.context["info_form"] is not None
    assert QUESTION in page.content.decode()

    # When the referrer answers from the referral page
    response = _answer(client, asked)

    # Then the referral is back in the queue, with the answer in its history, by them
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == codes.Status.RECEIVED
    event = asked.events.last()
    assert event.kind == codes.EventKind.INFO_PROVIDED
    assert event.actor == referrer
    assert event.note == "Yes, her daughter: call after 5pm."
    assert AuditEvent.objects.filter(
        actor=referrer,
        action=AuditAction.UPDATE,
        object_id=str(asked.pk),
        detail__event=codes.EventKind.INFO_PROVIDED,
    ).exists()
    client.force_login(triage_lead)
    queue = client.get(reverse("referrals:triage"))
    assert [row.referral for row in queue.context["rows"]] == [asked]


@pytest.mark.django_db
def test_a_colleague_at_the_practice_may_answer(client, practice, asked):
    colleague = user_with_role(Role.REFERRER, practice)
    client.force_login(colleague)
    assert _answer(client, asked).status_code == 302


@pytest.mark.django_db
def test_an_empty_answer_is_refused_with_a_field_error(client, referrer, asked):
    client.force_login(referrer)
    response = _answer(client, asked, answer="   ")
    assert response.status_code == 400
    assert response.context["info_form"].errors["answer"]
    assert "More information requested" in response.content.decode()  # the history
    asked.refresh_from_db()
    assert asked.status == codes.Status.INFO_REQUESTED


@pytest.mark.django_db
def test_no_form_and_no_answer_once_nothing_is_asked(client, referrer, asked):
    client.force_login(referrer)
    _answer(client, asked)
    page = client.get(reverse("referrals:detail", args=[asked.pk]))
    assert page.context["info_form"] is None
    second = _answer(client, asked, answer="More")
    assert second.status_code == 302
    followed = client.get(second.url)
    assert "not waiting for more information" in followed.content.decode()
    assert asked.events.filter(kind=codes.EventKind.INFO_PROVIDED).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role_user", ["triage_lead", "link_worker", "commissioner"])
def test_other_roles_are_forbidden(client, asked, role_user, request):
    client.force_login(request.getfixturevalue(role_user))
    assert _answer(client, asked).status_code == 403


@pytest.mark.django_db
def test_triage_lead_sees_no_answer_form(client, triage_lead, asked):
    client.force_login(triage_lead)
    page = client.get(reverse("referrals:detail", args=[asked.pk]))
    assert page.context["info_form"] is None


@pytest.mark.django_db
def test_a_referrer_elsewhere_gets_404(client, other_org_user, asked):
    client.force_login(other_org_user)
    assert _answer(client, asked).status_code == 404
    asked.refresh_from_db()
    assert asked.status == codes.Status.INFO_REQUESTED


@pytest.mark.django_db
def test_the_service_refuses_anyone_outside_the_referring_organisation(triage_lead, asked):
    with pytest.raises(PermissionDenied):
        referral_provide_info(referral=asked, actor=triage_lead, answer="From triage")


def test_the_answer_is_one_transition_from_info_requested_only():
    assert codes.can_transition(codes.Status.INFO_REQUESTED, codes.EventKind.INFO_PROVIDED)
    assert not codes.can_transition(codes.Status.RECEIVED, codes.EventKind.INFO_PROVIDED)


@pytest.mark.django_db
def test_a_refused_answer_shows_the_history_in_the_same_queries_however_long(
    client, referrer, triage_lead, asked
):
    """The page shown again with the error names who made each change: the actors come
    with the history, not one query per change."""
    client.force_login(referrer)

    def refused_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert _answer(client, asked, answer="").status_code == 400
        return len(captured)

    before = refused_queries()
    for n in range(4):
        ReferralStatusEvent.objects.create(
            referral=asked,
            kind=codes.EventKind.INFO_PROVIDED,
            from_status=asked.status,
            to_status=asked.status,
            actor=UserFactory(full_name=f"Colleague {n}"),
        )
    assert refused_queries() == before

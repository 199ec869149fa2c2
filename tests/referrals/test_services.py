import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from referrals import codes
from referrals.models import Person, Referral, ReferralStatusEvent
from referrals.services import (
    IdempotencyConflict,
    person_keep_apart,
    person_merge,
    referral_assign,
    referral_decline,
    referral_record_progress,
    referral_redirect,
    referral_request_info,
    referral_set_link_worker,
    referral_submit,
)
from socialrx.core.models import AuditEvent, OrganisationType, Role
from tests.factories import OrganisationFactory, user_with_role
from tests.referrals.factories import PersonFactory


def _submit(referrer, practice, data, key=""):
    return referral_submit(data=data, referrer=referrer, organisation=practice, idempotency_key=key)


@pytest.fixture
def submitted(referrer, practice, route, make_input, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return _submit(referrer, practice, make_input(practice)).referral


@pytest.mark.django_db
def test_submit_stores_person_reasons_and_a_received_event(submitted, referrer, route):
    assert submitted.person.nhs_number == "9990000018"
    assert submitted.person.postcode == "NN1 1AA"
    assert submitted.triage_service == route.service
    assert submitted.status == codes.Status.RECEIVED
    assert sorted(submitted.reason_codes) == ["bereavement", "loneliness"]
    [event] = submitted.events.all()
    assert (event.kind, event.actor, event.to_status) == ("submitted", referrer, "received")
    assert AuditEvent.objects.filter(action="create", object_id=str(submitted.pk)).exists()


@pytest.mark.django_db
def test_other_reason_text_is_kept_only_when_other_is_chosen(referrer, practice, route, make_input):
    # The form keeps the text box's contents after "Other" is unticked.
    without = _submit(referrer, practice, make_input(practice, reason_other="Gardening")).referral
    with_other = _submit(
        referrer,
        practice,
        make_input(practice, reasons=(codes.Reason.OTHER,), reason_other="Gardening"),
        key="second",
    ).referral
    assert without.reason_other == ""
    assert with_other.reason_other == "Gardening"


@pytest.mark.django_db
def test_the_person_is_told_who_will_contact_them(submitted, route):
    [message] = mail.outbox
    assert message.to == ["ada.lane@person.example"]
    assert route.service.name in message.body


@pytest.mark.django_db
def test_no_email_to_the_person_without_their_agreement(
    referrer, practice, route, make_input, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _submit(referrer, practice, make_input(practice, contact_consent=False))
    assert mail.outbox == []


@pytest.mark.django_db
def test_same_key_and_body_returns_the_first_referral(referrer, practice, route, make_input):
    first = _submit(referrer, practice, make_input(practice), key="k1")
    again = _submit(referrer, practice, make_input(practice), key="k1")
    assert (first.created, again.created) == (True, False)
    assert again.referral == first.referral
    assert Referral.objects.count() == Person.objects.count() == 1


@pytest.mark.django_db
def test_same_key_with_a_different_body_is_refused(referrer, practice, route, make_input):
    _submit(referrer, practice, make_input(practice), key="k1")
    with pytest.raises(IdempotencyConflict):
        _submit(referrer, practice, make_input(practice, what_matters="else"), key="k1")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"consent_to_share": False}, "consent"),
        ({"reasons": ()}, "reasons"),
        ({"reasons": ("other",)}, "reason_other"),
    ],
)
def test_submit_refuses_bad_input_with_field_errors(
    referrer, practice, route, make_input, overrides, field
):
    with pytest.raises(ValidationError) as caught:
        _submit(referrer, practice, make_input(practice, **overrides))
    assert field in caught.value.message_dict
    assert Referral.objects.count() == 0


@pytest.mark.django_db
def test_cannot_refer_for_another_organisation(referrer, route, make_input, practice):
    elsewhere = OrganisationFactory()
    with pytest.raises(ValidationError, match="your own organisation"):
        _submit(referrer, elsewhere, make_input(practice))


@pytest.mark.django_db
def test_unmapped_practice_falls_back_to_the_county_default(
    referrer, practice, default_route, make_input
):
    referral = _submit(referrer, practice, make_input(practice)).referral
    assert referral.triage_service == default_route.service


@pytest.mark.django_db
def test_assign_moves_to_assigned_and_tells_the_referrer_by_link_only(
    submitted,
    triage_lead,
    link_worker,
    link_worker_team,
    referrer,
    django_capture_on_commit_callbacks,
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        referral_assign(
            referral=submitted, team=link_worker_team, link_worker=link_worker, actor=triage_lead
        )
    submitted.refresh_from_db()
    assert submitted.status == codes.Status.ASSIGNED
    assert submitted.assigned_link_worker == link_worker
    assert submitted.events.last().actor == triage_lead
    # The referrer by link; the person, who agreed to be told, by their own message.
    message, to_person = mail.outbox
    assert message.to == [referrer.email]
    assert to_person.subject == "Your referral has been accepted"
    assert f"/referrals/{submitted.pk}/" in message.body
    assert "Ada" not in message.body
    assert "Lane" not in message.body + message.subject


@pytest.mark.django_db
def test_assign_refuses_a_team_or_worker_outside_the_service(
    submitted, triage_lead, link_worker_team
):
    stranger_team = OrganisationFactory(org_type=OrganisationType.LINK_WORKER_TEAM)
    with pytest.raises(ValidationError, match="team"):
        referral_assign(referral=submitted, team=stranger_team, actor=triage_lead)
    outsider = user_with_role(Role.LINK_WORKER, stranger_team)
    with pytest.raises(ValidationError, match="link worker"):
        referral_assign(
            referral=submitted, team=link_worker_team, link_worker=outsider, actor=triage_lead
        )


@pytest.mark.django_db
def test_setting_the_link_worker_is_audited_with_no_event_and_no_email(
    submitted, triage_lead, link_worker, link_worker_team, django_capture_on_commit_callbacks
):
    # Given a referral assigned to the team with no link worker named
    referral_assign(referral=submitted, team=link_worker_team, actor=triage_lead)
    events = submitted.events.count()
    mail.outbox.clear()

    # When a link worker of the team takes it on
    with django_capture_on_commit_callbacks(execute=True):
        referral = referral_set_link_worker(
            referral=submitted, link_worker=link_worker, actor=link_worker
        )

    # Then the referral names them, the change is audited, and the referrer is not told
    submitted.refresh_from_db()
    assert referral.assigned_link_worker == submitted.assigned_link_worker == link_worker
    assert submitted.status == codes.Status.ASSIGNED
    assert submitted.events.count() == events
    assert mail.outbox == []
    [entry] = AuditEvent.objects.for_object("referrals.referral", submitted.pk).filter(
        detail__has_key="assigned_link_worker"
    )
    assert (entry.actor, entry.detail["assigned_link_worker"]) == (
        link_worker,
        {"from": None, "to": link_worker.pk},
    )

    # And naming the same worker again changes nothing
    referral_set_link_worker(referral=submitted, link_worker=link_worker, actor=triage_lead)
    assert AuditEvent.objects.filter(detail__has_key="assigned_link_worker").count() == 1


@pytest.mark.django_db
def test_setting_the_link_worker_is_for_the_team_or_triage_and_within_the_team(
    submitted, triage_lead, link_worker, link_worker_team, referrer
):
    with pytest.raises(ValidationError, match="assigned to a team"):
        referral_set_link_worker(referral=submitted, link_worker=link_worker, actor=triage_lead)
    referral_assign(referral=submitted, team=link_worker_team, actor=triage_lead)
    stranger_team = OrganisationFactory(org_type=OrganisationType.LINK_WORKER_TEAM)
    outsider = user_with_role(Role.LINK_WORKER, stranger_team)

    for actor in (outsider, referrer):
        with pytest.raises(PermissionDenied):
            referral_set_link_worker(referral=submitted, link_worker=link_worker, actor=actor)
    with pytest.raises(ValidationError) as error:
        referral_set_link_worker(referral=submitted, link_worker=outsider, actor=triage_lead)
    assert "link_worker" in error.value.error_dict
    submitted.refresh_from_db()
    assert submitted.assigned_link_worker is None


@pytest.mark.django_db
def test_decline_records_reason_and_alternative_then_nothing_more_can_happen(
    submitted, triage_lead, link_worker_team
):
    referral_decline(
        referral=submitted,
        actor=triage_lead,
        reason=codes.DeclineReason.NEEDS_CRISIS_SERVICE,
        suggested_alternative="NHS 111, option 2 (mental health crisis)",
    )
    submitted.refresh_from_db()
    assert submitted.status == codes.Status.DECLINED
    assert submitted.suggested_alternative.startswith("NHS 111")
    with pytest.raises(ValidationError, match="cannot be"):
        referral_assign(referral=submitted, team=link_worker_team, actor=triage_lead)


@pytest.mark.django_db
def test_redirect_moves_the_referral_to_another_services_queue(submitted, triage_lead):
    other = OrganisationFactory(org_type=OrganisationType.LINK_WORKER_SERVICE)
    referral_redirect(referral=submitted, service=other, actor=triage_lead)
    submitted.refresh_from_db()
    assert (submitted.triage_service, submitted.status) == (other, codes.Status.RECEIVED)


@pytest.mark.django_db
def test_request_info_needs_a_question(submitted, triage_lead):
    with pytest.raises(ValidationError):
        referral_request_info(referral=submitted, actor=triage_lead, question=" ")
    referral_request_info(referral=submitted, actor=triage_lead, question="Is there a carer?")
    submitted.refresh_from_db()
    assert submitted.status == codes.Status.INFO_REQUESTED


@pytest.mark.django_db
def test_full_loop_carries_snomed_codes(submitted, triage_lead, link_worker, link_worker_team):
    referral_assign(referral=submitted, team=link_worker_team, actor=triage_lead)
    for kind in ("first_contact", "in_progress"):
        referral_record_progress(referral=submitted, actor=link_worker, kind=kind)
    referral_record_progress(
        referral=submitted,
        actor=link_worker,
        kind="closed",
        outcome=codes.ClosureOutcome.DECLINED_BY_PERSON,
    )
    codes_written = list(submitted.events.values_list("kind", "snomed_code"))
    assert ("first_contact", "871731000000106") in codes_written
    assert ("closed", "871711000000103") in codes_written
    assert ReferralStatusEvent.objects.filter(referral=submitted).count() == 5


@pytest.mark.django_db
def test_duplicates_are_merged_or_kept_apart_only_by_decision(triage_lead, submitted):
    twin = PersonFactory(
        nhs_number="9990000018",
        given_name="Ada",
        family_name="Lane",
        date_of_birth=submitted.person.date_of_birth,
    )
    assert list(Person.objects.possible_duplicates_of(submitted.person)) == [twin]
    person_keep_apart(person=submitted.person, other=twin, actor=triage_lead)
    assert list(Person.objects.possible_duplicates_of(submitted.person)) == []
    person_merge(keep=twin, merge=submitted.person, actor=triage_lead)
    submitted.refresh_from_db()
    assert submitted.person == twin

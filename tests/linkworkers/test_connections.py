"""Onward connections: each transition through its one service function, by the right
side only, with an immutable event naming who made it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from directory.models import CapacityStatus
from linkworkers import codes
from linkworkers.connections.services import lifecycle as svc
from linkworkers.models import Connection, UnmetNeed
from linkworkers.permissions import connections_to_services_of
from socialrx.core.models import AuditEvent, Role
from tests.directory.factories import DirectoryOrganisationFactory, service_with
from tests.factories import user_with_role
from tests.linkworkers.factories import ConnectionFactory

S = codes.ConnectionStatus
Reason = codes.ConnectionDeclineReason


@pytest.fixture
def service(vcse_org):
    listing = DirectoryOrganisationFactory(organisation=vcse_org, name=vcse_org.name)
    return service_with(organization=listing, name="Walk and talk")


def _create(case, service, actor, **kwargs):
    options = {"domain": codes.LifeDomain.SOCIAL_CONNECTION, "consent_to_share": True}
    options["send_now"] = True
    return svc.connection_create(case=case, service=service, actor=actor, **(options | kwargs))


def _referred(case, service, link_worker):
    return _create(case, service, link_worker)


def test_link_worker_refers_with_consent_and_the_event_names_them(case, service, link_worker):
    connection = _create(case, service, link_worker, note="Would like company on walks")

    assert connection.status == S.REFERRED
    assert connection.referred_at is not None
    assert connection.domain == codes.LifeDomain.SOCIAL_CONNECTION, "the need it meets"
    assert connection.nudged_at is None
    [event] = connection.events.all()
    assert (event.from_status, event.to_status, event.actor) == ("", S.REFERRED, link_worker)
    assert AuditEvent.objects.for_object("linkworkers.connection", connection.pk).exists()


def test_sending_needs_consent_but_a_suggestion_does_not(case, service, link_worker):
    with pytest.raises(ValidationError) as error:
        _create(case, service, link_worker, consent_to_share=False)
    assert "consent_to_share" in error.value.error_dict

    suggestion = _create(case, service, link_worker, consent_to_share=False, send_now=False)
    assert suggestion.status == S.SUGGESTED


def test_a_second_live_connection_to_the_same_service_is_refused(case, service, link_worker):
    _create(case, service, link_worker)
    with pytest.raises(ValidationError, match="already connected"):
        _create(case, service, link_worker)


def test_service_not_accepting_needs_confirmation_and_records_unmet_demand(
    case, vcse_org, link_worker
):
    listing = DirectoryOrganisationFactory(organisation=vcse_org)
    full = service_with(organization=listing, capacity={"status": CapacityStatus.NOT_ACCEPTING})

    with pytest.raises(ValidationError) as error:
        _create(case, full, link_worker)
    assert "confirm_not_accepting" in error.value.error_dict
    assert not Connection.objects.exists()

    connection = _create(case, full, link_worker, confirm_not_accepting=True)

    assert connection.not_accepting_confirmed
    need = UnmetNeed.objects.get(case=case)
    assert need.service == full
    assert need.domain == codes.LifeDomain.SOCIAL_CONNECTION
    assert need.postcode_district == "NN1", "the district only, from the person's postcode"


def test_only_a_link_worker_of_the_case_team_may_connect(case, service, other_team_worker):
    with pytest.raises(PermissionDenied):
        _create(case, service, other_team_worker)


def test_the_service_accepts_and_the_answer_time_is_kept(case, service, link_worker, vcse_editor):
    connection = _referred(case, service, link_worker)

    svc.connection_accept(connection=connection, actor=vcse_editor)

    connection.refresh_from_db()
    assert connection.status == S.ACCEPTED
    assert connection.responded_at is not None
    last = connection.events.last()
    assert (last.from_status, last.to_status, last.actor) == (S.REFERRED, S.ACCEPTED, vcse_editor)


def test_an_editor_of_another_organisation_cannot_answer(case, service, link_worker):
    connection = _referred(case, service, link_worker)
    stranger = user_with_role(Role.VCSE_EDITOR)

    with pytest.raises(PermissionDenied):
        svc.connection_accept(connection=connection, actor=stranger)
    with pytest.raises(PermissionDenied):
        svc.connection_accept(connection=connection, actor=link_worker)


@pytest.mark.parametrize(
    ("reason", "status"),
    [
        (Reason.NO_CAPACITY, S.SERVICE_FULL),
        (Reason.NOT_ELIGIBLE, S.DECLINED_BY_SERVICE),
        (Reason.COULD_NOT_CONTACT, S.DECLINED_BY_SERVICE),
        (Reason.NO_LONGER_INTERESTED, S.DECLINED_BY_PERSON),
    ],
)
def test_each_decline_reason_leads_to_its_status(
    case, service, link_worker, vcse_editor, reason, status
):
    connection = _referred(case, service, link_worker)

    svc.connection_decline(connection=connection, actor=vcse_editor, reason=reason, note="Sorry")

    connection.refresh_from_db()
    assert (connection.status, connection.decline_reason) == (status, reason)
    assert connection.events.last().decline_reason == reason


def test_a_reason_outside_the_services_four_is_refused(case, service, link_worker, vcse_editor):
    connection = _referred(case, service, link_worker)
    with pytest.raises(ValidationError):
        svc.connection_decline(
            connection=connection, actor=vcse_editor, reason=Reason.REFERRED_ELSEWHERE
        )


def test_transitions_outside_the_table_are_refused(case, service, link_worker, vcse_editor):
    suggestion = _create(case, service, link_worker, send_now=False)
    with pytest.raises(ValidationError, match="cannot become accepted"):
        svc.connection_accept(connection=suggestion, actor=vcse_editor)
    with pytest.raises(ValidationError):
        svc.connection_complete(connection=suggestion, actor=link_worker)
    suggestion.refresh_from_db()
    assert suggestion.status == S.SUGGESTED
    assert suggestion.events.count() == 1


def test_the_whole_way_through_either_side_records_progress(
    case, service, link_worker, vcse_editor
):
    connection = _create(case, service, link_worker, send_now=False)
    svc.connection_refer(connection=connection, actor=link_worker, consent_to_share=True)
    svc.connection_accept(connection=connection, actor=vcse_editor)
    svc.connection_start(connection=connection, actor=vcse_editor)
    svc.connection_complete(connection=connection, actor=link_worker)

    connection.refresh_from_db()
    assert connection.status == S.COMPLETED
    assert connection.started_on
    assert connection.completed_on
    assert [(e.to_status, e.actor) for e in connection.events.all()] == [
        (S.SUGGESTED, link_worker),
        (S.REFERRED, link_worker),
        (S.ACCEPTED, vcse_editor),
        (S.STARTED, vcse_editor),
        (S.COMPLETED, link_worker),
    ]


def test_no_response_goes_back_to_the_link_worker_who_may_send_again(
    case, service, link_worker, vcse_editor
):
    connection = ConnectionFactory(
        case=case, service=service, status=S.NO_RESPONSE, consent_to_share=True
    )

    svc.connection_refer(connection=connection, actor=link_worker, consent_to_share=False)

    connection.refresh_from_db()
    assert connection.status == S.REFERRED
    assert connection.responded_at is None


def test_the_service_may_still_answer_after_no_response(case, service, vcse_editor):
    connection = ConnectionFactory(
        case=case, service=service, status=S.NO_RESPONSE, consent_to_share=True
    )
    svc.connection_accept(connection=connection, actor=vcse_editor)
    connection.refresh_from_db()
    assert connection.status == S.ACCEPTED


def test_unmet_need_keeps_the_postcode_district_only(case, link_worker):
    need = svc.unmet_need_record(
        case=case,
        actor=link_worker,
        domain=codes.LifeDomain.HOUSING,
        description="Housing advice drop-in within a bus ride",
    )
    assert need.postcode_district == "NN1"


def test_unmet_need_without_a_usable_postcode_is_refused(case, link_worker):
    person = case.referral.person
    person.postcode = ""
    person.save()
    with pytest.raises(ValidationError, match="postcode"):
        svc.unmet_need_record(
            case=case, actor=link_worker, domain=codes.LifeDomain.HOUSING, description="x"
        )


@pytest.mark.parametrize(
    ("postcode", "district"), [("nn1 1aa", "NN1"), ("SW1A2AA", "SW1A"), ("NN1", "NN1"), ("?", "")]
)
def test_postcode_district(postcode, district):
    assert svc.postcode_district(postcode) == district


def test_the_connections_scope_for_a_service_leaves_out_suggestions_and_others(
    case, service, link_worker, vcse_editor
):
    referred = _referred(case, service, link_worker)
    other = service_with(name="Someone else's")
    _create(case, other, link_worker)
    listing = service.organization
    suggestion = _create(
        case,
        service_with(organization=listing),
        link_worker,
        send_now=False,
        consent_to_share=False,
    )

    visible = set(connections_to_services_of(vcse_editor))

    assert visible == {referred}
    assert suggestion not in visible

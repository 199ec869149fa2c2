"""Connection pages: the link worker's on a case, the VCSE editor's side of the loop, and
the track record fragment. 403 for the wrong role, 404 for another team or organisation,
an audit entry for every view of a person, and constant query counts on lists."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from directory.models import CapacityStatus, TaxonomyTerm
from directory.taxonomy import CATEGORY, taxonomy_ensure, term_id
from linkworkers import codes
from linkworkers.connections.services import lifecycle as svc
from linkworkers.models import Connection, UnmetNeed
from socialrx.core.models import AuditEvent, Role
from tests.directory.factories import DirectoryOrganisationFactory, service_with
from tests.factories import user_with_role
from tests.linkworkers.factories import (
    AssessmentDomainFactory,
    AssessmentFactory,
    CaseFactory,
    ConnectionFactory,
    ContactFactory,
)

S = codes.ConnectionStatus
PRIVATE = "PRIVATE-CASE-NOTE"


@pytest.fixture
def terms(db):
    taxonomy_ensure()
    return lambda code: TaxonomyTerm.objects.get(id=term_id(CATEGORY, code))


@pytest.fixture
def listing(vcse_org):
    return DirectoryOrganisationFactory(organisation=vcse_org, name=vcse_org.name)


@pytest.fixture
def service(listing, terms):
    return service_with(organization=listing, name="Walk and talk", terms=[terms("befriending")])


@pytest.fixture
def referred(case, service, link_worker):
    person = case.referral.person
    person.phone = "07700 900123"
    person.email = "pat@example.test"
    person.save()
    ContactFactory(case=case, note=PRIVATE, successful=True)
    return svc.connection_create(
        case=case, service=service, actor=link_worker, domain=codes.LifeDomain.SOCIAL_CONNECTION,
        note="Would like company on walks", consent_to_share=True, send_now=True,
    )  # fmt: skip


def _url(name, *args):
    return reverse(f"linkworkers:{name}", args=args)


# --- the link worker's side -------------------------------------------------------------


def test_case_connections_page_shows_status_and_history_and_is_audited(
    client, case, referred, link_worker
):
    client.force_login(link_worker)
    response = client.get(_url("case_connections", case.pk))
    assert response.status_code == 200
    assert "Walk and talk" in response.text
    assert "Referred" in response.text
    assert AuditEvent.objects.for_object("linkworkers.case", case.pk).filter(action="view")


@pytest.mark.parametrize("name", ["case_connections", "connection_choose", "unmet_need_new"])
def test_case_pages_refuse_other_teams_and_roles(
    client, case, other_team_worker, vcse_editor, name
):
    client.force_login(other_team_worker)
    assert client.get(_url(name, case.pk)).status_code == 404
    client.force_login(vcse_editor)
    assert client.get(_url(name, case.pk)).status_code == 403


def test_connect_and_act_refuse_other_teams_and_roles(
    client, case, referred, service, other_team_worker, vcse_editor
):
    new = _url("connection_new", case.pk, service.id)
    act = _url("connection_act", case.pk, referred.pk, "decline")
    client.force_login(other_team_worker)
    assert client.get(new).status_code == 404
    assert client.post(act).status_code == 404
    client.force_login(vcse_editor)
    assert client.get(new).status_code == 403
    assert client.post(act).status_code == 403
    referred.refresh_from_db()
    assert referred.status == S.REFERRED


def test_case_connections_query_count_does_not_grow(
    client, case, link_worker, listing, django_assert_num_queries
):
    client.force_login(link_worker)

    def page_with(n):
        for _ in range(n):
            ConnectionFactory(case=case, service=service_with(organization=listing))
        with django_assert_num_queries(QUERIES_CASE_CONNECTIONS):
            assert client.get(_url("case_connections", case.pk)).status_code == 200

    page_with(1)
    page_with(5)


# 1 the user with their roles (the session comes from the cache), 2 the case with
# referral, person and team (the teams a literal list), 3 audit insert, 4 connections
# with service, organisation, capacity, case and person, 5 their events with actors,
# 6 unmet needs.
QUERIES_CASE_CONNECTIONS = 6


def test_choosing_is_prefiltered_by_the_greatest_need_and_shows_capacity_and_record(
    client, case, link_worker, listing, terms
):
    # Given an assessment with a high social need and a low money need
    assessment = AssessmentFactory(case=case)
    AssessmentDomainFactory(assessment=assessment)  # social connection, high
    AssessmentDomainFactory(
        assessment=assessment, domain=codes.LifeDomain.MONEY, need_level=codes.NeedLevel.LOW
    )
    service_with(organization=listing, name="Lunch club", terms=[terms("befriending")])
    service_with(
        organization=listing, name="Choir", terms=[terms("arts")],
        capacity={"status": CapacityStatus.NOT_ACCEPTING},
    )  # fmt: skip
    service_with(organization=listing, name="Debt advice", terms=[terms("money")])
    client.force_login(link_worker)

    # When the link worker opens the choosing screen
    response = client.get(_url("connection_choose", case.pk))

    # Then services meeting the social need are shown, with capacity and track record
    assert response.status_code == 200
    assert "Lunch club" in response.text
    assert "Choir" in response.text
    assert "Debt advice" not in response.text
    assert "Not accepting referrals" in response.text
    assert "No answers yet" in response.text

    # And the other need is one choice away
    response = client.get(_url("connection_choose", case.pk), {"need": "money"})
    assert "Debt advice" in response.text
    assert "Lunch club" not in response.text


def test_choosing_query_count_does_not_grow(
    client, case, link_worker, listing, terms, django_assert_num_queries
):
    client.force_login(link_worker)
    client.get(_url("connection_choose", case.pk))  # fills the cached "who it is for" menu

    def page_with(n):
        for _ in range(n):
            service_with(organization=listing, terms=[terms("befriending")])
        with django_assert_num_queries(QUERIES_CHOOSE):
            response = client.get(_url("connection_choose", case.pk), {"need": ""})
        assert response.status_code == 200

    page_with(1)
    page_with(5)


# 1 the user with their roles, 2 case, 3 audit insert, 4 the assessment's needs (the
# taxonomy's terms for the "who it is for" menu are cached five minutes: one query more
# on the first page), 5 the person's postcode centroid, 6 their postcode's local
# authority and 7 their referral's reasons (for eligibility), 8 count, 9 services with
# organisation, capacity, places taken this week and track record (subqueries), 10 their
# taxonomy terms with their taxonomies, 11 their languages (for eligibility).
QUERIES_CHOOSE = 11


def test_connecting_sends_the_referral(client, case, service, link_worker):
    client.force_login(link_worker)
    response = client.post(
        _url("connection_new", case.pk, service.id),
        {"domain": "social_connection", "note": "Walks", "consent_to_share": "on", "send": "send"},
    )
    assert response.status_code == 302
    connection = Connection.objects.get()
    assert (connection.status, connection.created_by) == (S.REFERRED, link_worker)


def test_connecting_to_a_service_not_accepting_asks_for_confirmation(
    client, case, listing, link_worker
):
    full = service_with(organization=listing, capacity={"status": CapacityStatus.NOT_ACCEPTING})
    client.force_login(link_worker)
    data = {"domain": "housing", "consent_to_share": "on", "send": "send"}

    response = client.post(_url("connection_new", case.pk, full.id), data)
    assert response.status_code == 200
    assert "not accepting referrals" in response.text
    assert not Connection.objects.exists()

    data["confirm_not_accepting"] = "on"
    response = client.post(_url("connection_new", case.pk, full.id), data)
    assert response.status_code == 302
    assert UnmetNeed.objects.get().service == full


def test_sending_without_consent_shows_the_error_on_the_field(client, case, service, link_worker):
    client.force_login(link_worker)
    response = client.post(
        _url("connection_new", case.pk, service.id), {"domain": "housing", "send": "send"}
    )
    assert response.status_code == 200
    assert "Record the person" in response.text


def test_the_link_worker_records_the_person_declined(client, case, referred, link_worker):
    client.force_login(link_worker)
    response = client.post(_url("connection_act", case.pk, referred.pk, "decline"))
    assert response.status_code == 302
    referred.refresh_from_db()
    assert referred.status == S.DECLINED_BY_PERSON


def test_unmet_need_page_records_the_district(client, case, link_worker):
    client.force_login(link_worker)
    response = client.post(
        _url("unmet_need_new", case.pk), {"domain": "housing", "description": "Tenancy advice"}
    )
    assert response.status_code == 302
    assert UnmetNeed.objects.get().postcode_district == "NN1"


def test_track_record_fragment(client, service, link_worker, referrer):
    url = _url("service_track_record", service.id)
    client.force_login(link_worker)
    response = client.get(url)
    assert response.status_code == 200
    assert "Time to answer" in response.text
    assert "<html" not in response.text, "a fragment, not a page"
    client.force_login(referrer)
    assert client.get(url).status_code == 403
    client.force_login(link_worker)
    unpublished = service_with(organization=DirectoryOrganisationFactory(approval_status="pending"))
    assert client.get(_url("service_track_record", unpublished.id)).status_code == 404


# --- the service's side -------------------------------------------------------------------


def test_the_editor_sees_name_and_contact_details_but_no_case_notes(client, referred, vcse_editor):
    client.force_login(vcse_editor)
    listing = client.get(_url("vcse_connections"))
    assert listing.status_code == 200
    person = referred.case.referral.person
    assert escape(person.full_name) in listing.text

    detail = client.get(_url("vcse_connection", referred.pk))
    assert detail.status_code == 200
    assert "07700 900123" in detail.text
    assert "pat@example.test" in detail.text
    assert "Would like company on walks" in detail.text
    assert PRIVATE not in detail.text
    assert "Seeing my grandchildren" not in detail.text
    assert AuditEvent.objects.for_object("referrals.person", person.pk).filter(action="view")
    # The page itself is a view of the connection (the list's entry names it too).
    assert AuditEvent.objects.for_object("linkworkers.connection", referred.pk).filter(
        action="view", path=_url("vcse_connection", referred.pk)
    )


def test_suggestions_are_not_shared_with_the_service(client, case, service, vcse_editor):
    suggestion = ConnectionFactory(case=case, service=service, status=S.SUGGESTED)
    client.force_login(vcse_editor)
    assert escape(case.referral.person.full_name) not in client.get(_url("vcse_connections")).text
    assert client.get(_url("vcse_connection", suggestion.pk)).status_code == 404


def test_service_pages_refuse_other_organisations_and_roles(
    client, referred, link_worker, other_org_user
):
    client.force_login(other_org_user)
    assert (
        escape(referred.case.referral.person.full_name)
        not in client.get(_url("vcse_connections")).text
    )
    assert client.get(_url("vcse_connection", referred.pk)).status_code == 404
    assert client.post(_url("vcse_connection_act", referred.pk, "accept")).status_code == 404
    client.force_login(link_worker)
    assert client.get(_url("vcse_connections")).status_code == 403
    assert client.get(_url("vcse_connection", referred.pk)).status_code == 403
    assert client.post(_url("vcse_connection_act", referred.pk, "accept")).status_code == 403
    referred.refresh_from_db()
    assert referred.status == S.REFERRED


def test_the_editor_accepts_and_the_link_worker_sees_it(
    client, case, referred, vcse_editor, link_worker
):
    client.force_login(vcse_editor)
    response = client.post(_url("vcse_connection_act", referred.pk, "accept"))
    assert response.status_code == 302
    referred.refresh_from_db()
    assert referred.status == S.ACCEPTED

    client.force_login(link_worker)
    page = client.get(_url("case_connections", case.pk))
    assert "Accepted by the service" in page.text
    assert escape(vcse_editor.full_name) in page.text


def test_the_editor_declines_with_a_reason(client, referred, vcse_editor):
    client.force_login(vcse_editor)
    response = client.post(_url("vcse_connection", referred.pk), {"reason": "not_eligible"})
    assert response.status_code == 302
    referred.refresh_from_db()
    assert (referred.status, referred.decline_reason) == (S.DECLINED_BY_SERVICE, "not_eligible")


def test_a_decline_without_a_reason_is_shown_again(client, referred, vcse_editor):
    client.force_login(vcse_editor)
    response = client.post(_url("vcse_connection", referred.pk), {})
    assert response.status_code == 200
    assert "There is a problem" in response.text


def test_service_list_query_count_does_not_grow(
    client, vcse_editor, service, link_worker_team, link_worker, django_assert_num_queries
):
    client.force_login(vcse_editor)

    def page_with(n):
        for _ in range(n):
            case = CaseFactory(team=link_worker_team, link_worker=link_worker)
            ConnectionFactory(case=case, service=service, status=S.REFERRED, consent_to_share=True)
        with django_assert_num_queries(QUERIES_SERVICE_LIST):
            assert client.get(_url("vcse_connections")).status_code == 200

    page_with(1)
    page_with(5)


# 1 the user with their roles, 2 count, 3 connections with service, case and person (the
# organisation scope a literal list), 4 audit insert naming those shown.
QUERIES_SERVICE_LIST = 4


def test_an_editor_of_two_organisations_sees_both(client, referred, vcse_org):
    editor = user_with_role(Role.VCSE_EDITOR, vcse_org)
    client.force_login(editor)
    assert client.get(_url("vcse_connection", referred.pk)).status_code == 200


def test_finder_says_who_is_not_eligible_and_why(client, case, listing, terms, link_worker):
    # Given an 83-year-old and a club for ages 8 to 17, and a service for anyone
    person = case.referral.person
    person.date_of_birth = person.date_of_birth.replace(year=timezone.localdate().year - 84)
    person.save()
    service_with(organization=listing, name="Youth club", terms=[terms("befriending")],
                 minimum_age=8, maximum_age=17)  # fmt: skip
    service_with(organization=listing, name="Open to all", terms=[terms("befriending")])
    client.force_login(link_worker)
    # When the link worker looks for a service
    body = client.get(_url("connection_choose", case.pk), {"need": ""}).content.decode()
    # Then the club says not eligible, with the reason, and the other eligible
    assert "Not eligible" in body
    assert "For ages 8 to 17; they are 83" in body or "For ages 8 to 17; they are 84" in body
    assert "Eligible" in body
    # And "only services they may be eligible for" leaves the club out
    narrowed = client.get(_url("connection_choose", case.pk), {"need": "", "eligible": "on"})
    names = [c.listing.service.name for c in narrowed.context["choices"]]
    assert names == ["Open to all"]


def test_connecting_someone_not_eligible_asks_for_a_reason_and_keeps_it(
    client, case, listing, terms, link_worker
):
    club = service_with(organization=listing, name="Youth club", terms=[terms("befriending")],
                        minimum_age=8, maximum_age=17)  # fmt: skip
    client.force_login(link_worker)
    url = _url("connection_new", case.pk, club.id)
    page = client.get(url).content.decode()
    assert "Not eligible" in page
    # The reason is asked for as required: no "(optional)" beside a field that is not
    assert re.search(r"Why connect them although they are not eligible\?\s*</label>", page)
    data = {"domain": "social_connection", "send": "send", "consent_to_share": "on"}
    refused = client.post(url, data)
    assert "Say why you are connecting them anyway" in refused.content.decode()
    assert not Connection.objects.filter(service=club).exists()
    client.post(url, data | {"ineligible_reason": "The club has agreed to a volunteer role"})
    made = Connection.objects.get(service=club)
    assert made.ineligible_reason == "The club has agreed to a volunteer role"


def test_finder_filters_by_distance_language_and_who_for(client, case, listing, terms, link_worker):
    from directory.models import Language, PostcodeCentroid

    PostcodeCentroid.objects.get_or_create(
        postcode=case.referral.person.postcode, defaults={"latitude": 52.24, "longitude": -0.89}
    )
    near = service_with(organization=listing, name="Near", terms=[terms("befriending")])
    far = service_with(organization=listing, name="Far", terms=[terms("befriending")])
    from tests.directory.factories import LocationFactory, ServiceAtLocationFactory

    ServiceAtLocationFactory(
        service=near, location=LocationFactory(latitude=52.245, longitude=-0.89)
    )
    ServiceAtLocationFactory(service=far, location=LocationFactory(latitude=52.60, longitude=-0.89))
    Language.objects.create(service=far, code="pl", name="Polish")
    client.force_login(link_worker)

    def names(**params):
        response = client.get(_url("connection_choose", case.pk), {"need": "", **params})
        return sorted(c.listing.service.name for c in response.context["choices"])

    assert names() == ["Far", "Near"]
    assert names(within="3") == ["Near"]
    assert names(language="pl") == ["Far"]
    carers = TaxonomyTerm.objects.get(taxonomy__code="who-it-is-for", term="carers")
    assert names(who_for=str(carers.id)) == []

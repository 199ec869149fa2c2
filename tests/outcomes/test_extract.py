"""The referral data extract: who may download it, whose referrals it holds, what each
column says for a known referral, what it never holds, and that it streams from a fixed
number of queries however many referrals there are."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from linkworkers import codes as case_codes
from linkworkers.models import Case
from outcomes import codes
from outcomes.extract import columns
from referrals import codes as referral_codes
from referrals.models import Referral
from socialrx.core.models import AuditAction, AuditEvent, OrganisationType, Role
from tests.factories import OrganisationFactory, user_with_role
from tests.linkworkers.factories import CaseFactory, ContactFactory
from tests.outcomes.factories import record_measure
from tests.outcomes.formats import csv_cells
from tests.referrals.factories import PersonFactory, ReferralFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("outcomes:extract")
CSV = reverse("outcomes:extract_csv")
HEADER = [c.name for c in columns()]
# 12:30 on 3 March 2025 in London (GMT): the referral's local date is the 3rd.
RECEIVED = datetime.datetime(2025, 3, 3, 12, 30, tzinfo=datetime.UTC)
FIRST_CONTACT = datetime.datetime(2025, 3, 10, 9, 0, tzinfo=datetime.UTC)
CLOSED = datetime.datetime(2025, 6, 2, 16, 0, tzinfo=datetime.UTC)


def _download(client) -> tuple[StreamingHttpResponse, list[dict[str, str]]]:
    response = client.get(CSV)
    assert response.status_code == 200
    cells = csv_cells(b"".join(response.streaming_content))
    assert cells[0] == HEADER
    return response, [dict(zip(HEADER, row, strict=True)) for row in cells[1:]]


def _referral(service, team=None, **person) -> Referral:
    referral = ReferralFactory(
        triage_service=service,
        assigned_team=team,
        person=PersonFactory(**person),
        source=referral_codes.ReferralSource.SELF,
        status=referral_codes.Status.ASSIGNED if team else referral_codes.Status.RECEIVED,
    )
    return referral


@pytest.fixture
def known(link_worker_service, link_worker_team, link_worker, practice, referrer, swemwbs_licence):
    """A closed referral from a GP, with a case, four contacts and SWEMWBS twice."""
    person = PersonFactory(
        given_name="Zebedee",
        family_name="Quartermaine",
        nhs_number="9990000018",
        date_of_birth=datetime.date(1950, 5, 17),
        postcode="NN14 6AB",
        sex="2",
        ethnicity="H",
        # Registered elsewhere than the referrer's practice: the two codes must not mix.
        registered_practice=OrganisationFactory(
            org_type=OrganisationType.GP_PRACTICE, ods_code="Y99002", parent=practice.parent
        ),
    )
    case = CaseFactory(
        team=link_worker_team,
        link_worker=link_worker,
        referral__person=person,
        referral__referrer=referrer,
        referral__triage_service=link_worker_service,
        referral__reason_list=[referral_codes.Reason.MONEY, referral_codes.Reason.LONELINESS],
        status=case_codes.CaseStatus.CLOSED,
        first_contact_at=FIRST_CONTACT,
        closed_at=CLOSED,
        closure_outcome=referral_codes.ClosureOutcome.SUPPORTED,
    )
    Referral.objects.filter(pk=case.referral_id).update(
        created_at=RECEIVED,
        status=referral_codes.Status.CLOSED,
        closure_outcome=referral_codes.ClosureOutcome.SUPPORTED,
    )
    Case.objects.filter(pk=case.pk).update(opened_at=RECEIVED + datetime.timedelta(days=2))
    for successful in (False, False, True, True):
        ContactFactory(case=case, successful=successful)
    baseline = record_measure(case, codes.SWEMWBS, [2, 2, 3, 2, 3, 2, 2], on=FIRST_CONTACT.date())
    later = record_measure(case, codes.SWEMWBS, [3, 3, 4, 3, 4, 3, 3], on=CLOSED.date())
    return case.referral, baseline, later


# --- who may download ---------------------------------------------------------------


def test_anonymous_users_are_sent_to_sign_in(client):
    for url in (PAGE, CSV):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/sign-in/" in response["Location"]


@pytest.mark.parametrize(
    "user", ["commissioner", "link_worker", "triage_lead", "referrer", "user_without_roles"]
)
def test_other_roles_get_403_and_no_audit_entry(client, request, user):
    client.force_login(request.getfixturevalue(user))
    assert client.get(PAGE).status_code == 403
    assert client.get(CSV).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_a_service_manager_gets_their_service_only(client, service_manager, link_worker_service):
    # Given a referral to the manager's service, one assigned to its team from another
    # service's triage, and one of another service altogether
    team = OrganisationFactory(
        org_type=OrganisationType.LINK_WORKER_TEAM, parent=link_worker_service
    )
    elsewhere = OrganisationFactory(org_type=OrganisationType.LINK_WORKER_SERVICE)
    own = _referral(link_worker_service)
    taken_on = _referral(elsewhere, team=team)
    other = _referral(elsewhere)
    client.force_login(service_manager)

    _response, rows = _download(client)

    ids = {int(r["referral_id"]) for r in rows}
    assert ids == {own.pk, taken_on.pk}
    assert other.pk not in ids


def test_a_system_admin_gets_the_county(client, system_admin, link_worker_service):
    elsewhere = OrganisationFactory(org_type=OrganisationType.LINK_WORKER_SERVICE)
    referrals = [_referral(link_worker_service), _referral(elsewhere)]
    client.force_login(system_admin)

    _response, rows = _download(client)

    assert [int(r["referral_id"]) for r in rows] == sorted(r.pk for r in referrals)


def test_a_manager_of_another_service_sees_none_of_these(client, other_org_user, known):
    client.force_login(other_org_user)

    _response, rows = _download(client)

    assert rows == []


# --- the file -----------------------------------------------------------------------


def test_columns_for_a_known_referral(client, service_manager, known, practice, referrer):
    referral, baseline, later = known
    client.force_login(service_manager)

    _response, rows = _download(client)

    (row,) = rows
    assert row == {
        "referral_id": str(referral.pk),
        "reference": referral.reference,
        "created_on": "2025-03-03",
        "source": "gp",
        "urgency": "routine",
        "referrer_ods_code": "Y99001",
        "registered_practice_ods_code": "Y99002",
        "reasons": "loneliness;money",
        "status": "closed",
        "decline_reason": "",
        "triage_service": "Test Connect",
        "assigned_team": "Test Connect team",
        "case_status": "closed",
        "case_opened_on": "2025-03-05",
        "first_contact_on": "2025-03-10",
        "days_to_first_contact": "7",
        "closed_on": "2025-06-02",
        "closure_outcome": "supported",
        "contacts": "4",
        "person_key": str(referral.person_id),
        # 74 on 3 March 2025: the 75th birthday is in May
        "age_band": "65-74",
        "sex": "2",
        "ethnic_category": "H",
        "postcode_district": "NN14",
        "swemwbs_baseline": f"{baseline.score:.2f}",
        "swemwbs_latest_follow_up": f"{later.score:.2f}",
    }
    assert later.score > baseline.score > Decimal(0)


def test_a_referral_without_a_case_has_empty_casework_columns(
    client, system_admin, link_worker_service
):
    ten_years_ago = timezone.localdate().replace(day=1) - datetime.timedelta(days=3653)
    referral = _referral(link_worker_service, postcode="", date_of_birth=ten_years_ago)
    client.force_login(system_admin)

    _response, (row,) = _download(client)

    assert row["referral_id"] == str(referral.pk)
    for column in ("case_status", "first_contact_on", "days_to_first_contact", "closed_on"):
        assert row[column] == "", column
    assert row["contacts"] == "0"
    assert row["postcode_district"] == ""
    assert row["age_band"] == "0-17"


def test_no_names_nhs_numbers_dates_of_birth_or_postcodes(client, service_manager, known):
    referral, _baseline, _later = known
    person = referral.person
    client.force_login(service_manager)

    response = client.get(CSV)
    content = b"".join(response.streaming_content).decode("utf-8-sig")

    for secret in (
        person.given_name,
        person.family_name,
        person.nhs_number,
        "999 000 0018",
        "1950-05-17",
        "17/05/1950",
        person.postcode,
        person.postcode.replace(" ", ""),
        referral.what_matters,
    ):
        assert secret not in content, secret


def test_an_organisation_name_cannot_become_a_spreadsheet_formula(client, system_admin):
    service = OrganisationFactory(
        name='=HYPERLINK("http://evil.example")', org_type=OrganisationType.LINK_WORKER_SERVICE
    )
    _referral(service)
    client.force_login(system_admin)

    _response, (row,) = _download(client)

    assert row["triage_service"] == '\'=HYPERLINK("http://evil.example")'


# --- the response -------------------------------------------------------------------


def test_the_download_streams_as_a_dated_attachment(client, service_manager, known):
    client.force_login(service_manager)

    response, _rows = _download(client)

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    stamp = timezone.localdate().strftime("%Y%m%d")
    assert response["Content-Disposition"] == (
        f'attachment; filename="socialrx-referral-extract-{stamp}.csv"'
    )
    assert response["Cache-Control"] == "no-store"


def test_one_audit_entry_per_download_with_metadata_only(
    client, service_manager, link_worker_service, known
):
    client.force_login(service_manager)
    before = AuditEvent.objects.count()

    _download(client)

    (event,) = AuditEvent.objects.filter(action=AuditAction.EXPORT)
    assert event.actor == service_manager
    assert event.object_type == "outcomes.referral_extract"
    assert event.detail == {
        "export": "referral_extract",
        "format": "csv",
        "scope": "services",
        "organisations": [link_worker_service.pk],
    }
    assert AuditEvent.objects.count() == before + 1, "no entry per referral"


def test_the_county_download_is_audited_as_the_county(client, system_admin, known):
    client.force_login(system_admin)

    _download(client)

    (event,) = AuditEvent.objects.filter(action=AuditAction.EXPORT)
    assert event.detail["scope"] == "county"


# The download takes: 1. the user with their memberships (the session is cached; the
# role check and the managed services come from that list), 2. the audit insert, then
# the rows: 3. one SELECT on SQLite; on PostgreSQL 3. a savepoint (tests run in a
# transaction), 4. the SET LOCALs, 5. the COPY, 6. releasing the savepoint.
CSV_QUERIES = 6


def test_queries_do_not_grow_with_rows(
    client, service_manager, link_worker_service, link_worker_team, link_worker,
    django_assert_max_num_queries,
):  # fmt: skip
    def grow(n: int) -> None:
        for _ in range(n):
            case = CaseFactory(
                team=link_worker_team,
                link_worker=link_worker,
                referral__triage_service=link_worker_service,
            )
            ContactFactory(case=case)

    grow(1)
    client.force_login(service_manager)
    with django_assert_max_num_queries(CSV_QUERIES) as few:
        _download(client)
    grow(5)
    with django_assert_max_num_queries(CSV_QUERIES) as many:
        _response, rows = _download(client)
    assert len(rows) == 6
    assert len(many.captured_queries) == len(few.captured_queries)


# --- the page -----------------------------------------------------------------------


def test_the_page_explains_the_file_and_links_to_it(client, service_manager):
    client.force_login(service_manager)

    response = client.get(PAGE)

    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Referral data extract</h1>" in body
    assert "This file is personal data" in body
    assert "Test Connect" in body
    for name in HEADER:
        assert f"<code>{name}</code>" in body
    assert f'href="{CSV}"' in body
    assert not AuditEvent.objects.exists(), "opening the page exports nothing"


def test_the_system_admin_page_says_county(client, system_admin):
    client.force_login(system_admin)

    body = client.get(PAGE).content.decode()

    assert "All referrals in the county" in body


@pytest.mark.parametrize("role", [Role.SERVICE_MANAGER, Role.SYSTEM_ADMIN])
def test_the_home_page_offers_the_extract(client, role, link_worker_service):
    client.force_login(user_with_role(role, link_worker_service))

    body = client.get("/").content.decode()

    assert f'href="{PAGE}"' in body


def test_commissioners_are_not_offered_the_extract(client, commissioner):
    client.force_login(commissioner)

    assert f'href="{PAGE}"' not in client.get("/").content.decode()

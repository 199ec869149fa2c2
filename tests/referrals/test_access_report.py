"""Access reports: "who has seen this person?" answered from the audit log, for
information governance and system administrators."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils.html import escape

from socialrx.core.audit import audit_record
from socialrx.core.models import AuditAction, AuditEvent, Role
from socialrx.core.spreadsheets import FORMULA_STARTS
from tests.factories import user_with_role
from tests.linkworkers.factories import CaseFactory
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def governance(council):
    return user_with_role(Role.INFORMATION_GOVERNANCE, council)


@pytest.fixture
def referral(referrer, link_worker_service):
    return ReferralFactory(referrer=referrer, triage_service=link_worker_service)


@pytest.fixture
def case(referral, link_worker, link_worker_team, link_worker_service):
    """A second referral of the same person, now a case on a link worker's caseload."""
    return CaseFactory(
        team=link_worker_team,
        link_worker=link_worker,
        referral__person=referral.person,
        referral__triage_service=link_worker_service,
    )


def _person_report(client, person, **params):
    return client.get(reverse("referrals:person_access_report", args=[person.pk]), params)


def test_the_report_finds_every_page_and_api_call_that_showed_the_person(
    client, referral, case, referrer, triage_lead, link_worker, governance
):
    # Given the person seen in lists, on detail pages and through the API
    person = referral.person
    seen = {
        referrer: [
            reverse("referrals:list"),
            reverse("referrals:detail", args=[referral.pk]),
            reverse("referrals:api_list"),
        ],
        triage_lead: [reverse("referrals:triage")],
        link_worker: [
            reverse("linkworkers:caseload"),
            reverse("linkworkers:case", args=[case.pk]),
            reverse("linkworkers:api_cases"),
            reverse("linkworkers:api_case", args=[case.pk]),
        ],
    }
    for user, paths in seen.items():
        client.force_login(user)
        for path in paths:
            assert client.get(path, REMOTE_ADDR="192.0.2.7").status_code == 200, path

    # When information governance asks who has seen them
    client.force_login(governance)
    response = _person_report(client, person)

    # Then every one of those pages and calls is there, with who and from where
    assert response.status_code == 200
    rows = response.context["rows"]
    shown = {(row.event.actor, row.event.path) for row in rows}
    for user, paths in seen.items():
        for path in paths:
            assert (user, path) in shown, path
    assert {row.event.ip_address for row in rows} == {"192.0.2.7"}
    throughs = {row.event.path: row.through for row in rows}
    assert throughs[reverse("linkworkers:api_case", args=[case.pk])] == "API"
    assert throughs[reverse("referrals:triage")] == "Page"
    lists = {row.event.path: row.listing for row in rows}
    assert lists[reverse("referrals:triage")] == "triage"
    # As the page writes it: a name such as O'Donnell has its apostrophe escaped.
    assert escape(person.full_name) in response.text
    # Reading the report is itself a look at the person, recorded after the page was drawn
    assert (
        AuditEvent.objects.for_object("referrals.person", person.pk)
        .filter(actor=governance, detail__access_report="page")
        .exists()
    )


def test_a_referral_report_lists_who_saw_that_referral(client, referral, referrer, system_admin):
    client.force_login(referrer)
    client.get(reverse("referrals:detail", args=[referral.pk]))
    client.force_login(system_admin)

    response = client.get(reverse("referrals:referral_access_report", args=[referral.pk]))

    assert response.status_code == 200
    assert [(r.event.actor, r.event.path) for r in response.context["rows"]] == [
        (referrer, reverse("referrals:detail", args=[referral.pk]))
    ]


def test_the_csv_holds_every_entry_with_cells_escaped(client, referral, referrer, governance):
    client.force_login(referrer)
    for _ in range(3):
        client.get(
            reverse("referrals:detail", args=[referral.pk]), HTTP_USER_AGENT="=cmd|' /C calc'!A0"
        )
    AuditEvent.objects.filter(actor=referrer).update(path='=HYPERLINK("http://x")')
    client.force_login(governance)

    response = _person_report(client, referral.person, format="csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["When", "Who"]
    # every entry, the export itself included (written before the file)
    person_entries = AuditEvent.objects.for_object("referrals.person", referral.person.pk)
    assert len(rows) == 1 + person_entries.count()
    assert sum(1 for row in rows if row[1] == referrer.full_name) == 3
    cells = [cell for row in rows[1:] for cell in row]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
    assert '\'=HYPERLINK("http://x")' in cells
    assert AuditEvent.objects.filter(actor=governance, action=AuditAction.EXPORT).count() == 1


def test_the_page_is_paginated(client, referral, referrer, governance):
    for _ in range(52):
        audit_record(actor=referrer, action=AuditAction.VIEW, obj=referral.person)
    client.force_login(governance)
    first = _person_report(client, referral.person)
    second = _person_report(client, referral.person, page=2)
    assert len(first.context["rows"]) == 50
    assert len(second.context["rows"]) == 3  # 52 and the look at the first page
    assert 'aria-label="Pagination"' in first.text


@pytest.mark.parametrize("name", ["person_access_report", "referral_access_report"])
def test_other_roles_are_refused_and_anonymous_sent_to_sign_in(
    client, referral, name, referrer, link_worker, triage_lead, other_org_user
):
    pk = referral.person.pk if name == "person_access_report" else referral.pk
    url = reverse(f"referrals:{name}", args=[pk])
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert reverse("login") in anonymous["Location"]
    for user in (referrer, link_worker, triage_lead, other_org_user):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_an_unknown_record_is_not_found(client, governance):
    client.force_login(governance)
    assert client.get(reverse("referrals:person_access_report", args=[999999])).status_code == 404
    assert client.get(reverse("referrals:referral_access_report", args=[99999])).status_code == 404

"""The triage lead's queue and actions."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals import codes
from referrals.models import Referral
from socialrx.core.models import AuditEvent, OrganisationType, Role
from tests.factories import OrganisationFactory, user_with_role
from tests.helpers.html import parse
from tests.referrals.factories import PersonFactory, ReferralFactory


@pytest.fixture
def referral(referrer, link_worker_service, route):
    return ReferralFactory(referrer=referrer, triage_service=link_worker_service)


def _post(client, name, referral, data):
    return client.post(reverse(name, args=[referral.pk]), data)


@pytest.mark.django_db
def test_queue_of_routine_referrals_is_oldest_first_with_constant_queries(
    client, triage_lead, link_worker_service, referrer, django_assert_num_queries
):
    referrals = ReferralFactory.create_batch(
        30, referrer=referrer, triage_service=link_worker_service
    )
    oldest, next_oldest = referrals[5], referrals[6]
    Referral.objects.filter(pk=oldest.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=9)
    )
    Referral.objects.filter(pk=next_oldest.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1, hours=1)
    )
    ReferralFactory(referrer=referrer)  # another service's queue
    client.force_login(triage_lead)
    # the user with their roles (one query; the session comes from the cache), count,
    # page of referrals, their organisations (one query), reasons prefetch, the audit entry
    with django_assert_num_queries(6):
        response = client.get(reverse("referrals:triage"))
    rows = response.context["rows"]
    assert response.context["page"].paginator.count == 30
    assert [row.referral for row in rows[:2]] == [oldest, next_oldest]
    assert [row.waiting for row in rows[:3]] == ["9 days", "1 day", "0 days"]
    assert b"9 days" in response.content


@pytest.mark.django_db
def test_queue_puts_urgent_referrals_first_then_the_longest_waiting(
    client, triage_lead, link_worker_service, referrer
):
    def waiting(days, urgency=codes.Urgency.ROUTINE):
        made = ReferralFactory(
            referrer=referrer, triage_service=link_worker_service, urgency=urgency
        )
        Referral.objects.filter(pk=made.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=days)
        )
        return made

    old_routine = waiting(9)
    new_urgent = waiting(1, codes.Urgency.URGENT)
    newer_routine = waiting(2)
    old_urgent = waiting(3, codes.Urgency.URGENT)
    client.force_login(triage_lead)
    rows = client.get(reverse("referrals:triage")).context["rows"]
    assert [r.referral for r in rows] == [old_urgent, new_urgent, old_routine, newer_routine]


@pytest.mark.django_db
def test_queue_filters_by_urgency_and_reason(client, triage_lead, referral, referrer):
    urgent = ReferralFactory(
        referrer=referrer,
        triage_service=referral.triage_service,
        urgency=codes.Urgency.URGENT,
        reason_list=[codes.Reason.HOUSING],
    )
    client.force_login(triage_lead)
    by_urgency = client.get(reverse("referrals:triage"), {"urgency": "urgent"})
    by_reason = client.get(reverse("referrals:triage"), {"reason": "housing"})
    assert [r.referral for r in by_urgency.context["rows"]] == [urgent]
    assert [r.referral for r in by_reason.context["rows"]] == [urgent]


@pytest.mark.django_db
def test_queue_row_shows_reasons_and_status_by_their_labels(client, triage_lead, referral):
    ReferralFactory(
        referrer=referral.referrer,
        triage_service=referral.triage_service,
        reason_list=[codes.Reason.HOUSING, codes.Reason.LONELINESS],
        reason_other="Gardening",
    )
    client.force_login(triage_lead)

    page = parse(client.get(reverse("referrals:triage")).content.decode())

    body = page.one("tbody")
    rows = [[c.text.strip() for c in tr.find_all("td")] for tr in body.find_all("tr")]
    [row] = [r for r in rows if "(Gardening)" in r[3]]
    assert set(row[3].split(", ")) == {
        codes.Reason.HOUSING.label, codes.Reason.LONELINESS.label, "(Gardening)"
    }  # fmt: skip
    assert row[5] == codes.Status.RECEIVED.label


@pytest.mark.django_db
def test_queue_filter_form_shows_each_request_its_own_choices(client, triage_lead):
    # The filters' HTML is kept between requests (socialrx.core.filter_forms).
    client.force_login(triage_lead)

    def chosen(query: dict[str, str]) -> dict[str, str]:
        page = parse(client.get(reverse("referrals:triage"), query).content.decode())
        form = page.one("form", method="get")
        return {
            s.attrs["name"]: next(
                (o.attrs["value"] for o in s.find_all("option") if "selected" in o.attrs), ""
            )
            for s in form.find_all("select")
        }

    assert chosen({"urgency": "urgent", "reason": "housing"}) == {
        "urgency": "urgent", "reason": "housing", "source": ""
    }  # fmt: skip
    assert chosen({}) == {"urgency": "", "reason": "", "source": ""}
    assert chosen({"urgency": "urgent", "reason": "housing"})["urgency"] == "urgent"


@pytest.mark.django_db
def test_detail_shows_link_worker_loads_and_is_audited(client, triage_lead, referral, link_worker):
    client.force_login(triage_lead)
    response = client.get(reverse("referrals:triage_detail", args=[referral.pk]))
    assert b"0 open of 200 a year" in response.content
    assert AuditEvent.objects.filter(action="view", object_id=str(referral.pk)).exists()


@pytest.mark.django_db
def test_assign_to_a_link_worker(client, triage_lead, referral, link_worker, link_worker_team):
    client.force_login(triage_lead)
    response = _post(
        client,
        "referrals:triage_assign",
        referral,
        {"team": link_worker_team.pk, "link_worker": link_worker.pk},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == codes.Status.ASSIGNED
    assert referral.assigned_link_worker == link_worker


@pytest.mark.django_db
def test_assign_to_a_team_the_service_does_not_use_is_a_field_error(client, triage_lead, referral):
    stranger = OrganisationFactory(org_type=OrganisationType.LINK_WORKER_TEAM)
    client.force_login(triage_lead)
    response = _post(client, "referrals:triage_assign", referral, {"team": stranger.pk})
    assert response.status_code == 200
    assert "team" in response.context["assign_form"].errors


@pytest.mark.django_db
def test_decline_needs_a_reason_and_records_the_alternative(client, triage_lead, referral):
    client.force_login(triage_lead)
    missing = _post(client, "referrals:triage_decline", referral, {})
    assert "reason" in missing.context["decline_form"].errors
    _post(
        client,
        "referrals:triage_decline",
        referral,
        {"reason": "needs_crisis_service", "suggested_alternative": "NHS 111 option 2"},
    )
    referral.refresh_from_db()
    assert referral.status == codes.Status.DECLINED
    # A second decision on a declined referral is refused with a message, not a 500.
    again = _post(client, "referrals:triage_decline", referral, {"reason": "other"})
    assert again.status_code == 200
    assert again.context["decline_form"].non_field_errors()


@pytest.mark.django_db
def test_redirect_and_request_info(client, triage_lead, referral):
    other_service = OrganisationFactory(org_type=OrganisationType.LINK_WORKER_SERVICE)
    client.force_login(triage_lead)
    _post(client, "referrals:triage_request_info", referral, {"question": "Any carer?"})
    referral.refresh_from_db()
    assert referral.status == codes.Status.INFO_REQUESTED
    _post(client, "referrals:triage_redirect", referral, {"service": other_service.pk})
    referral.refresh_from_db()
    assert referral.triage_service == other_service
    # Now out of this lead's queue entirely.
    response = client.get(reverse("referrals:triage_detail", args=[referral.pk]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_duplicates_are_shown_and_decided_by_the_lead(client, triage_lead, referral, referrer):
    referral.person.nhs_number = "9990000018"
    referral.person.save()
    earlier = ReferralFactory(
        referrer=referrer,
        triage_service=referral.triage_service,
        person=PersonFactory(
            nhs_number="9990000018",
            given_name=referral.person.given_name,
            family_name=referral.person.family_name,
        ),
    )
    client.force_login(triage_lead)
    page = client.get(reverse("referrals:triage_detail", args=[referral.pk]))
    assert page.context["duplicates"] == [earlier.person]
    # Each possible duplicate shown is a view of that person's record.
    assert AuditEvent.objects.for_object("referrals.person", earlier.person.pk).filter(
        action="view", actor=triage_lead
    )
    url = reverse("referrals:triage_duplicate", args=[referral.pk, earlier.person.pk])
    client.post(url, {"decision": "merge"})
    referral.refresh_from_db()
    assert referral.person == earlier.person


@pytest.mark.django_db
def test_nhs_number_with_another_name_is_flagged_as_a_conflict_never_offered_as_a_merge(
    client, triage_lead, referral, referrer
):
    # Given an earlier referral whose person has this NHS number under another name
    referral.person.nhs_number = "9990000018"
    referral.person.save()
    earlier = ReferralFactory(
        referrer=referrer,
        triage_service=referral.triage_service,
        person=PersonFactory(nhs_number="9990000018", given_name="Someone", family_name="Else"),
    )
    client.force_login(triage_lead)
    # When the triage lead opens the new referral
    page = client.get(reverse("referrals:triage_detail", args=[referral.pk]))
    # Then it is an identity conflict, in its own section, with no merge button
    assert page.context["conflicts"] == [earlier.person]
    assert page.context["duplicates"] == []
    content = page.content.decode()
    assert "Identity conflict: NHS number already used" in content
    assert "Someone Else" in content
    assert "Merge into this record" not in content
    # and merging it by posting anyway finds nothing to merge
    url = reverse("referrals:triage_duplicate", args=[referral.pk, earlier.person.pk])
    assert client.post(url, {"decision": "merge"}).status_code == 404
    referral.refresh_from_db()
    assert referral.person != earlier.person
    # and correcting the NHS number through the person's details resolves it
    details = reverse("referrals:triage_person_details", args=[referral.pk])
    assert details in content


@pytest.mark.django_db
def test_duplicates_outside_the_leads_view_are_not_shown(client, triage_lead, referral):
    referral.person.nhs_number = "9990000018"
    referral.person.save()
    ReferralFactory(person=PersonFactory(nhs_number="9990000018"), source="self")
    client.force_login(triage_lead)
    page = client.get(reverse("referrals:triage_detail", args=[referral.pk]))
    assert page.context["duplicates"] == []


TRIAGE_URLS = [
    ("get", "referrals:triage_detail"),
    ("post", "referrals:triage_assign"),
    ("post", "referrals:triage_decline"),
    ("post", "referrals:triage_redirect"),
    ("post", "referrals:triage_request_info"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "name"), TRIAGE_URLS)
def test_triage_leads_of_other_services_get_404(client, other_org_user, referral, method, name):
    client.force_login(other_org_user)
    response = getattr(client, method)(reverse(name, args=[referral.pk]))
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "name"), [("get", "referrals:triage"), *TRIAGE_URLS])
def test_other_roles_get_403(client, referrer, link_worker, referral, method, name):
    args = [] if name == "referrals:triage" else [referral.pk]
    for user in (referrer, link_worker):
        client.force_login(user)
        assert getattr(client, method)(reverse(name, args=args)).status_code == 403


@pytest.mark.django_db
def test_duplicate_decision_of_other_service_is_404(client, other_org_user, referral):
    client.force_login(other_org_user)
    url = reverse("referrals:triage_duplicate", args=[referral.pk, referral.person.pk])
    assert client.post(url, {"decision": "merge"}).status_code == 404


@pytest.mark.django_db
def test_home_page_offers_the_triage_queue(client, triage_lead):
    client.force_login(triage_lead)
    assert reverse("referrals:triage").encode() in client.get(reverse("home")).content


@pytest.mark.django_db
def test_colleague_link_worker_in_another_team_is_not_offered(
    client, triage_lead, referral, link_worker_team
):
    outsider = user_with_role(Role.LINK_WORKER, OrganisationFactory(org_type="link_worker_team"))
    client.force_login(triage_lead)
    response = _post(
        client,
        "referrals:triage_assign",
        referral,
        {"team": link_worker_team.pk, "link_worker": outsider.pk},
    )
    assert "link_worker" in response.context["assign_form"].errors


@pytest.mark.django_db
def test_pass_to_another_service_says_when_there_is_none(client, triage_lead, referral):
    # Given the referral's service is the only link worker service on the system
    client.force_login(triage_lead)
    page = client.get(reverse("referrals:triage_detail", args=[referral.pk])).content.decode()
    # Then the lead is told so, not shown an empty list
    assert "There is no other social prescribing service to pass this referral to" in page
    assert 'name="service"' not in page
    # And once there is another, it is offered
    other = OrganisationFactory(org_type=OrganisationType.LINK_WORKER_SERVICE, name="PCN SPLW")
    page = client.get(reverse("referrals:triage_detail", args=[referral.pk])).content.decode()
    assert "There is no other social prescribing service" not in page
    assert f'<option value="{other.pk}"' in page


@pytest.mark.django_db
def test_pass_to_another_service_says_how_many_wait_for_its_triage(
    client, triage_lead, referral, referrer
):
    # Given another service with two referrals waiting for triage and one already assigned
    other = OrganisationFactory(org_type=OrganisationType.LINK_WORKER_SERVICE, name="PCN SPLW")
    ReferralFactory.create_batch(2, referrer=referrer, triage_service=other)
    ReferralFactory(referrer=referrer, triage_service=other, status=codes.Status.ASSIGNED)
    client.force_login(triage_lead)
    page = client.get(reverse("referrals:triage_detail", args=[referral.pk])).content.decode()
    # Then the lead sees how busy it is before passing the referral on
    assert f'<option value="{other.pk}">PCN SPLW (2 waiting for triage)</option>' in page

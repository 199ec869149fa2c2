import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from linkworkers import codes
from linkworkers.models import Case, CaseStatusEvent
from linkworkers.services.cases import case_open, team_loads
from referrals import codes as referral_codes
from socialrx.core.models import AuditEvent, Notification, Role
from socialrx.core.working_days import add_working_days
from tests.factories import user_with_role
from tests.helpers.html import parse
from tests.linkworkers.factories import CaseFactory, ContactFactory, PlanGoalFactory
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(link_worker_team, link_worker_service):
    return ReferralFactory(
        status=referral_codes.Status.ASSIGNED,
        assigned_team=link_worker_team,
        triage_service=link_worker_service,
        source=referral_codes.ReferralSource.SELF,
    )


# --- case_open ------------------------------------------------------------------------


def test_opening_a_case_records_who_and_when_first_contact_is_due(assigned, link_worker, settings):
    settings.REFERRALS_FIRST_CONTACT_ALERT_WORKING_DAYS = 5
    case = case_open(referral=assigned, actor=link_worker)

    assert (case.link_worker, case.team) == (link_worker, assigned.assigned_team)
    assert case.status == codes.CaseStatus.AWAITING_CONTACT
    assert case.first_contact_due_on == add_working_days(timezone.localdate(), 5)
    assert case.first_contact_due_on.weekday() < 5  # never due at a weekend
    event = CaseStatusEvent.objects.get(case=case)
    assert (event.kind, event.actor, event.to_status) == ("opened", link_worker, "awaiting_contact")


def test_only_the_assigned_team_opens_it_once(assigned, link_worker, other_team_worker):
    with pytest.raises(PermissionDenied):
        case_open(referral=assigned, actor=other_team_worker)
    case_open(referral=assigned, actor=link_worker)
    with pytest.raises(ValidationError):
        case_open(referral=assigned, actor=link_worker)


def test_the_referral_names_the_link_worker_chosen_when_opening_without_telling_the_referrer(
    assigned, link_worker, link_worker_team, django_capture_on_commit_callbacks
):
    # Given a referral triage assigned to one worker, opened for a colleague
    assigned.assigned_link_worker = link_worker
    assigned.save()
    colleague = user_with_role(Role.LINK_WORKER, link_worker_team)
    events = assigned.events.count()

    # When the case is opened
    with django_capture_on_commit_callbacks(execute=True):
        case = case_open(referral=assigned, actor=link_worker, link_worker=colleague)

    # Then case and referral agree, the change is audited, and nothing is sent
    assigned.refresh_from_db()
    assert case.link_worker == assigned.assigned_link_worker == colleague
    entry = AuditEvent.objects.for_object("referrals.referral", assigned.pk).get()
    assert entry.detail == {"assigned_link_worker": {"from": link_worker.pk, "to": colleague.pk}}
    assert assigned.events.count() == events, "not a status change"
    assert not Notification.objects.exists()


def test_a_referral_without_a_worker_gets_the_one_who_opens_it(assigned, link_worker):
    case = case_open(referral=assigned, actor=link_worker)
    assigned.refresh_from_db()
    assert assigned.assigned_link_worker == case.link_worker == link_worker


def test_the_worker_chosen_must_be_in_the_assigned_team(assigned, link_worker, other_team_worker):
    with pytest.raises(ValidationError) as error:
        case_open(referral=assigned, actor=link_worker, link_worker=other_team_worker)
    assert "link_worker" in error.value.error_dict
    assert not Case.objects.exists()


def test_a_referral_not_yet_assigned_cannot_be_opened(link_worker, link_worker_team):
    referral = ReferralFactory(
        assigned_team=link_worker_team, source=referral_codes.ReferralSource.SELF
    )
    with pytest.raises(ValidationError):
        case_open(referral=referral, actor=link_worker)


# --- views ----------------------------------------------------------------------------


def test_link_worker_opens_an_assigned_referral_from_the_caseload(client, assigned, link_worker):
    client.force_login(link_worker)
    page = client.get(reverse("linkworkers:caseload"))
    assert escape(assigned.person.full_name) in page.content.decode()
    listed = AuditEvent.objects.filter(actor=link_worker, detail__listing="to_open")
    assert sorted((e.object_type, e.object_id) for e in listed) == [
        ("referrals.person", str(assigned.person_id)),
        ("referrals.referral", str(assigned.pk)),
    ]

    response = client.post(reverse("linkworkers:case_open", args=[assigned.pk]))

    assert response.status_code == 302
    assert Case.objects.get(referral=assigned).link_worker == link_worker


def test_another_teams_worker_cannot_open_it(client, assigned, other_team_worker):
    client.force_login(other_team_worker)
    response = client.post(reverse("linkworkers:case_open", args=[assigned.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("url_name", ["linkworkers:caseload", "linkworkers:team"])
def test_roles_without_access_get_403(client, referrer, vcse_editor, url_name):
    for user in (referrer, vcse_editor):
        client.force_login(user)
        assert client.get(reverse(url_name)).status_code == 403


def _names(response) -> list[str]:
    return [row.name for row in response.context["rows"]]


def test_caseload_shows_my_open_cases_with_next_actions(client, case, link_worker):
    ContactFactory.create_batch(2, case=case, successful=False)
    PlanGoalFactory(plan__case=case, review_on=timezone.localdate() + datetime.timedelta(days=9))
    CaseFactory(
        team=case.team, status=codes.CaseStatus.ACTIVE, first_contact_at=timezone.now()
    )  # a colleague's
    client.force_login(link_worker)

    response = client.get(reverse("linkworkers:caseload"))

    [row] = response.context["rows"]
    assert (row.case, row.attempts) == (case, "2")
    assert "No plan yet" not in row.review
    assert (
        AuditEvent.objects.for_object("linkworkers.case", case.pk)
        .filter(detail__listing="caseload")
        .exists()
    )


def test_caseload_filters_searches_and_sorts(client, link_worker, link_worker_team):
    today = timezone.localdate()
    CaseFactory(
        team=link_worker_team,
        link_worker=link_worker,
        referral__person__given_name="Ada",
        referral__person__family_name="Zane",
        referral__person__nhs_number="9990000018",
        first_contact_due_on=today - datetime.timedelta(days=2),
    )
    CaseFactory(
        team=link_worker_team,
        link_worker=link_worker,
        status=codes.CaseStatus.ACTIVE,
        first_contact_at=timezone.now(),
        referral__person__given_name="Bea",
        referral__person__family_name="Young",
        opened_at=timezone.now() - datetime.timedelta(days=30),
    )
    CaseFactory(
        team=link_worker_team,
        link_worker=link_worker,
        status=codes.CaseStatus.CLOSED,
        closure_outcome="supported",
        closed_at=timezone.now(),
        referral__person__given_name="Cy",
        referral__person__family_name="Xu",
    )
    client.force_login(link_worker)
    url = reverse("linkworkers:caseload")

    assert _names(client.get(url)) == ["Ada Zane", "Bea Young"]  # due first; closed hidden
    assert _names(client.get(url, {"sort": "opened"})) == ["Bea Young", "Ada Zane"]
    assert _names(client.get(url, {"sort": "name"})) == ["Bea Young", "Ada Zane"]
    assert _names(client.get(url, {"status": "closed"})) == ["Cy Xu"]
    assert _names(client.get(url, {"status": "active"})) == ["Bea Young"]
    assert _names(client.get(url, {"overdue": "on"})) == ["Ada Zane"]
    assert _names(client.get(url, {"q": "999 000 0018"})) == ["Ada Zane"]
    assert _names(client.get(url, {"q": "you"})) == ["Bea Young"]


def _filters_shown(response) -> dict[str, str]:
    """What the filter form shows: each select's chosen option, the search box's text,
    whether the overdue box is ticked, and any CSRF token in this GET form."""
    form = parse(response.content.decode()).one("form", method="get")
    shown = {
        select.attrs["name"]: next(
            (o.attrs["value"] for o in select.find_all("option") if "selected" in o.attrs), ""
        )
        for select in form.find_all("select")
    }
    shown["q"] = form.one("input", name="q").attrs.get("value", "")
    shown["overdue"] = "checked" if "checked" in form.one("input", name="overdue").attrs else ""
    shown["tokens"] = str(len(form.find_all("input", name="csrfmiddlewaretoken")))
    return shown


def test_caseload_filter_form_shows_each_request_its_own_choices(client, link_worker):
    # The form's HTML is kept between requests (socialrx.core.filter_forms): each request
    # must still see what it sent, and typed text only in its own response.
    client.force_login(link_worker)
    url = reverse("linkworkers:caseload")

    closed = _filters_shown(client.get(url, {"status": "closed", "sort": "name"}))
    plain = _filters_shown(client.get(url))
    closed_again = _filters_shown(client.get(url, {"status": "closed", "sort": "name"}))
    searched = _filters_shown(client.get(url, {"q": "Zane", "overdue": "on"}))

    assert closed == closed_again == {
        "status": "closed", "sort": "name", "q": "", "overdue": "", "tokens": "0"
    }  # fmt: skip
    assert plain == {"status": "", "sort": "", "q": "", "overdue": "", "tokens": "0"}
    assert searched == {"status": "", "sort": "", "q": "Zane", "overdue": "checked", "tokens": "0"}


@pytest.mark.parametrize("count", [5, 500])
def test_caseload_queries_do_not_grow_with_the_caseload(
    client,
    link_worker,
    link_worker_team,
    link_worker_service,
    count,
    django_assert_num_queries,
):
    CaseFactory.create_batch(
        count,
        team=link_worker_team,
        link_worker=link_worker,
        referral__triage_service=link_worker_service,
    )
    client.force_login(link_worker)
    # 1 the user with their roles (the session comes from the cache), 2 count for the
    # paginator, 3 the page of cases with people and next actions (subqueries, one
    # statement), 4 referrals waiting to be opened, 5 the audit entry for the page.
    with django_assert_num_queries(5) as captured:
        response = client.get(reverse("linkworkers:caseload"))
    assert len(captured) == 5  # the same for 5 cases as for 500
    assert len(response.context["rows"]) == min(count, 25)


def test_team_lead_sees_each_workers_load(client, link_worker, link_worker_team):
    lead = user_with_role(Role.SERVICE_MANAGER, link_worker_team)
    today = timezone.localdate()
    CaseFactory(
        team=link_worker_team,
        link_worker=link_worker,
        first_contact_due_on=today - datetime.timedelta(days=1),
    )
    reviewing = CaseFactory(
        team=link_worker_team,
        link_worker=link_worker,
        status=codes.CaseStatus.ACTIVE,
        first_contact_at=timezone.now(),
    )
    goal = PlanGoalFactory(plan__case=reviewing, review_on=today - datetime.timedelta(days=1))
    PlanGoalFactory(plan=goal.plan, review_on=today - datetime.timedelta(days=2))
    client.force_login(lead)

    response = client.get(reverse("linkworkers:team"))

    [load] = response.context["loads"]
    assert (load.user, load.open_cases, load.overdue_first_contacts, load.overdue_reviews) == (
        link_worker,
        2,
        1,
        1,
    )
    assert (load.opened_last_year, load.target_caseload, load.capacity_used_percent) == (2, 200, 1)
    assert team_loads(teams=[]) == []


@pytest.mark.django_db
def test_case_page_says_what_became_of_each_message_to_the_person(client, case, link_worker):
    def message(channel: str, delivery: str, **to: str) -> None:
        Notification.objects.create(
            kind="person_referral_accepted",
            template_key="referral_accepted",
            channel=channel,
            status="sent",
            sent_at=timezone.now(),
            provider_reference=str(channel),
            delivery_status=delivery,
            delivery_status_at=datetime.datetime(2026, 11, 30, 10, tzinfo=datetime.UTC),
            about_type="referrals.referral",
            about_id=case.referral_id,
            **to,
        )

    message("letter", "returned_letter")
    message("email", "delivered", to_email="sam@person.example")
    # a message about another referral is not this page's
    Notification.objects.create(kind="x", to_email="x@example.org", about_type="referrals.referral",
                                about_id=case.referral_id + 1000)  # fmt: skip
    client.force_login(link_worker)

    page = client.get(reverse("linkworkers:case", args=[case.pk])).content.decode()

    assert "A message did not reach" in page
    assert "Letter to their postal address on 30 November 2026" in page
    assert "Not delivered: letter returned to sender" in page
    assert "Delivered" in page
    assert "sam@person.example" in page
    assert "x@example.org" not in page
    assert reverse("linkworkers:case_person_details", args=[case.pk]) in page

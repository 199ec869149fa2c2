import pytest
from django.http import Http404

from linkworkers.models import MessageBack
from linkworkers.permissions import case_for, cases_visible_to, message_back_for
from socialrx.core.models import OrganisationType, Role
from tests.factories import OrganisationFactory, user_with_role
from tests.linkworkers.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_link_worker_sees_own_teams_cases_only(case, link_worker, link_worker_team):
    colleague = user_with_role(Role.LINK_WORKER, link_worker_team)
    other_team_case = CaseFactory()

    assert list(cases_visible_to(link_worker)) == [case]
    assert list(cases_visible_to(colleague)) == [case]
    with pytest.raises(Http404):
        case_for(link_worker, other_team_case.pk)


def test_service_manager_sees_every_team_of_the_service(case, service_manager, link_worker_service):
    sibling_team = OrganisationFactory(
        org_type=OrganisationType.LINK_WORKER_TEAM, parent=link_worker_service
    )
    sibling_case = CaseFactory(team=sibling_team)
    CaseFactory()

    assert set(cases_visible_to(service_manager)) == {case, sibling_case}


def test_a_team_lead_managing_one_team_sees_that_team(case, link_worker_team):
    lead = user_with_role(Role.SERVICE_MANAGER, link_worker_team)
    assert list(cases_visible_to(lead)) == [case]


def test_referrers_vcse_editors_triage_leads_and_outsiders_see_no_case(
    case, referrer, vcse_editor, triage_lead, other_org_user, user_without_roles
):
    for user in (referrer, vcse_editor, triage_lead, other_org_user, user_without_roles):
        assert not cases_visible_to(user).exists()


def test_message_back_is_readable_by_the_referring_organisation_not_others(
    case, referrer, link_worker, other_org_user, vcse_editor
):
    MessageBack.objects.create(
        case=case, closure_outcome="supported", needs_and_concerns="Lonely", written_by=link_worker
    )

    assert message_back_for(referrer, case.pk).case == case
    assert message_back_for(link_worker, case.pk).case == case
    for outsider in (other_org_user, vcse_editor):
        with pytest.raises(Http404):
            message_back_for(outsider, case.pk)

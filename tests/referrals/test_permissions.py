import pytest
from django.http import Http404

from referrals import codes
from referrals.permissions import (
    people_visible_to,
    referral_for,
    referrals_visible_to,
    triage_queue_for,
)
from socialrx.core.models import Role
from tests.factories import user_with_role
from tests.referrals.factories import ReferralFactory


@pytest.fixture
def referral(referrer, link_worker_service):
    return ReferralFactory(referrer=referrer, triage_service=link_worker_service)


@pytest.mark.django_db
def test_referrer_and_colleagues_see_their_organisations_referrals(referral, referrer, practice):
    colleague = user_with_role(Role.REFERRER, practice)
    assert list(referrals_visible_to(referrer)) == [referral]
    assert list(referrals_visible_to(colleague)) == [referral]


@pytest.mark.django_db
def test_triage_lead_sees_their_services_queue(referral, triage_lead):
    assert list(referrals_visible_to(triage_lead)) == [referral]
    assert list(triage_queue_for(triage_lead)) == [referral]


@pytest.mark.django_db
def test_link_worker_sees_only_referrals_assigned_to_their_team(
    referral, link_worker, link_worker_team
):
    assert list(referrals_visible_to(link_worker)) == []
    referral.assigned_team = link_worker_team
    referral.status = codes.Status.ASSIGNED
    referral.save()
    assert list(referrals_visible_to(link_worker)) == [referral]


@pytest.mark.django_db
def test_outsiders_commissioners_and_vcse_editors_see_nothing(
    referral, other_org_user, commissioner, vcse_editor, user_without_roles
):
    for user in (other_org_user, commissioner, vcse_editor, user_without_roles):
        assert list(referrals_visible_to(user)) == []
        assert list(people_visible_to(user)) == []
        with pytest.raises(Http404):
            referral_for(user, referral.pk)


@pytest.mark.django_db
def test_scoping_costs_one_query(referral, referrer, django_assert_num_queries):
    referrer.active_memberships  # noqa: B018 - loaded once per request in real use
    with django_assert_num_queries(1):
        # SELECT referral WHERE referring_organisation IN (SELECT ... memberships) ...
        list(referrals_visible_to(referrer))

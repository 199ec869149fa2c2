"""The sign-in backend loads the user and their roles in one query, and caches nothing:
a role ended, an organisation closed or a user deactivated counts on the next request."""

import pytest
from django.urls import reverse

from socialrx.core.backends import UserWithRolesBackend
from socialrx.core.models import Membership, Role
from tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

TRIAGE = reverse("referrals:triage")


def test_the_user_and_their_roles_come_in_one_query(django_assert_num_queries):
    user = user_with_role(Role.TRIAGE_LEAD)
    MembershipFactory(user=user, role=Role.REFERRER)

    # SELECT the active memberships JOIN the user and the organisation
    with django_assert_num_queries(1):
        loaded = UserWithRolesBackend().get_user(user.pk)
        assert loaded is not None
        assert loaded.roles == {Role.TRIAGE_LEAD, Role.REFERRER}
        assert {m.user for m in loaded.active_memberships} == {loaded}


def test_a_user_without_a_current_role_still_signs_in():
    user = UserFactory()
    MembershipFactory(user=user, role=Role.REFERRER, is_active=False)

    loaded = UserWithRolesBackend().get_user(user.pk)

    assert loaded == user
    assert loaded.roles == set()


def test_no_user_for_an_unknown_id_or_a_deactivated_user():
    gone = user_with_role(Role.REFERRER)
    gone.is_active = False
    gone.save()

    assert UserWithRolesBackend().get_user(gone.pk) is None
    assert UserWithRolesBackend().get_user(gone.pk + 1000) is None


def test_an_ended_role_counts_on_the_next_request(client):
    lead = user_with_role(Role.TRIAGE_LEAD)
    client.force_login(lead)
    assert client.get(TRIAGE).status_code == 200

    lead.memberships.update(is_active=False)

    assert client.get(TRIAGE).status_code == 403


def test_a_closed_organisation_takes_its_roles_with_it(client):
    lead = user_with_role(Role.TRIAGE_LEAD)
    client.force_login(lead)
    organisation = lead.memberships.get().organisation
    organisation.is_active = False
    organisation.save()

    assert client.get(TRIAGE).status_code == 403


def test_a_deactivated_user_is_signed_out(client):
    lead = user_with_role(Role.TRIAGE_LEAD)
    client.force_login(lead)
    lead.is_active = False
    lead.save()

    response = client.get(TRIAGE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_signing_in_with_a_password_goes_through_the_backend(client):
    lead = user_with_role(Role.TRIAGE_LEAD)

    assert client.login(email=lead.email, password=TEST_PASSWORD)
    assert client.get(TRIAGE).status_code == 200
    assert not client.login(email=lead.email, password="wrong")


def test_the_raw_query_returns_what_the_orm_query_does():
    user = user_with_role(Role.TRIAGE_LEAD)
    MembershipFactory(user=user, role=Role.REFERRER)
    MembershipFactory(user=user, role=Role.LINK_WORKER, is_active=False)

    loaded = UserWithRolesBackend().get_user(user.pk)
    assert loaded is not None
    expected = list(Membership.objects.active_for(user.pk).select_related("user", "organisation"))

    assert [(m.pk, m.role, m.organisation.name) for m in loaded.active_memberships] == [
        (m.pk, m.role, m.organisation.name) for m in expected
    ]
    assert loaded.full_name == user.full_name
    assert loaded.email == user.email

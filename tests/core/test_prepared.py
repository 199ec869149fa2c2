"""Hot queries built once (socialrx.core.prepared): the same rows as the queryset they
stand for, whatever the arguments, with the SQL built once per argument shape."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from socialrx.core.models import Membership, Organisation, Role, User
from socialrx.core.prepared import Prepared, first_of, prefetch, prefetch_query
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _orgs(ids, active):
    return Organisation.objects.filter(pk__in=ids, is_active=active)


def test_each_call_returns_what_the_queryset_would_with_its_own_values():
    a, b, c = OrganisationFactory(), OrganisationFactory(), OrganisationFactory(is_active=False)
    builds = []

    def build(ids):
        builds.append(ids)
        return _orgs(ids, True)

    orgs = Prepared(build)

    assert orgs([a.pk, c.pk]) == list(_orgs([a.pk, c.pk], True))
    assert orgs([b.pk, a.pk]) == list(_orgs([b.pk, a.pk], True)) == sorted([a, b], key=str)
    assert orgs([c.pk]) == []
    assert orgs([b.pk]) == [b]
    # Built once for two ids and once for one: never for the values themselves.
    assert len(builds) == 2


def test_an_empty_list_matches_nothing_without_a_query(django_assert_num_queries):
    OrganisationFactory()
    orgs = Prepared(lambda ids: _orgs(ids, True))

    with django_assert_num_queries(0):
        assert orgs([]) == []


def test_select_related_and_first_of_are_kept(django_assert_num_queries):
    user = UserFactory()
    MembershipFactory(user=user, role=Role.REFERRER)
    MembershipFactory(user=user, role=Role.TRIAGE_LEAD)
    membership = Prepared(
        lambda user_id: first_of(
            Membership.objects.select_related("organisation").filter(user_id=user_id)
        )
    )
    expected = Membership.objects.select_related("organisation").filter(user=user).first()
    assert expected is not None

    # SELECT the first membership JOIN its organisation
    with django_assert_num_queries(1):
        found = membership(user.pk)
        assert found == [expected]
        assert found[0].organisation.name == expected.organisation.name  # no query


def test_a_prefetch_fills_the_related_lists_in_one_query(django_assert_num_queries):
    alice, bob, carol = UserFactory(), UserFactory(), UserFactory()
    MembershipFactory(user=alice, role=Role.REFERRER)
    MembershipFactory(user=alice, role=Role.TRIAGE_LEAD)
    MembershipFactory(user=bob, role=Role.REFERRER)
    users = list(User.objects.filter(pk__in=[alice.pk, bob.pk, carol.pk]).order_by("pk"))
    memberships = prefetch_query(Membership.objects.all(), "user")

    # SELECT the memberships of the three users
    with django_assert_num_queries(1):
        prefetch(users, "memberships", memberships)
        held = {u.pk: sorted(m.role for m in u.memberships.all()) for u in users}
        assert all(m.user is u for u in users for m in u.memberships.all())
    assert held == {
        alice.pk: sorted([Role.REFERRER, Role.TRIAGE_LEAD]),
        bob.pk: [Role.REFERRER],
        carol.pk: [],
    }


def test_an_argument_the_sql_does_not_carry_as_a_plain_value_is_refused():
    # The id is only used to pick a constant: the SQL would not carry the next one's.
    orgs = Prepared(lambda pk: Organisation.objects.filter(is_active=pk > 0))

    with pytest.raises(ImproperlyConfigured, match="each argument must appear once"):
        orgs(1)


def test_uuid_arguments_are_put_in_as_the_database_writes_them(django_assert_num_queries):
    # UUID primary keys: a native type on PostgreSQL, hex text on SQLite.
    from directory.models import Service
    from tests.directory.factories import ServiceFactory

    a, b, c = ServiceFactory(), ServiceFactory(), ServiceFactory()
    builds = []

    def build(ids):
        builds.append(ids)
        return Service.objects.filter(pk__in=ids).order_by("pk")

    services = Prepared(build)

    assert services([a.pk, b.pk]) == sorted([a, b], key=lambda s: s.pk)
    # SELECT the services of the two ids
    with django_assert_num_queries(1):
        assert services([c.pk, b.pk]) == sorted([b, c], key=lambda s: s.pk)
    assert services([c.pk]) == [c]
    assert len(builds) == 2

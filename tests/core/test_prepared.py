"""Hot queries built once (socialrx.core.prepared): the same rows as the queryset they
stand for, whatever the arguments, with the SQL built once per argument shape."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Paginator
from django.utils import timezone

from socialrx.core import prepared
from socialrx.core.models import Membership, Organisation, Role, User
from socialrx.core.prepared import Pages, Prepared, first_of, prefetch, prefetch_query
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

    with pytest.raises(ImproperlyConfigured, match="each argument must appear in the SQL"):
        orgs(1)


def _named(ids, org_type, text, since, *, active):
    return (
        Organisation.objects.filter(
            pk__in=ids, org_type=org_type, name__icontains=text, created_at__date__gte=since
        )
        .filter(is_active=active)
        .order_by("pk")
    )


def test_a_filter_value_a_date_and_a_page_offset_change_the_rows():
    # Names with LIKE's own wildcards: the text is matched as typed, not as a pattern.
    orgs = [OrganisationFactory(name=f"Team {n} 10%_off") for n in range(5)]
    other = OrganisationFactory(name="Team 9 10 off")
    ids = [o.pk for o in [*orgs, other]]
    today = timezone.localdate()
    builds = []

    def build(*args, **options):
        builds.append(options)
        return _named(*args, **options)

    named = Prepared(build)
    gp = orgs[0].org_type

    assert named(ids, gp, "10%_", today, active=True) == orgs
    assert named(ids, gp, "team 9", today, active=True) == [other]
    assert named(ids, gp, "10%_", today + datetime.timedelta(days=1), active=True) == []
    assert named(ids, "vcse", "10%_", today, active=True) == []
    assert named(ids, gp, "10%_", today, active=False) == []
    assert named.slice(0, 2, ids, gp, "10%", today, active=True) == orgs[:2]
    assert named.slice(2, 2, ids, gp, "10%", today, active=True) == orgs[2:4]
    assert named.slice(4, 2, ids, gp, "10%", today, active=True) == orgs[4:]
    assert named.count(ids, gp, "10%_", today, active=True) == 5
    assert named.count(ids, gp, "Team", today, active=True) == 6
    # One plan each for the rows, a slice and a count, per option value.
    assert builds == [{"active": True}, {"active": False}, {"active": True}, {"active": True}]


def test_pages_keep_the_paginators_behaviour(django_assert_num_queries):
    orgs = [OrganisationFactory() for _ in range(5)]
    ids = [o.pk for o in orgs]
    seen = []
    pages = Pages(
        Prepared(lambda ids: Organisation.objects.filter(pk__in=ids).order_by("pk")),
        ids,
        then=seen.append,
    )
    paginator = Paginator(pages, 2)

    # the count, then the last page's rows: page 9 is past the end
    with django_assert_num_queries(2):
        page = paginator.get_page(9)
        assert list(page) == orgs[4:]
    assert (page.number, paginator.count, paginator.num_pages) == (3, 5, 3)
    assert list(paginator.get_page(2)) == orgs[2:4]
    assert seen == [orgs[4:], orgs[2:4]]


def test_plans_are_kept_up_to_a_bound(monkeypatch):
    monkeypatch.setattr(prepared, "MAX_PLANS", 3)
    orgs = [OrganisationFactory() for _ in range(5)]
    by_ids = Prepared(lambda ids: Organisation.objects.filter(pk__in=ids).order_by("pk"))

    for n in range(1, 6):
        assert by_ids([o.pk for o in orgs[:n]]) == orgs[:n]
    assert len(by_ids._plans) == 3
    # A plan dropped is built again when it is needed.
    assert by_ids([orgs[0].pk]) == orgs[:1]


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

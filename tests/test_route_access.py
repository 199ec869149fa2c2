"""Every route is guarded or public on purpose.

The walk fails for a route named in no app's access table (``tests/<app>/access.py``), and
the tables drive the requests below: signed out, a guarded route sends the browser to sign
in (the API answers 401); signed in without a role, it answers what the table says (403).
The record each route names need not exist: the refusals come before any lookup.
"""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import override_settings
from django.urls import path, reverse

from socialrx.urls import urlpatterns as site_urlpatterns
from tests.helpers.routes import (
    API_401,
    SIGN_IN,
    Route,
    advice,
    listed,
    reference_exists,
    tables,
    unguarded,
    walk,
)

ACCESS, PUBLIC = tables()
# Django's admin guards its own routes (staff only); only our routes are requested below.
GUARDED = [r for r in walk() if listed(r.key, ACCESS) and not r.key.startswith("admin:")]


def _url(route: Route) -> str:
    return reverse(route.key, kwargs=route.sample_kwargs())


def _sign_in_location(client, response) -> str:
    """Where a refused signed-out request is sent. allauth's own views send it to
    allauth's address for signing in, which redirects to ours (socialrx/core/urls.py)
    keeping ``next``: follow that one hop."""
    location = response["Location"]
    if urlsplit(location).path == reverse("account_login"):
        location = client.get(location)["Location"]
    return location


def test_every_route_is_in_an_access_table_or_listed_as_public():
    missing = unguarded()
    assert not missing, advice(missing)


def test_no_route_is_both_guarded_and_public():
    assert not set(ACCESS) & set(PUBLIC)


def test_every_table_entry_names_a_route_that_exists():
    keys = {r.key for r in walk()}
    stale = [k for k in [*ACCESS, *PUBLIC] if not k.endswith(":*") and k not in keys]
    assert not stale, f"Remove these from the access tables (no such route): {stale}"


def test_every_other_organisation_test_named_exists():
    named = {g.other_org for g in ACCESS.values() if g.other_org}
    assert [ref for ref in sorted(named) if not reference_exists(ref)] == []


# The site plus a route added without an access test: the checker must name that route,
# only it, and say what to add where.
urlpatterns = [
    *site_urlpatterns,
    path("throwaway/<int:pk>/", lambda request, pk: None, name="throwaway"),
]


@override_settings(ROOT_URLCONF=__name__)
def test_the_checker_reports_a_route_added_without_an_access_test():
    missing = unguarded()

    assert [r.key for r in missing] == ["throwaway"]
    message = advice(missing)
    assert "'throwaway'  (path /throwaway/<int:pk>/" in message
    assert "Add to ACCESS in tests/core/access.py:" in message
    assert "Or, only if anyone may use it, add to PUBLIC in tests/core/access.py:" in message


@pytest.mark.django_db
@pytest.mark.parametrize("route", GUARDED, ids=lambda r: r.key)
def test_signed_out_requests_are_sent_to_sign_in(client, route):
    guard = ACCESS[route.key]
    response = getattr(client, guard.method)(_url(route))

    if guard.anonymous == API_401:
        assert response.status_code == 401
    else:
        assert guard.anonymous == SIGN_IN
        assert response.status_code == 302
        sign_in = resolve_url(settings.LOGIN_URL) + "?next="
        assert _sign_in_location(client, response).startswith(sign_in)


@pytest.mark.django_db
@pytest.mark.parametrize("route", GUARDED, ids=lambda r: r.key)
def test_a_user_without_a_role_gets_what_the_table_says(client, user_without_roles, route):
    guard = ACCESS[route.key]
    client.force_login(user_without_roles)

    assert getattr(client, guard.method)(_url(route)).status_code == guard.no_role

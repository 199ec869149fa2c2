"""Signing in by email and password, with the signed-in user's roles loaded with them.

Every signed-in page asks what roles its user holds. Django's own backend loads the user
in one query and the roles then take a second; this one reads the user's active
memberships with the user and organisation joined, which is one query for both (a user
holds a few memberships, so the repeated user columns cost nothing). Nothing is cached
between requests: a membership ended or an organisation closed counts at once.

The query is the one every signed-in request runs, so its SQL is written once per
database and the rows turned into models directly: building it through the ORM on each
request cost more than half of a signed-in request's fixed cost (issue 17; ADR 0024).
It selects what ``Membership.objects.active_for(user_id).select_related("user",
"organisation")`` does, and tests/core/test_backends.py holds the two to the same rows.
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db import connections, router
from django.db.models import Model

from socialrx.core.models import Membership, Organisation, User


def _columns(model: type[Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


@functools.cache
def _roles_sql(alias: str) -> str:
    quote = connections[alias].ops.quote_name

    def select(model: type[Model], table: str) -> str:
        return ", ".join(f"{table}.{quote(f.column)}" for f in model._meta.concrete_fields)

    return (
        f"SELECT {select(Membership, 'm')}, {select(User, 'u')}, {select(Organisation, 'o')}"
        f" FROM {quote(Membership._meta.db_table)} m"
        f" JOIN {quote(User._meta.db_table)} u ON u.id = m.user_id"
        f" JOIN {quote(Organisation._meta.db_table)} o ON o.id = m.organisation_id"
        " WHERE m.user_id = %s AND m.is_active = %s AND o.is_active = %s"
        " ORDER BY m.role, o.name"
    )


def active_memberships(user_id: Any) -> list[Membership]:
    """The user's current roles with the user and organisations, in one raw query."""
    alias = router.db_for_read(Membership)
    with connections[alias].cursor() as cursor:
        cursor.execute(_roles_sql(alias), [user_id, True, True])
        rows = cursor.fetchall()
    if not rows:
        return []
    m_cols, u_cols, o_cols = _columns(Membership), _columns(User), _columns(Organisation)
    split_u, split_o = len(m_cols), len(m_cols) + len(u_cols)
    user = User.from_db(alias, u_cols, rows[0][split_u:split_o])
    memberships = []
    for row in rows:
        membership = Membership.from_db(alias, m_cols, row[:split_u])
        membership.user = user
        membership.organisation = Organisation.from_db(alias, o_cols, row[split_o:])
        memberships.append(membership)
    return memberships


class UserWithRolesBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        memberships = active_memberships(user_id)
        if not memberships:
            # No current role (or no such user): the plain lookup, as Django's backend.
            return super().get_user(user_id)
        user: User = memberships[0].user
        # Fills User.active_memberships (a cached_property) for this request.
        user.__dict__["active_memberships"] = memberships
        return user if self.user_can_authenticate(user) else None

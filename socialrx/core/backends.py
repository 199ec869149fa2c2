"""Signing in by email and password, with the signed-in user's roles loaded with them.

Every signed-in page asks what roles its user holds. Django's own backend loads the user
in one query and the roles then take a second; this one reads the user's active
memberships with the user and organisation joined, which is one query for both (a user
holds a few memberships, so the repeated user columns cost nothing). Nothing is cached
between requests: a membership ended or an organisation closed counts at once.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from socialrx.core.models import Membership, User


class UserWithRolesBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        memberships = list(
            Membership.objects.active_for(user_id).select_related("user", "organisation")
        )
        if not memberships:
            # No current role (or no such user): the plain lookup, as Django's backend.
            return super().get_user(user_id)
        user: User = memberships[0].user
        for membership in memberships:
            membership.user = user
        # Fills User.active_memberships (a cached_property) for this request.
        user.__dict__["active_memberships"] = memberships
        return user if self.user_can_authenticate(user) else None

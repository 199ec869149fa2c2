"""Who may do what. Views and APIs ask here; later apps build their scoped querysets
(``referrals_visible_to(user)``) on these helpers."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from rest_framework.permissions import BasePermission

from socialrx.core.models import Organisation, OrganisationQuerySet, Role, User

#: Information governance: the county's IG lead and system administrators read access
#: reports and run data protection (retention, rights requests, subject access).
GOVERNANCE_ROLES = (Role.INFORMATION_GOVERNANCE, Role.SYSTEM_ADMIN)

# HttpResponseBase, so streamed downloads (StreamingHttpResponse) are views too.
ViewFunc = Callable[..., HttpResponseBase]


def organisations_for(user: User, *roles: str) -> OrganisationQuerySet:
    """Active organisations in which the user holds any of ``roles``, as a queryset to
    build on. To filter other rows by them use ``organisation_ids_for`` (a literal
    ``IN (3, 7)``, not a subquery); to list them, ``user.organisations_with_role``
    (already loaded with the memberships: no query)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(pk__in=organisation_ids_for(user, *roles))


def organisation_ids_for(user: User, *roles: str) -> list[int]:
    """The ids of ``organisations_for``: filter on these (``triage_service__in=ids``)
    rather than on the queryset, which would put a subquery in the SQL."""
    if not user.is_authenticated:
        return []
    return sorted({m.organisation_id for m in user.active_memberships if m.role in roles})


def is_system_admin(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_role(Role.SYSTEM_ADMIN))


def role_required(*roles: str) -> Callable[[ViewFunc], ViewFunc]:
    """Sign-in required (redirect), then one of ``roles`` required (403)."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.has_role(*roles):  # type: ignore[union-attr]
                raise PermissionDenied("Your role does not include this page.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def has_role(*roles: str) -> type[BasePermission]:
    """A DRF permission class admitting signed-in users with any of ``roles``."""

    class HasRole(BasePermission):
        message = "Your role does not allow this."

        def has_permission(self, request: Any, view: Any) -> bool:
            user = request.user
            return bool(user and user.is_authenticated and user.has_role(*roles))

    HasRole.__name__ = "HasRole_" + "_".join(roles)
    return HasRole

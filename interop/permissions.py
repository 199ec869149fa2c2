"""Who is calling the FHIR interface, and what they may see.

Two kinds of caller: a person's API token (``Authorization: Bearer`` or ``Token``, through
the project's DRF authentication classes) sees what ``referrals.permissions`` lets that
person see; a system client (OAuth 2.0 client credentials) sees the referrals its practice
made and those of the practice's registered patients, within its token's scopes.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from oauth2_provider.contrib.rest_framework import OAuth2Authentication

from interop.errors import FhirError
from interop.models import PracticeMessage, PracticeMessageQuerySet, SystemClient
from referrals.models import Person, Referral, ReferralQuerySet
from referrals.permissions import referrals_visible_to
from socialrx.core.models import Organisation, OrganisationType, Role, User
from socialrx.core.permissions import organisation_ids_for
from socialrx.core.prepared import Prepared, first_of

# Declared once, in settings.OAUTH2_PROVIDER (the toolkit checks tokens against them).
SCOPES: dict[str, str] = settings.OAUTH2_PROVIDER["SCOPES"]  # type: ignore[assignment]


class SystemClientAuthentication(OAuth2Authentication):
    """django-oauth-toolkit's bearer check. A client-credentials token has no user of its
    own; the request runs as the client's service user (set as the application's user)."""

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        _load_system_client(token.application)
        return (user or token.application.user), token


# A GP system's every request reads its client, practice and service user: one query
# (instead of one lazy read each), its SQL built once (socialrx.core.prepared).
_system_client = Prepared(
    lambda application_id: first_of(
        SystemClient.objects.select_related("organisation", "service_user").filter(
            application_id=application_id
        )
    )
)


def _load_system_client(application: Any) -> None:
    """Cache the application's system client (or that it has none), with its practice,
    and its user when that is the client's service user (as registered)."""
    found = _system_client(application.pk)
    client = found[0] if found else None
    SystemClient.application.field.remote_field.set_cached_value(application, client)
    if client is not None and client.service_user_id == application.user_id:
        type(application).user.field.set_cached_value(application, client.service_user)


@dataclasses.dataclass(frozen=True)
class Caller:
    user: User
    system_client: SystemClient | None
    scopes: frozenset[str] | None  # None: a person's token, limited by roles, not scopes

    def require(self, scope: str) -> None:
        if self.scopes is not None and scope not in self.scopes:
            raise FhirError(
                f"This token does not carry the scope {scope!r}", code="forbidden", status=403
            )

    @property
    def practice_ids(self) -> list[int]:
        if self.system_client is not None:
            return [self.system_client.organisation_id]
        return organisation_ids_for(self.user, Role.REFERRER)

    @property
    def referring_organisation(self) -> Organisation | None:
        if self.system_client is not None:
            return self.system_client.organisation
        organisations = self.user.organisations_with_role(Role.REFERRER)
        return organisations[0] if organisations else None


def caller_for(request: Any) -> Caller:
    token = request.auth
    client = getattr(getattr(token, "application", None), "system_client", None)
    if client is not None:
        return Caller(user=request.user, system_client=client, scopes=frozenset(token.scopes))
    return Caller(user=request.user, system_client=None, scopes=None)


def referrals_for(caller: Caller) -> ReferralQuerySet:
    """Referrals the caller may read: its practice's own and its registered patients'."""
    if caller.system_client is not None:
        practice = caller.system_client.organisation_id
        return Referral.objects.filter(
            Q(referring_organisation=practice) | Q(person__registered_practice=practice)
        )
    return referrals_visible_to(caller.user)


def referral_for(caller: Caller, referral_id: uuid.UUID | str) -> Referral:
    referral = (
        referrals_for(caller)
        .select_related("person", "triage_service", "assigned_team", "referring_organisation")
        .filter(uuid=referral_id)
        .first()
    )
    if referral is None:
        raise Http404("No such referral")
    return referral


def person_to_refer(caller: Caller, *, nhs_number: str = "", pk: str = "") -> Person | None:
    """Someone the caller may refer by reference alone: registered at the caller's practice,
    or referred by it before. Anyone else must be sent in full."""
    practices = caller.practice_ids
    people = Person.objects.live().filter(
        Q(registered_practice__in=practices) | Q(referrals__referring_organisation__in=practices)
    )
    if nhs_number:
        people = people.filter(nhs_number=nhs_number)
    elif pk.isdigit():
        people = people.filter(pk=int(pk))
    else:
        return None
    return people.distinct().order_by("pk").first()


def messages_for(caller: Caller) -> PracticeMessageQuerySet:
    """Messages back to the caller's practices (as the registered practice)."""
    return PracticeMessage.objects.filter(practice__in=caller.practice_ids)


def message_for(caller: Caller, message_id: uuid.UUID | str) -> PracticeMessage:
    message = (
        messages_for(caller).select_related("referral__person").filter(uuid=message_id).first()
    )
    if message is None:
        raise Http404("No such message")
    return message


def practice_ids_for(user: User) -> list[int]:
    """GP practices where the user holds any role: their practice inboxes."""
    if not user.is_authenticated:
        return []
    return sorted(
        {
            m.organisation_id
            for m in user.active_memberships
            if m.organisation.org_type == OrganisationType.GP_PRACTICE
        }
    )


def practice_staff(user: User) -> bool:
    return bool(practice_ids_for(user))


def practice_messages_for(user: User) -> PracticeMessageQuerySet:
    """For the practice inbox: messages to the practices where the user holds any role,
    for all their registered patients."""
    return PracticeMessage.objects.filter(practice__in=practice_ids_for(user))


def practice_message_for(user: User, message_id: int) -> PracticeMessage:
    message = (
        practice_messages_for(user)
        .select_related("referral__person", "practice", "filed_by")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        raise Http404("No such message")
    return message

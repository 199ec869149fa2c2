"""Organisations attached to rows after they are fetched, instead of joined.

Referrals and cases point at several organisations (the referrer's practice, the triage
service, the team, the person's practice). Joined with ``select_related`` they put
core_organisation into one query three or four times, and PostgreSQL spent about a
millisecond planning each of those joins: 4.4 ms to plan a referral page's query that
ran in 0.3 ms (docs/performance.md). The organisations table is small, so one more query
for all of them by id is far cheaper than the joins.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Self, TypeVar

from django.db import models
from django.db.models.query import ModelIterable

from socialrx.core.models import Organisation
from socialrx.core.prepared import Prepared

_M = TypeVar("_M", bound=models.Model)

# Every referral and case page runs it: its SQL built once per number of ids.
_organisations = Prepared(lambda ids: Organisation.objects.filter(pk__in=ids))


def attach_organisations(objects: Iterable[models.Model], *paths: str) -> None:
    """Set each object's organisation foreign keys named by ``paths`` (``"team"``, or
    through a relation already loaded, ``"person.registered_practice"``) from one query."""
    slots: list[tuple[models.Model, str, Any]] = []
    for obj in objects:
        for path in paths:
            *through, field = path.split(".")
            owner: Any = obj
            for name in through:
                owner = getattr(owner, name)
            if owner is not None:
                slots.append((owner, field, getattr(owner, f"{field}_id")))
    ids = {org_id for _, _, org_id in slots if org_id is not None}
    if not ids:
        return
    organisations = {org.pk: org for org in _organisations(sorted(ids))}
    for owner, field, org_id in slots:
        if org_id is not None:
            setattr(owner, field, organisations[org_id])


class AttachOrganisationsQuerySet(models.QuerySet[_M]):
    """A queryset that, once it has fetched its rows, attaches the organisations
    ``with_organisations(*paths)`` named, in one query for the whole page."""

    _organisation_paths: tuple[str, ...] = ()

    def with_organisations(self, *paths: str) -> Self:
        clone = self._chain()  # type: ignore[attr-defined]
        clone._organisation_paths = (*self._organisation_paths, *paths)
        return clone

    def _clone(self) -> Self:
        clone = super()._clone()  # type: ignore[misc]
        clone._organisation_paths = self._organisation_paths
        return clone

    def _fetch_all(self) -> None:
        fetched = self._result_cache is not None
        super()._fetch_all()
        if not fetched and self._organisation_paths and self._iterable_class is ModelIterable:
            attach_organisations(self._result_cache or [], *self._organisation_paths)

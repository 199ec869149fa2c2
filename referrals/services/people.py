"""Keeping people's records apart, or merging two records of one person."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from referrals import codes
from referrals.models import (
    Person,
    PersonDetailsEvent,
    PersonKeptApart,
    Referral,
    normalise_nhs_number,
    normalise_postcode,
)
from socialrx.core.audit import audit_record
from socialrx.core.models import AuditAction, User


@transaction.atomic
def person_keep_apart(*, person: Person, other: Person, actor: User) -> PersonKeptApart:
    """Record that two possible duplicates are different people."""
    first, second = sorted((person, other), key=lambda p: p.pk)
    decision, _ = PersonKeptApart.objects.get_or_create(
        first=first, second=second, defaults={"decided_by": actor}
    )
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=person, detail={"kept_apart": other.pk}
    )
    return decision


@transaction.atomic
def person_merge(*, keep: Person, merge: Person, actor: User) -> Person:
    """Move ``merge``'s referrals to ``keep`` and mark ``merge`` as merged. Never automatic."""
    if keep.pk == merge.pk or merge.merged_into_id is not None:
        raise ValidationError("These records cannot be merged")
    moved = Referral.objects.filter(person=merge).update(person=keep)
    merge.merged_into = keep
    merge.save(update_fields=["merged_into", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=keep,
        detail={"merged_from": merge.pk, "referrals_moved": moved},
    )
    return keep


def _stored(value: Any) -> Any:
    """A value as the history (JSON) keeps it: a related record by its id, a date as ISO."""
    if isinstance(value, models.Model):
        return value.pk
    return value.isoformat() if isinstance(value, datetime.date) else value


@transaction.atomic
def person_update_details(
    *, person: Person, actor: User, details: dict[str, Any], note: str = ""
) -> PersonDetailsEvent | None:
    """Correct the person's contact and access details (``codes.PERSON_EDITABLE_FIELDS``)
    or, for triage, who they are (``codes.PERSON_IDENTITY_FIELDS``).

    The person's row is locked so two people correcting at once do not lose a change; only
    fields that changed are saved, each with its old and new value in one immutable event
    (the history) and named in the audit entry. Nothing changed writes nothing.
    """
    unknown = set(details) - {*codes.PERSON_EDITABLE_FIELDS, *codes.PERSON_IDENTITY_FIELDS}
    if unknown:
        raise ValidationError(f"These details cannot be changed here: {', '.join(sorted(unknown))}")
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if "postcode" in details:
        details = {**details, "postcode": normalise_postcode(details["postcode"])}
    if "nhs_number" in details:
        try:
            details = {**details, "nhs_number": normalise_nhs_number(details["nhs_number"])}
        except ValidationError as error:
            raise ValidationError({"nhs_number": error.messages}) from error
    changes: dict[str, list[Any]] = {}
    for name, value in details.items():
        before = getattr(locked, name)
        if _stored(before) != _stored(value):
            changes[name] = [_stored(before), _stored(value)]
            setattr(locked, name, value)
    if not changes:
        return None
    locked.save(update_fields=[*changes, "updated_at"])
    event = PersonDetailsEvent.objects.create(
        person=locked, actor=actor, changes=changes, note=note
    )
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=locked, detail={"changed": sorted(changes)}
    )
    # The caller's copy shows the corrected details from now on.
    for name in changes:
        setattr(person, name, getattr(locked, name))
    return event

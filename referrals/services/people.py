"""Keeping people's records apart, or merging two records of one person."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from referrals.models import (
    Person,
    PersonKeptApart,
    Referral,
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

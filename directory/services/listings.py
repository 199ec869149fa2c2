"""Keeping a listing current: confirmation, capacity, the details form, the
administrators' review and organisation approval."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from directory.models import (
    ApprovalStatus,
    CapacityStatus,
    ChangeKind,
    DirectoryOrganisation,
    Language,
    Service,
    ServiceAttribute,
    ServiceCapacity,
    ServiceChange,
    TaxonomyTerm,
)
from directory.services._history import diff as _diff
from directory.services._history import record as _record
from socialrx.core.audit import audit_record
from socialrx.core.models import AuditAction, Organisation, User

# The service fields an editor may change through the listing form.
EDITABLE_FIELDS = (
    "name",
    "description",
    "status",
    "alert",
    "url",
    "email",
    "minimum_age",
    "maximum_age",
    "referral_routes",
    "referral_instructions",
    "cost",
    "accreditations",
)


def _capacity(service: Service) -> ServiceCapacity:
    capacity, _ = ServiceCapacity.objects.get_or_create(service=service)
    return capacity


@transaction.atomic
def service_confirm(
    *, service: Service, actor: User, request: HttpRequest | None = None
) -> ServiceChange:
    """ "Still accurate": re-assures the listing and its capacity as of today."""
    before = {"assured_date": service.assured_date}
    service.assured_date = timezone.localdate()
    # The feed publishes the assurer's address: the organisation's public contact, never
    # the sign-in email of the staff member who pressed the button (issue 13).
    service.assurer_email = service.organization.email
    service.save(update_fields=["assured_date", "assurer_email", "updated_at"])
    capacity = _capacity(service)
    capacity.updated = timezone.now()
    capacity.save(update_fields=["updated", "updated_at"])
    return _record(
        service=service,
        actor=actor,
        kind=ChangeKind.CONFIRMED,
        changes=_diff(before, {"assured_date": service.assured_date}),
        request=request,
    )


@transaction.atomic
def service_capacity_set(
    *,
    service: Service,
    actor: User,
    status: str,
    expected_wait_weeks: int | None = None,
    maximum: int | None = None,
    available: int | None = None,
    request: HttpRequest | None = None,
) -> ServiceChange:
    """Set capacity; setting it to what it already is confirms it."""
    if status not in CapacityStatus.values:
        raise ValueError(f"Unknown capacity status {status!r}")
    capacity = _capacity(service)
    if status != CapacityStatus.WAITING_LIST:
        expected_wait_weeks = None
    if status != CapacityStatus.ACCEPTING:
        available = None
    names = ("status", "expected_wait_weeks", "maximum", "available")
    before = {name: getattr(capacity, name) for name in names}
    after = dict(zip(names, (status, expected_wait_weeks, maximum, available), strict=True))
    for name, value in after.items():
        setattr(capacity, name, value)
    capacity.updated = timezone.now()
    capacity.save()
    changes = _diff(before, after)
    kind = ChangeKind.CAPACITY if changes else ChangeKind.CAPACITY_CONFIRMED
    return _record(service=service, actor=actor, kind=kind, changes=changes, request=request)


@transaction.atomic
def service_update(
    *,
    service: Service,
    actor: User,
    fields: dict[str, Any],
    terms: Iterable[TaxonomyTerm],
    language_codes: Iterable[str],
    language_names: dict[str, str],
    request: HttpRequest | None = None,
) -> ServiceChange | None:
    """Publish an editor's changes at once; they join the administrators' review queue
    through ``last_modified``. Returns None when nothing changed."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    terms = list(terms)
    codes = sorted(set(language_codes))
    before: dict[str, Any] = {name: getattr(service, name) for name in fields}
    before["taxonomy_terms"] = [t.name for t in service.taxonomy_terms.all()]
    before["languages"] = list(service.languages.values_list("code", flat=True))
    changes = _diff(
        before, fields | {"taxonomy_terms": [t.name for t in terms], "languages": codes}
    )
    if not changes:
        return None
    for name, value in fields.items():
        setattr(service, name, value)
    service.last_modified = timezone.now()
    service.save()
    ServiceAttribute.objects.filter(service=service).exclude(taxonomy_term__in=terms).delete()
    for term in terms:
        ServiceAttribute.objects.get_or_create(service=service, taxonomy_term=term)
    service.languages.exclude(code__in=codes).delete()
    existing = set(service.languages.values_list("code", flat=True))
    Language.objects.bulk_create(
        Language(service=service, code=code, name=language_names.get(code, code))
        for code in codes
        if code not in existing
    )
    return _record(
        service=service, actor=actor, kind=ChangeKind.EDITED, changes=changes, request=request
    )


@transaction.atomic
def service_mark_reviewed(
    *, service: Service, actor: User, request: HttpRequest | None = None
) -> ServiceChange:
    """An administrator has looked at the listing: it leaves the queue until it changes
    again or goes stale."""
    service.reviewed_at = timezone.now()
    service.save(update_fields=["reviewed_at", "updated_at"])
    return _record(
        service=service, actor=actor, kind=ChangeKind.REVIEWED, changes={}, request=request
    )


@transaction.atomic
def organisation_register(
    *,
    organisation: Organisation,
    actor: User,
    description: str,
    email: str = "",
    website: str = "",
    request: HttpRequest | None = None,
) -> DirectoryOrganisation:
    """A VCSE organisation asks to be listed; administrators approve it first."""
    listing = DirectoryOrganisation.objects.create(
        organisation=organisation,
        name=organisation.name,
        description=description,
        email=email,
        website=website,
        approval_status=ApprovalStatus.PENDING,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=listing, request=request)
    return listing


@transaction.atomic
def organisation_decide(
    *,
    organization: DirectoryOrganisation,
    actor: User,
    approve: bool,
    request: HttpRequest | None = None,
) -> DirectoryOrganisation:
    """Approve (its services are published) or reject a listed organisation."""
    before = organization.approval_status
    organization.approval_status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    organization.decided_by = actor
    organization.decided_at = timezone.now()
    organization.save(update_fields=["approval_status", "decided_by", "decided_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=organization,
        request=request,
        detail={"approval_status": [before, organization.approval_status]},
    )
    return organization

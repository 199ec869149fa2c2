"""Load an Open Referral UK / HSDS 3.0 feed into the directory, so a county can start
from an existing directory. Records are upserted by their UUIDs: importing the same
feed twice changes nothing.

Besides services (alone, in a page, in an organisation or a service_at_location) it
reads taxonomies (with their nested terms) and taxonomy terms, alone or in pages, so a
county can load the vocabulary its services are tagged with.

Not kept: ``fees`` (deprecated in HSDS 3.0; use cost_options), references to records
the feed does not include (``parent_organization_id``, a term's ``parent_id`` to a term
not in the directory) and accessibility's repeated
``accessibility`` text.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from django.db import models, transaction
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify

from directory import models as m
from directory.models import ApprovalStatus, ChangeKind
from directory.taxonomy import term_choices_forget

Json = dict[str, Any]


@dataclass
class ImportSummary:
    organisations: int = 0
    services: int = 0
    taxonomies: int = 0
    taxonomy_terms: int = 0

    def __str__(self) -> str:
        text = f"{self.organisations} organisations, {self.services} services"
        if self.taxonomies or self.taxonomy_terms:
            text += f", {self.taxonomies} taxonomies, {self.taxonomy_terms} taxonomy terms"
        return text


def _pick(data: Json, *names: str) -> Json:
    return {n: data[n] for n in names if data.get(n) is not None}


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _time(value: str | None) -> time | None:
    return time.fromisoformat(value) if value else None


def _upsert(model: type[models.Model], data: Json, **values: Any) -> Any:
    obj, _ = model._default_manager.update_or_create(id=uuid.UUID(data["id"]), defaults=values)
    return obj


def _organisation(data: Json) -> m.DirectoryOrganisation:
    org = _upsert(
        m.DirectoryOrganisation, data,
        **_pick(data, "name", "description", "email", "website", "logo", "uri"),
        approval_status=ApprovalStatus.APPROVED,
    )  # fmt: skip
    for ident in data.get("organization_identifiers") or []:
        _upsert(m.OrganizationIdentifier, ident, organization=org,
                **_pick(ident, "identifier_scheme", "identifier_type", "identifier"))  # fmt: skip
    return org


def _taxonomy_code(name: str, taxonomy_id: str) -> str:
    # ``code`` is our own stable key and unique; a feed's names may repeat ours.
    code = slugify(name)[:50] or "imported"
    if m.Taxonomy.objects.filter(code=code).exclude(id=taxonomy_id).exists():
        code = f"{code}-{taxonomy_id[:8]}"
    return code


def _taxonomy(data: Json) -> m.Taxonomy:
    existing = m.Taxonomy.objects.filter(id=data["id"]).first()
    code = existing.code if existing else _taxonomy_code(data["name"], data["id"])
    taxonomy = _upsert(
        m.Taxonomy, data, code=code, **_pick(data, "name", "description", "uri", "version")
    )
    for term in data.get("taxonomy_terms") or []:
        _term(term, taxonomy=taxonomy)
    return taxonomy


def _term(data: Json, taxonomy: m.Taxonomy | None = None) -> m.TaxonomyTerm:
    if taxonomy is None and data.get("taxonomy_id"):
        taxonomy = m.Taxonomy.objects.filter(id=data["taxonomy_id"]).first()
    if taxonomy is None and data.get("taxonomy"):
        name = data["taxonomy"]
        taxonomy, _ = m.Taxonomy.objects.get_or_create(
            code=slugify(name)[:60] or "imported", defaults={"name": name, "description": name}
        )
    values = _pick(data, "name", "description", "term_uri")
    # The term's code is unique within its taxonomy; the name stands in when it has none.
    code = data.get("term") or data.get("code") or slugify(data.get("name", ""))[:90]
    if m.TaxonomyTerm.objects.filter(taxonomy=taxonomy, term=code).exclude(id=data["id"]).exists():
        code = f"{code[:90]}-{data['id'][:8]}"
    term = _upsert(m.TaxonomyTerm, data, taxonomy=taxonomy, term=code, **values)
    _link_parent(data)
    return term


def _link_parent(data: Json) -> None:
    """Link a term to its parent if the directory has it (a parent may also come later
    in the same feed, so vocabulary imports call this again at the end)."""
    parent_id = data.get("parent_id")
    if parent_id and m.TaxonomyTerm.objects.filter(id=parent_id).exists():
        m.TaxonomyTerm.objects.filter(id=data["id"]).update(parent_id=parent_id)


def _schedule(data: Json, **owner: Any) -> None:
    _upsert(
        m.Schedule, data, **owner,
        **_pick(data, "freq", "interval", "byday", "bymonthday", "description",
                "schedule_link", "attending_type", "notes"),
        valid_from=_date(data.get("valid_from")), valid_to=_date(data.get("valid_to")),
        dtstart=_date(data.get("dtstart")),
        opens_at=_time(data.get("opens_at")), closes_at=_time(data.get("closes_at")),
    )  # fmt: skip


def _location(data: Json, org: m.DirectoryOrganisation) -> m.Location:
    location = _upsert(
        m.Location, data, organization=org,
        **_pick(data, "location_type", "name", "description", "latitude", "longitude",
                "external_identifier", "external_identifier_type"),
    )  # fmt: skip
    for address in data.get("addresses") or []:
        _upsert(m.Address, address, location=location,
                **_pick(address, "attention", "address_1", "address_2", "city", "region",
                        "state_province", "postal_code", "country", "address_type"))  # fmt: skip
    for access in data.get("accessibility") or []:
        _upsert(m.Accessibility, access, location=location,
                **_pick(access, "description", "details", "url"))  # fmt: skip
    return location


def _service(data: Json, org: m.DirectoryOrganisation) -> m.Service:
    modified = parse_datetime(data["last_modified"]) if data.get("last_modified") else None
    service = _upsert(
        m.Service, data, organization=org,
        **_pick(data, "name", "description", "url", "email", "status", "accreditations",
                "minimum_age", "maximum_age", "assurer_email", "alert"),
        assured_date=_date(data.get("assured_date")),
        **({"last_modified": modified} if modified else {}),
    )  # fmt: skip
    for schedule in data.get("schedules") or []:
        _schedule(schedule, service=service)
    for area in data.get("service_areas") or []:
        _upsert(m.ServiceArea, area, service=service,
                **_pick(area, "name", "extent", "extent_type", "uri", "service_area"))  # fmt: skip
    for sal in data.get("service_at_locations") or []:
        location = _location(sal["location"], org) if sal.get("location") else None
        if location is None:
            continue
        at = _upsert(m.ServiceAtLocation, sal, service=service, location=location,
                     **_pick(sal, "description"))  # fmt: skip
        for schedule in sal.get("schedules") or []:
            _schedule(schedule, service_at_location=at)
    for language in data.get("languages") or []:
        _upsert(m.Language, language, service=service, **_pick(language, "name", "code", "note"))
    for funding in data.get("funding") or []:
        _upsert(m.Funding, funding, service=service, **_pick(funding, "source"))
    for cost in data.get("cost_options") or []:
        _upsert(
            m.CostOption, cost, service=service,
            **_pick(cost, "option", "amount", "amount_description"),
            valid_from=_date(cost.get("valid_from")), valid_to=_date(cost.get("valid_to")),
        )  # fmt: skip
    for contact in data.get("contacts") or []:
        saved = _upsert(m.Contact, contact, service=service,
                        **_pick(contact, "name", "title", "email"))  # fmt: skip
        for phone in contact.get("phones") or []:
            _upsert(m.Phone, phone, contact=saved, **_pick(phone, "number", "description"))
    for attribute in data.get("attributes") or []:
        if attribute.get("taxonomy_term"):
            _upsert(m.ServiceAttribute, attribute, service=service,
                    taxonomy_term=_term(attribute["taxonomy_term"]),
                    **_pick(attribute, "link_type"))  # fmt: skip
    m.ServiceCapacity.objects.get_or_create(service=service)
    m.ServiceChange.objects.create(service=service, kind=ChangeKind.IMPORTED)
    return service


def _is_taxonomy(document: Json) -> bool:
    return "taxonomy_terms" in document or (
        {"name", "description"} <= document.keys()
        and not {"organization", "term", "taxonomy_id", "parent_id", "taxonomy"} & document.keys()
        and not {"status", "service_at_locations", "services", "location"} & document.keys()
    )


def _is_term(document: Json) -> bool:
    return bool(
        {"term", "taxonomy_id", "parent_id", "taxonomy", "term_uri"} & document.keys()
    ) and ("organization" not in document)


def _services_of(document: Json) -> list[tuple[Json, Json]]:
    """(organisation, service) pairs from a service, a page of them, an organisation
    with services, or a service_at_location with its service."""
    if "contents" in document:
        return [pair for item in document["contents"] for pair in _services_of(item)]
    if "services" in document:
        org = {k: v for k, v in document.items() if k != "services"}
        return [(org, service) for service in document["services"]]
    if "service" in document and "location" in document:
        service = dict(document["service"])
        sal = {k: v for k, v in document.items() if k != "service"}
        service["service_at_locations"] = [*service.get("service_at_locations", []), sal]
        return _services_of(service)
    if "organization" not in document:
        raise ValueError(f"Service {document.get('id')} has no organization to attach it to")
    return [(document["organization"], document)]


@transaction.atomic
def oruk_import(*, document: Json) -> ImportSummary:
    """Import one document: a service, organisation, service_at_location, taxonomy or
    taxonomy term, or a Page of any of them."""
    items = document["contents"] if "contents" in document else [document]
    summary = ImportSummary()
    if items and all(_is_taxonomy(i) or _is_term(i) for i in items):
        terms: list[Json] = []
        for item in items:
            if _is_taxonomy(item):
                _taxonomy(item)
                summary.taxonomies += 1
                terms += item.get("taxonomy_terms") or []
            else:
                _term(item)
                terms.append(item)
        for term in terms:
            _link_parent(term)
        summary.taxonomy_terms = len(terms)
        term_choices_forget()
        return summary
    seen: set[str] = set()
    for org_data, service_data in _services_of(document):
        org = _organisation(org_data)
        if org_data["id"] not in seen:
            seen.add(org_data["id"])
            summary.organisations += 1
        _service(service_data, org)
        summary.services += 1
    # A service's attributes can bring new terms.
    term_choices_forget()
    return summary

"""Synthetic data for the directory: postcode districts, organisations, venues and
services (10,000 at county scale), searchable by the words link workers use."""

from __future__ import annotations

import datetime
import itertools
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import models

from demo.synthetic.base import (
    SYNTHETIC_DOMAIN,
    Synth,
    district_centre,
    district_name,
    next_id,
    uuid_from,
)
from directory.models import (
    Address,
    ApprovalStatus,
    CapacityStatus,
    Contact,
    Cost,
    DirectoryOrganisation,
    Location,
    PostcodeCentroid,
    ReferralRoute,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceAttribute,
    ServiceCapacity,
    ServiceStatus,
    TaxonomyTerm,
)
from directory.taxonomy import AUDIENCE, CATEGORY

# --- the directory --------------------------------------------------------------------

_PLACES = [
    "Northshire", "Fenbridge", "Castle Park", "Riverside", "Marsh Lane", "Oakham Green",
    "Abbey", "Millbrook", "Kingsthorpe", "Westfield", "Eastbrook", "Harlow Vale",
    "Brampton", "Ashby", "Thornton", "Weldon", "Cranford", "Denford", "Lilford", "Yardley",
]  # fmt: skip
_ORG_KINDS = ["Trust", "Network", "Collective", "Association", "Foundation", "Group", "Centre",
              "Project", "Partnership", "Club"]  # fmt: skip
# Words for each category: the service names and descriptions people search.
_CATEGORY_WORDS: dict[str, tuple[list[str], list[str]]] = {
    "befriending": (["Befriending", "Friendship Circle", "Coffee Morning", "Lunch Club"],
                    ["company", "friendship", "chat", "tea", "loneliness"]),
    "arts": (["Arts Group", "Choir", "Craft Circle", "Museum Mornings"],
             ["painting", "singing", "craft", "music", "creative"]),
    "physical-activity": (["Walking Group", "Chair Yoga", "Walking Football", "Dance"],
                          ["walking", "exercise", "gentle", "movement", "fitness"]),
    "green": (["Community Garden", "Allotment", "Conservation Volunteers", "Nature Walks"],
              ["gardening", "outdoors", "nature", "growing", "conservation"]),
    "mental-wellbeing": (["Peer Support", "Wellbeing Cafe", "Talking Space", "Mindfulness"],
                         ["anxiety", "low mood", "coping", "talking", "wellbeing"]),
    "money": (["Benefits Advice", "Debt Advice", "Money Matters"],
              ["benefits", "debt", "budgeting", "grants", "advice"]),
    "housing": (["Housing Advice", "Tenancy Support"],
                ["housing", "tenancy", "homelessness", "rent", "advice"]),
    "employment": (["Volunteering Hub", "Work Club", "Job Skills"],
                   ["volunteering", "work", "training", "skills", "jobs"]),
    "carers": (["Carers Support", "Carers Cafe"], ["carers", "respite", "caring", "break"]),
    "dementia": (["Dementia Cafe", "Memory Club"], ["dementia", "memory", "families"]),
    "self-management": (["Living Well", "Pain Management Group"],
                        ["long-term", "diabetes", "pain", "condition", "self-management"]),
    "weight": (["Healthy Weight", "Weight Management"], ["weight", "healthy", "eating"]),
    "healthy-eating": (["Cook and Eat", "Community Kitchen"], ["cooking", "food", "nutrition"]),
    "food": (["Food Pantry", "Community Meals", "Food Bank"], ["food", "meals", "pantry"]),
    "bereavement": (["Bereavement Support", "Grief Cafe"], ["bereavement", "grief", "loss"]),
    "domestic-abuse": (["Domestic Abuse Support"], ["safety", "abuse", "recovery", "advice"]),
    "learning": (["Adult Learning", "Reading Group", "Language Cafe"],
                 ["learning", "courses", "reading", "english", "skills"]),
    "digital": (["Digital Helpers", "Get Online"], ["digital", "online", "devices", "internet"]),
}  # fmt: skip
_COMMON = ["support", "community", "people", "local", "friendly", "welcome", "group", "free"]
# Rare words (about 1 service in 300 each): the "selective term" searches.
RARE_WORDS = ["ukulele", "beekeeping", "origami", "bellringing", "tai chi", "woodturning"]


@dataclass
class DirectoryIds:
    """What later generators need from the directory: every service id."""

    service_ids: list[uuid.UUID]


def generate_directory(synth: Synth) -> DirectoryIds:
    scale = synth.scale
    _postcode_districts(synth)
    terms = {
        (t.taxonomy.code if t.taxonomy else "", t.term): t.id
        for t in TaxonomyTerm.objects.select_related("taxonomy")
    }
    category_codes = [code for code in _CATEGORY_WORDS if (CATEGORY, code) in terms]
    audience_ids = [tid for (tax, _), tid in terms.items() if tax == AUDIENCE]
    n_orgs = max(1, scale.directory_services // 3)
    rng = synth.rng("directory", "organisations")
    orgs = [(uuid_from(rng), uuid_from(rng), i) for i in range(n_orgs)]  # (org, location, i)
    _organisations(synth, orgs)
    service_ids: list[uuid.UUID] = []
    for number, start in enumerate(range(0, scale.directory_services, synth.chunk_size)):
        count = min(synth.chunk_size, scale.directory_services - start)
        rows = _service_rows(synth, number, count, orgs, category_codes, terms, audience_ids)
        service_ids += [row["service"][0] for row in rows]
        synth.insert(Service, _SERVICE_FIELDS, (row["service"] for row in rows))
        # The service rows must exist before their children: insert those second.
        for model, fields in _SERVICE_CHILDREN:
            synth.insert(model, fields, itertools.chain.from_iterable(r[model] for r in rows))
    return DirectoryIds(service_ids=service_ids)


def _postcode_districts(synth: Synth) -> None:
    existing = set(PostcodeCentroid.objects.values_list("postcode", flat=True))
    first = next_id(PostcodeCentroid)
    rows: list[tuple[object, ...]] = []
    for index in range(synth.scale.districts):
        name = district_name(index)
        if name not in existing:
            rows.append((first + len(rows), name, *district_centre(index, synth.scale)))
    synth.insert(PostcodeCentroid, ("id", "postcode", "latitude", "longitude"), rows)


def _organisations(synth: Synth, orgs: list[tuple[uuid.UUID, uuid.UUID, int]]) -> None:
    rng = synth.rng("directory", "organisation-rows")
    as_of = synth.as_of
    org_rows, location_rows, address_rows = [], [], []
    for org_id, location_id, i in orgs:
        place = _PLACES[i % len(_PLACES)]
        name = f"{place} {rng.choice(['Community', 'Wellbeing', 'Neighbourhood', 'Together'])} {rng.choice(_ORG_KINDS)} {i + 1}"  # noqa: E501
        created = as_of - datetime.timedelta(days=rng.uniform(30, 3000))
        status = ApprovalStatus.APPROVED if rng.random() < 0.97 else ApprovalStatus.PENDING
        org_rows.append(
            (org_id, name, f"{name} runs local services.", f"hello{i + 1}@{SYNTHETIC_DOMAIN}",
             "", "", "", status, created, created)
        )  # fmt: skip
        district = rng.randrange(synth.scale.districts)
        lat, lon = district_centre(district, synth.scale)
        location_rows.append(
            (location_id, org_id, "physical", f"{place} community hall {i + 1}", "",
             round(lat + rng.uniform(-0.05, 0.05), 6), round(lon + rng.uniform(-0.07, 0.07), 6),
             "", "", created, created)
        )  # fmt: skip
        postcode = f"{district_name(district)} {rng.randrange(1, 10)}AB"
        address_rows.append(
            (uuid_from(rng), location_id, f"{rng.randrange(1, 200)} High Street", place,
             "Northshire", postcode, "GB", "physical", created, created)
        )  # fmt: skip
    synth.insert(
        DirectoryOrganisation,
        ("id", "name", "description", "email", "website", "logo", "uri", "approval_status",
         "created_at", "updated_at"),
        org_rows,
    )  # fmt: skip
    synth.insert(
        Location,
        ("id", "organization_id", "location_type", "name", "description", "latitude",
         "longitude", "external_identifier", "external_identifier_type", "created_at",
         "updated_at"),
        location_rows,
    )  # fmt: skip
    synth.insert(
        Address,
        ("id", "location_id", "address_1", "city", "state_province", "postal_code", "country",
         "address_type", "created_at", "updated_at"),
        address_rows,
    )  # fmt: skip


_SERVICE_FIELDS = (
    "id", "organization_id", "name", "description", "url", "email", "status", "accreditations",
    "minimum_age", "maximum_age", "assured_date", "assurer_email", "alert", "last_modified",
    "referral_routes", "referral_instructions", "cost", "reviewed_at", "created_at",
    "updated_at",
)  # fmt: skip
_SERVICE_CHILDREN: list[tuple[type[models.Model], tuple[str, ...]]] = [
    (ServiceCapacity, ("id", "service_id", "status", "available", "maximum", "unit",
                       "expected_wait_weeks", "updated", "created_at", "updated_at")),
    (ServiceAttribute, ("id", "service_id", "taxonomy_term_id", "link_type", "created_at",
                        "updated_at")),
    (ServiceAtLocation, ("id", "service_id", "location_id", "description", "created_at",
                         "updated_at")),
    (Schedule, ("id", "service_id", "freq", "interval", "byday", "bymonthday", "opens_at",
                "closes_at", "description", "schedule_link", "attending_type", "notes",
                "created_at", "updated_at")),
    (Contact, ("id", "service_id", "name", "title", "email", "is_referral_contact",
               "created_at", "updated_at")),
]  # fmt: skip
_CAPACITY = [
    (CapacityStatus.ACCEPTING, 0.70),
    (CapacityStatus.WAITING_LIST, 0.15),
    (CapacityStatus.NOT_ACCEPTING, 0.10),
    (CapacityStatus.ASSESSMENT_REQUIRED, 0.05),
]
_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA"]


def _service_rows(
    synth: Synth,
    number: int,
    count: int,
    orgs: list[tuple[uuid.UUID, uuid.UUID, int]],
    category_codes: list[str],
    terms: dict[tuple[str, str], uuid.UUID],
    audience_ids: list[uuid.UUID],
) -> list[dict[Any, Any]]:
    rng = synth.rng("directory", "services", number)
    as_of = synth.as_of
    today = as_of.date()
    rows = []
    for _ in range(count):
        org_id, location_id, org_index = rng.choice(orgs)
        codes = rng.sample(category_codes, k=min(len(category_codes), rng.choice([1, 1, 2, 3])))
        names, words = _CATEGORY_WORDS[codes[0]]
        place = _PLACES[org_index % len(_PLACES)]
        name = f"{place} {rng.choice(names)}"
        chosen = rng.sample(words, k=min(3, len(words))) + rng.sample(_COMMON, k=3)
        if rng.random() < 0.02:
            chosen.append(rng.choice(RARE_WORDS))
        description = (
            f"A {chosen[3]} {chosen[4]} offering {', '.join(chosen[:3])}. "
            f"{' '.join(chosen[5:]).capitalize()} for people in {place} and nearby."
        )
        created = as_of - datetime.timedelta(days=rng.uniform(1, 3000))
        service_id = uuid_from(rng)
        assured = today - datetime.timedelta(days=int(rng.expovariate(1 / 45)))
        status = ServiceStatus.ACTIVE if rng.random() < 0.94 else ServiceStatus.TEMPORARILY_CLOSED
        minimum_age = rng.choice([None, None, None, 16, 18, 50, 65])
        row: dict[Any, Any] = {
            "service": (
                service_id, org_id, name, description, "", "", status, "", minimum_age, None,
                assured, "", "", created, rng.choice(ReferralRoute.values), "",
                rng.choices(Cost.values, weights=[75, 15, 10])[0], None, created, created,
            )
        }  # fmt: skip
        capacity = rng.choices([c for c, _ in _CAPACITY], weights=[w for _, w in _CAPACITY])[0]
        maximum = rng.choice([None, 5, 10, 20])
        row[ServiceCapacity] = [
            (uuid_from(rng), service_id, capacity,
             None if maximum is None else rng.randrange(0, maximum + 1), maximum,
             "referrals per week",
             rng.randrange(1, 12) if capacity == CapacityStatus.WAITING_LIST else None,
             as_of - datetime.timedelta(days=rng.expovariate(1 / 20)), created, created)
        ]  # fmt: skip
        term_ids = [terms[(CATEGORY, c)] for c in codes]
        if audience_ids and rng.random() < 0.4:
            term_ids.append(rng.choice(audience_ids))
        row[ServiceAttribute] = [
            (uuid_from(rng), service_id, tid, "", created, created) for tid in term_ids
        ]
        row[ServiceAtLocation] = [(uuid_from(rng), service_id, location_id, "", created, created)]
        opens = datetime.time(rng.choice([9, 10, 13, 18]))
        row[Schedule] = [
            (uuid_from(rng), service_id, "WEEKLY", 1, rng.choice(_DAYS), "", opens,
             datetime.time(opens.hour + 2), "", "", "In person", "", created, created)
        ]  # fmt: skip
        row[Contact] = [
            (uuid_from(rng), service_id, "Referrals team", "Coordinator",
             f"referrals@{SYNTHETIC_DOMAIN}", True, created, created)
        ]  # fmt: skip
        rows.append(row)
    return rows

"""Synthetic data: the scales, the bulk writer every app's generator shares, and the
directory's own generator (postcode districts, organisations, venues, 10,000 services).

Each app has a ``synthetic.py`` with the generators for its own tables; the
``generate_synthetic`` command in outcomes (the top layer) runs them in order. The
shared pieces live here because directory is the lowest app every generator may import
(core imports no app and holds no generator).

Rules every generator follows:
- deterministic for a seed: randomness only from :meth:`Synth.rng`, seeded by the
  seed, the generator's name and the chunk number, and times relative to ``as_of``;
- constant memory: rows are produced and written in chunks (``Synth.chunk_size``),
  and a later layer reads what an earlier one wrote back from the database in chunks;
- explicit primary keys (from the table's current maximum), so foreign keys need no
  round trip; PostgreSQL sequences are reset at the end (:func:`reset_sequences`);
- PostgreSQL gets ``COPY ... FROM STDIN`` (psycopg 3), SQLite ``executemany`` with each
  value prepared by its model field (small scales only).
"""

from __future__ import annotations

import contextlib
import datetime
import itertools
import json
import math
import random
import string
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models

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

SYNTHETIC_DOMAIN = "synthetic.example"


@dataclass(frozen=True)
class Scale:
    """Row counts for one deployment size (DOMAIN.md, "Scale to design for")."""

    name: str
    referrals: int
    people: int
    contacts: int
    link_worker_services: int
    link_workers: int
    practices: int
    referrers: int
    directory_services: int
    districts: int

    @property
    def contacts_per_case(self) -> float:
        # About 85% of referrals become a case (the rest are declined or still in triage).
        return self.contacts / (self.referrals * 0.85)


SCALES: dict[str, Scale] = {
    # For tests and a quick look: every table, a few hundred rows.
    "tiny": Scale("tiny", 300, 240, 2_400, 2, 6, 6, 20, 60, 4),
    # A county of ~785,000 people over an 8-year retention.
    "county": Scale("county", 150_000, 120_000, 1_200_000, 4, 46, 80, 1_000, 10_000, 40),
    # Ten counties' worth: a region.
    "tenth": Scale("tenth", 1_500_000, 1_200_000, 12_000_000, 40, 460, 800, 10_000, 100_000, 400),
    # England: ~1.3 million referred a year, over 3,300 link workers.
    "national": Scale(
        "national", 10_000_000, 8_000_000, 80_000_000, 290, 3_300, 6_300, 66_000, 100_000, 2_000
    ),
}


@dataclass
class Synth:
    """What every generator is given: the scale, the seed and the reference time."""

    scale: Scale
    seed: int
    as_of: datetime.datetime
    chunk_size: int = 10_000
    counts: dict[str, int] = field(default_factory=dict)
    written: list[type[models.Model]] = field(default_factory=list)

    def rng(self, *parts: object) -> random.Random:
        """A generator of its own for one named stream: adding a table or changing one
        generator leaves every other stream as it was."""
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))

    def insert(self, model: type[models.Model], fields: Sequence[str], rows: Iterable[Any]) -> int:
        written = bulk_insert(model, fields, rows, chunk_size=self.chunk_size)
        label = model._meta.label
        self.counts[label] = self.counts.get(label, 0) + written
        if model not in self.written:
            self.written.append(model)
        return written


# --- writing --------------------------------------------------------------------------


def next_id(model: type[models.Model]) -> int:
    """The first free integer primary key (ids are given explicitly, then sequences reset)."""
    top = model._default_manager.aggregate(top=models.Max("pk"))["top"]
    return (top or 0) + 1


def chunks(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def bulk_insert(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Any], *, chunk_size: int
) -> int:
    """Insert ``rows`` (tuples in ``fields`` order, attribute names such as
    ``person_id``) without loading them all: COPY on PostgreSQL, batched INSERT else.

    Bypasses ``save()`` and ``auto_now``: generated rows carry their own timestamps."""
    meta = model._meta
    model_fields: list[Any] = [meta.get_field(name.removesuffix("_id")) for name in fields]
    # Columns a generator leaves out get the field's default (blank text, False...).
    missing = [f for f in meta.concrete_fields if f not in model_fields]
    if missing:
        defaults = tuple(f.get_default() for f in missing)
        model_fields += missing
        rows = (tuple(row) + defaults for row in rows)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in model_fields)
    table = connection.ops.quote_name(meta.db_table)
    total = 0
    if connection.vendor == "postgresql":
        json_at = [i for i, f in enumerate(model_fields) if isinstance(f, models.JSONField)]
        with connection.cursor() as cursor:
            for batch in chunks(rows, chunk_size):
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in batch:
                        if json_at:
                            row = list(row)
                            for i in json_at:
                                row[i] = json.dumps(row[i])
                        copy.write_row(row)
                total += len(batch)
        return total
    placeholders = ", ".join(["%s"] * len(model_fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        for batch in chunks(rows, chunk_size):
            prepared = [
                [f.get_db_prep_save(v, connection) for f, v in zip(model_fields, row, strict=True)]
                for row in batch
            ]
            cursor.executemany(sql, prepared)
            total += len(batch)
    return total


def reset_sequences(written: Sequence[type[models.Model]]) -> None:
    """After explicit ids, point PostgreSQL's sequences past them (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(written))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@contextlib.contextmanager
def foreign_key_triggers_off() -> Iterator[bool]:
    """On PostgreSQL, as a superuser, skip the per-row foreign key triggers during the
    load (as ``pg_restore --disable-triggers`` does): checked one row at a time at
    commit they cost more than the load itself. :func:`verify_foreign_keys` then checks
    every key in one pass per column. Yields whether the triggers were turned off."""
    if connection.vendor != "postgresql":
        yield False
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = bool(cursor.fetchone()[0])
        if superuser:
            cursor.execute("SET LOCAL session_replication_role = replica")
        try:
            yield superuser
        finally:
            if superuser:
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def verify_foreign_keys(written: Sequence[type[models.Model]]) -> None:
    """Every foreign key of every written table points at a row (one anti-join each)."""
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in written:
            for fk in model._meta.concrete_fields:
                if not fk.is_relation:
                    continue
                target = fk.target_field  # type: ignore[attr-defined]
                cursor.execute(
                    f"SELECT c.{q(fk.column)} FROM {q(model._meta.db_table)} c "
                    f"WHERE c.{q(fk.column)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                    f"{q(target.model._meta.db_table)} p WHERE p.{q(target.column)} = "
                    f"c.{q(fk.column)}) LIMIT 1"
                )
                orphan = cursor.fetchone()
                if orphan is not None:
                    raise RuntimeError(f"{model._meta.label}.{fk.name} = {orphan[0]} has no row")


def analyse(written: Sequence[type[models.Model]]) -> None:
    """Gather PostgreSQL's planner statistics, as after any bulk load: until autovacuum
    gets to new tables the planner guesses a handful of rows and picks nested loops."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in written:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def uuid_from(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def lognormal_days(rng: random.Random, median: float, spread: float = 0.8) -> float:
    """Waiting times: most short, a long tail (median ``median`` days)."""
    return rng.lognormvariate(math.log(median), spread)


# --- places ---------------------------------------------------------------------------

# "SX" and the "Q" areas are not UK postcode areas, so no synthetic postcode is real.
_AREAS = ["SX"] + [f"Q{letter}" for letter in string.ascii_uppercase if letter not in "IJZ"]
COUNTY_CENTRE = (52.24, -0.89)


def district_name(index: int) -> str:
    area, number = divmod(index, 99)
    return f"{_AREAS[area % len(_AREAS)]}{number + 1}"


def district_centre(index: int, scale: Scale) -> tuple[float, float]:
    """Districts of one area sit around one centre; areas spread across England."""
    rng = random.Random(f"district:{index}")
    area = index // 99
    lat = COUNTY_CENTRE[0] + (area % 6) * 0.55 - (1.4 if area else 0)
    lon = COUNTY_CENTRE[1] + (area // 6) * 0.7 - (1.5 if area else 0)
    return round(lat + rng.uniform(-0.2, 0.2), 6), round(lon + rng.uniform(-0.3, 0.3), 6)


def postcode_in(rng: random.Random, scale: Scale) -> str:
    district = district_name(rng.randrange(scale.districts))
    return f"{district} {rng.randrange(1, 10)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"  # noqa: E501


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

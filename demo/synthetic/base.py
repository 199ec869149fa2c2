"""Synthetic data: the scales, and the bulk writer and places every generator shares.

Each app's tables have a generator beside this module (``directory``, ``referrals``,
``linkworkers``, ``outcomes``); the ``generate_synthetic`` command runs them in order.

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
    # make bench-budget's fixed fixture: lists as full (25 rows) as the county's, in seconds.
    "budget": Scale("budget", 40_000, 32_000, 320_000, 2, 12, 20, 270, 10_000, 40),
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

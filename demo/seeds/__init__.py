"""Northshire, the fictional county ``seed_demo`` builds: each app's records, in the
order the apps depend on one another, in one transaction. Every seeder is idempotent."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from demo.seeds.core import SeedSummary, seed_core
from demo.seeds.directory import seed_directory
from demo.seeds.linkworkers import seed_casework
from demo.seeds.outcomes import seed_outcomes
from demo.seeds.referrals import seed_referrals

# After the core records, in dependency order; each returns a one-line summary.
SEEDERS: list[tuple[str, Callable[[], str]]] = [
    ("directory", seed_directory),
    ("referrals", seed_referrals),
    ("linkworkers", seed_casework),
    ("outcomes", seed_outcomes),
]


@transaction.atomic
def seed_all() -> SeedSummary:
    summary = seed_core()
    for name, seeder in SEEDERS:
        summary.extra.append(f"{name}: {seeder()}")
    return summary

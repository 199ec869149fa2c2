"""``python manage.py generate_synthetic --scale county --seed 42``: a deterministic
synthetic deployment for benchmarks and load tests (see docs/performance.md).

The demo app may import every app, so this command calls each app's generator in
dependency order: directory, the referral pathway, casework, outcome measures.
"""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from demo.synthetic.base import (
    SCALES,
    Synth,
    analyse,
    foreign_key_triggers_off,
    next_id,
    reset_sequences,
    verify_foreign_keys,
)
from demo.synthetic.directory import generate_directory
from demo.synthetic.linkworkers import generate_casework
from demo.synthetic.outcomes import generate_measures
from demo.synthetic.referrals import generate_pathway, generate_referrals, synthetic_email
from directory.models import listings_changed
from linkworkers.models import Case
from referrals.models import Referral
from socialrx.core.models import User

MARKER_EMAIL = synthetic_email("synthetic-data-marker")


def marker_text(scale: str, seed: int) -> str:
    return f"synthetic {scale} seed {seed}"


class Command(BaseCommand):
    help = "Fill the database with deterministic synthetic data (no real person in it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="tiny")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            default=None,
            help="The day the data ends (default today): fix it to reproduce a run exactly.",
        )
        parser.add_argument("--chunk-size", type=int, default=10_000)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run although DJANGO_DEBUG is false (a benchmark database, never live).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("generate_synthetic runs only with DJANGO_DEBUG=true or --force.")
        existing = User.objects.filter(email=MARKER_EMAIL).values_list("full_name", flat=True)
        if existing:
            raise CommandError(f"This database already holds {existing[0]}: use a fresh one.")
        day = options["as_of"] or timezone.localdate()
        as_of = datetime.datetime.combine(day, datetime.time(18), tzinfo=datetime.UTC)
        synth = Synth(SCALES[options["scale"]], options["seed"], as_of, options["chunk_size"])
        started = self.started = time.monotonic()
        with transaction.atomic():
            with foreign_key_triggers_off() as unchecked:
                self._generate(synth)
            if unchecked:
                verify_foreign_keys(synth.written)
                self._step(synth, "foreign keys verified", started)
            User.objects.create(
                email=MARKER_EMAIL,
                full_name=marker_text(synth.scale.name, synth.seed),
                password="!",
                is_active=False,
            )
        analyse(synth.written)
        self._step(synth, "planner statistics gathered")
        # COPY sends no signals: what the cache holds about the directory is out of date.
        listings_changed()
        seconds = time.monotonic() - started
        for label, count in synth.counts.items():
            self.stdout.write(f"  {label:<28} {count:>10,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Synthetic {synth.scale.name} data (seed {synth.seed}) in {seconds:.1f} s."
            )
        )

    def _generate(self, synth: Synth) -> None:
        directory = generate_directory(synth)
        self._step(synth, "directory")
        pathway = generate_pathway(synth)
        first_referral = next_id(Referral)
        generate_referrals(synth, pathway)
        referrals = range(first_referral, next_id(Referral))
        self._step(synth, "referrals")
        first_case = next_id(Case)
        generate_casework(synth, referrals, directory.service_ids)
        self._step(synth, "casework")
        generate_measures(synth, range(first_case, next_id(Case)), pathway.services)
        self._step(synth, "outcomes")
        reset_sequences(synth.written)
        self._step(synth, "sequences reset")

    def _step(self, synth: Synth, name: str, started: float | None = None) -> None:
        seconds = time.monotonic() - (started or self.started)
        self.stdout.write(f"{name}: {sum(synth.counts.values()):,} rows, {seconds:.1f} s")

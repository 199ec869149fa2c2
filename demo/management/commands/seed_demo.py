"""Builds the fictional county of Northshire for demonstrations and local work."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.seeds import seed_all
from demo.seeds.core import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Create Northshire demo organisations and one user per role. Safe to run twice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DJANGO_DEBUG is false (never on a live service).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates accounts with a published password, so it runs only with "
                "DJANGO_DEBUG=true. Use --force if this really is a demonstration site."
            )
        summary = seed_all()
        self.stdout.write(self.style.SUCCESS(f"Northshire demo data ready ({summary})."))
        for line in summary.extra:
            self.stdout.write(f"  {line}")
        self.stdout.write(f"Demo logins, all with the password {DEMO_PASSWORD!r}:")
        for email, description in summary.logins:
            self.stdout.write(f"  {email:<32} {description}")

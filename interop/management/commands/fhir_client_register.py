"""Connect a GP system for a practice: prints the OAuth client id and secret once."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from interop.services import system_client_register
from referrals.permissions import practice_by_ods_code


class Command(BaseCommand):
    help = "Register a GP system (OAuth 2.0 client credentials) acting for one practice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ods_code", help="The practice's ODS code")
        parser.add_argument("name", help="The system, e.g. 'EMIS Web'")

    def handle(self, *args: Any, **options: Any) -> None:
        practice = practice_by_ods_code(options["ods_code"])
        if practice is None:
            raise CommandError(f"No active GP practice has ODS code {options['ods_code']}")
        credentials = system_client_register(name=options["name"], practice=practice)
        self.stdout.write(f"client_id: {credentials.client_id}")
        self.stdout.write(f"client_secret: {credentials.client_secret}")
        self.stdout.write(
            "Give both to the supplier now: the secret is not stored and cannot be shown again."
        )

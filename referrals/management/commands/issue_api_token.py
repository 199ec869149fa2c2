"""Print an API token for a user: how a GP system or VCSE system is connected.

Tokens are revoked by deleting them in the admin (Auth Token > Tokens).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rest_framework.authtoken.models import Token

from socialrx.core.models import User


class Command(BaseCommand):
    help = "Print the API token for the user with this email, creating it if needed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument(
            "--rotate", action="store_true", help="Replace any existing token with a new one."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"].strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with email {options['email']}")
        if options["rotate"]:
            Token.objects.filter(user=user).delete()
        token, _ = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)

"""Print a new API token for a user: how a GP system or VCSE system is connected.

Only the token's digest is stored, so the printed token is the only copy: hand it to
whoever configures the system. Users list and revoke their own tokens at
/accounts/api-tokens/; administrators revoke any in the admin (API tokens).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from socialrx.core.api_tokens.models import RevocationReason
from socialrx.core.api_tokens.services import api_token_issue, api_tokens_revoke_for_user
from socialrx.core.models import User


class Command(BaseCommand):
    help = "Print a new API token for the user with this email (shown once, stored hashed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="Issued by an administrator", help="Its label.")
        parser.add_argument(
            "--rotate", action="store_true", help="Revoke the user's other tokens first."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"].strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with email {options['email']}")
        if options["rotate"]:
            api_tokens_revoke_for_user(user=user, reason=RevocationReason.REPLACED)
        issued = api_token_issue(
            user=user, name=options["name"], actor=None, reason="issue_api_token command"
        )
        self.stdout.write(issued.secret)

"""How a token's state reads on the list page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from socialrx.core.api_tokens.models import ApiToken


@dataclass(frozen=True)
class TokenRow:
    token: ApiToken
    status: str
    tag_colour: str  # an NHS.UK tag modifier
    can_revoke: bool


def token_row(token: ApiToken, now: datetime) -> TokenRow:
    if token.is_revoked:
        return TokenRow(token, token.get_revoked_reason_display(), "grey", False)
    if token.is_expired(now):
        return TokenRow(token, "Expired", "grey", False)
    if token.predates_password_change():
        return TokenRow(token, "Revoked when the password changed", "grey", False)
    return TokenRow(token, "Active", "green", True)

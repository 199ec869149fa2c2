"""Who may see which tokens: their owner only (administrators use the Django admin)."""

from __future__ import annotations

from socialrx.core.api_tokens.models import ApiToken, ApiTokenQuerySet
from socialrx.core.models import User


def api_tokens_for(user: User) -> ApiTokenQuerySet:
    return ApiToken.objects.filter(user=user)

"""API tokens in the Django admin: system administrators see everyone's and revoke them.

Tokens are not added here: the secret must reach the person who will use it, so owners
create their own (or the ``issue_api_token`` command prints one).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest

from socialrx.core.api_tokens.models import ApiToken, ApiTokenQuerySet, RevocationReason
from socialrx.core.api_tokens.services import api_token_revoke
from socialrx.core.models import User


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "user",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
        "revoked_reason",
    )
    list_filter = ("revoked_reason", ("expires_at", admin.DateFieldListFilter))
    search_fields = ("user__email", "name", "prefix")
    list_select_related = ("user",)
    exclude = ("digest",)
    readonly_fields = (*list_display, "revoked_by")
    actions = ("revoke",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a revoked token stays listed, with who revoked it and why

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("core.change_apitoken")

    @admin.action(description="Revoke selected API tokens", permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: ApiTokenQuerySet) -> None:
        actor: User = request.user  # type: ignore[assignment]
        revoked = sum(
            api_token_revoke(
                token=token, reason=RevocationReason.ADMINISTRATOR, actor=actor, request=request
            )
            for token in queryset.unrevoked()
        )
        self.message_user(request, f"{revoked} token(s) revoked.", messages.SUCCESS)

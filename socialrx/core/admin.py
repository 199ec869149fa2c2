from collections.abc import Callable
from typing import Any

from allauth.account.decorators import secure_admin_login
from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from socialrx.core.account_setup import set_password_link_send
from socialrx.core.api_tokens import admin as api_tokens_admin  # noqa: F401 (registers it)
from socialrx.core.api_tokens.models import RevocationReason
from socialrx.core.api_tokens.services import api_tokens_revoke_for_user
from socialrx.core.forms import AdminPasswordChangeForm, AdminUserAddForm
from socialrx.core.models import AuditEvent, Membership, Notification, Organisation, Role, User
from socialrx.core.signin import mfa_reset, sessions_end, signin_unlock

# The admin has no sign-in of its own: its sign-in page sends people to the site's, with
# the same throttling and second factor (ADR 0024).
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
# Second factors are reset through the audited user action below, never deleted row by row.
if admin.site.is_registered(Authenticator):
    admin.site.unregister(Authenticator)


def _is_system_admin(request: HttpRequest) -> bool:
    return request.user.is_superuser or request.user.has_role(Role.SYSTEM_ADMIN)  # type: ignore[union-attr]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("organisation",)
    fields = ("organisation", "role", "profession", "target_caseload", "is_active")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "full_name", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "is_staff", "memberships__role")
    search_fields = ("email", "full_name")
    inlines = (MembershipInline,)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name",)}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    # No password typed by the administrator (ASVS V6.4.1): the new account's owner is
    # emailed a link to choose one (socialrx.core.account_setup).
    add_form = AdminUserAddForm
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name"),
                "description": "We will email this person a link to choose their password. "
                "The link works once and expires after a few hours; if it expires, select "
                'them in the list and use "Send a set-password link".',
            },
        ),
    )
    filter_horizontal = ("groups",)
    change_password_form = AdminPasswordChangeForm

    def save_model(self, request: HttpRequest, obj: User, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            set_password_link_send(request=request, user=obj, actor=request.user)  # type: ignore[arg-type]
        if change and "is_active" in form.changed_data and not obj.is_active:
            api_tokens_revoke_for_user(
                user=obj,
                reason=RevocationReason.DEACTIVATED,
                actor=request.user,  # type: ignore[arg-type]
                request=request,
            )

    actions = (
        "send_set_password_link",
        "reset_second_factors",
        "unlock_sign_in",
        "sign_out_everywhere",
    )

    def _for_each_user(
        self, request: HttpRequest, queryset: QuerySet[User], act: Callable[..., int | None]
    ) -> list[int | None] | None:
        """Run a sign-in remedy for each selected user, as the acting system administrator
        (each remedy writes its own audit entry)."""
        if not _is_system_admin(request):
            self.message_user(request, "Only a system administrator can do this.", messages.ERROR)
            return None
        actor: User = request.user  # type: ignore[assignment]
        return [act(request=request, user=user, actor=actor) for user in queryset]

    @admin.action(description="Send a set-password link")
    def send_set_password_link(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        active = queryset.filter(is_active=True)
        sent = self._for_each_user(request, active, set_password_link_send)
        if sent is None:
            return
        skipped = queryset.count() - len(sent)
        message = f"Set-password link sent to {len(sent)} user(s)."
        if skipped:
            message += f" Not sent to {skipped} inactive user(s): make them active first."
        self.message_user(request, message)

    @admin.action(description="Reset second factors (they must set up a new one)")
    def reset_second_factors(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        if (done := self._for_each_user(request, queryset, mfa_reset)) is not None:
            self.message_user(
                request,
                f"Second factors reset for {len(done)} user(s). They have been signed out and "
                "their password no longer works: each has been emailed a link to choose a new "
                "one, and will set up a new second factor when they next sign in.",
            )

    @admin.action(description="Unlock sign-in (after too many attempts)")
    def unlock_sign_in(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        if (done := self._for_each_user(request, queryset, signin_unlock)) is not None:
            self.message_user(request, f"Sign-in unlocked for {len(done)} user(s).")

    @admin.action(description="Sign out everywhere")
    def sign_out_everywhere(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        if (ended := self._for_each_user(request, queryset, sessions_end)) is not None:
            self.message_user(request, f"{sum(n or 0 for n in ended)} session(s) ended.")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "org_type", "ods_code", "parent", "is_active")
    list_filter = ("org_type", "is_active")
    search_fields = ("name", "ods_code")
    autocomplete_fields = ("parent",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "target_caseload", "is_active")
    list_filter = ("role", "is_active", "organisation__org_type")
    search_fields = ("user__email", "user__full_name", "organisation__name")
    autocomplete_fields = ("user", "organisation")
    list_select_related = ("user", "organisation")


class ReadOnlyAdmin(admin.ModelAdmin):
    """The record stays as written: no adding, changing or deleting here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = (
        "occurred_at",
        "actor",
        "system_reason",
        "action",
        "object_type",
        "object_id",
        "ip_address",
    )
    list_filter = ("action", "object_type", ("occurred_at", admin.DateFieldListFilter))
    search_fields = ("actor__email", "object_type", "object_id", "request_id", "ip_address", "path")
    date_hierarchy = "occurred_at"
    list_select_related = ("actor",)
    show_full_result_count = False  # counting millions of rows on every page is slow


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "kind",
        "channel",
        "language",
        "recipient",
        "status",
        "attempts",
        "claimed_at",
        "sent_at",
        "delivery_status",
        "delivery_status_at",
    )
    list_filter = ("status", "delivery_status", "channel", "kind")
    search_fields = ("recipient__email", "kind", "provider_reference")
    # The message's words and fields (a person's name, a letter's address) until sent.
    exclude = ("body_text", "body_html", "personalisation")
    list_select_related = ("recipient",)

import datetime
from collections.abc import Callable
from typing import Any, cast

from allauth.account.decorators import secure_admin_login
from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db import connections, router
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode

from socialrx.core.account_setup import set_password_link_send
from socialrx.core.admin_inlines import LabelledTabularInline
from socialrx.core.api_tokens import admin as api_tokens_admin  # noqa: F401 (registers it)
from socialrx.core.api_tokens.models import RevocationReason
from socialrx.core.api_tokens.services import api_tokens_revoke_for_user
from socialrx.core.forms import AdminPasswordChangeForm, AdminUserAddForm
from socialrx.core.models import (
    AuditEvent,
    AuditEventQuerySet,
    Membership,
    Notification,
    Organisation,
    Role,
    User,
)
from socialrx.core.paginators import EstimatingPaginator
from socialrx.core.signin import mfa_reset, sessions_end, signin_unlock

# The admin has no sign-in of its own: its sign-in page sends people to the site's, with
# the same throttling and second factor (ADR 0024).
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
# Second factors are reset through the audited user action below, never deleted row by row.
if admin.site.is_registered(Authenticator):
    admin.site.unregister(Authenticator)


# Django's two-list chooser names its filter boxes by aria-label on a plain span (axe:
# aria-prohibited-attr): a labelled multiple select instead, as for a user's groups.
admin.site.unregister(Group)


@admin.register(Group)
class LabelledGroupAdmin(GroupAdmin):
    filter_horizontal = ()


def _is_system_admin(request: HttpRequest) -> bool:
    return request.user.is_superuser or request.user.has_role(Role.SYSTEM_ADMIN)  # type: ignore[union-attr]


class MembershipInline(LabelledTabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("organisation",)
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
    # Set by sign-in, not by hand; and Django's split date and time inputs have no labels
    # of their own (axe: "form elements must have labels").
    readonly_fields = ("last_login", "date_joined")
    # No filter_horizontal for groups: its help icons put aria-label on a plain span
    # (axe: aria-prohibited-attr); a labelled multiple select instead.
    filter_horizontal = ()
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
    raw_id_fields = ("parent",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "target_caseload", "is_active")
    list_filter = ("role", "is_active", "organisation__org_type")
    search_fields = ("user__email", "user__full_name", "organisation__name")
    raw_id_fields = ("user", "organisation")
    list_select_related = ("user", "organisation")


class ReadOnlyAdmin(admin.ModelAdmin):
    """The record stays as written: no adding, changing or deleting here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def audited_object_types(request: HttpRequest) -> list[str]:
    """The record types with audit entries, read once a request (the record type filter
    and the search both need them)."""
    types: list[str] | None = getattr(request, "_audited_object_types", None)
    if types is None:
        types = _audited_object_types()
        request._audited_object_types = types  # type: ignore[attr-defined]
    return types


def _audited_object_types() -> list[str]:
    """The record types with audit entries, one index probe per type: the recursive
    query steps through the ``(object_type, object_id, occurred_at)`` index from each
    type to the next, where ``SELECT DISTINCT`` (Django's own filter) reads every entry."""
    connection = connections[router.db_for_read(AuditEvent)]
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH RECURSIVE types(object_type) AS (
                SELECT min(object_type) FROM {table}
                UNION ALL
                SELECT (SELECT min(object_type) FROM {table} WHERE object_type > types.object_type)
                FROM types WHERE types.object_type IS NOT NULL
            )
            SELECT object_type FROM types WHERE object_type IS NOT NULL AND object_type <> ''"""
        )
        return [row[0] for row in cursor.fetchall()]


class RecordTypeFilter(admin.SimpleListFilter):
    title = "record type"
    parameter_name = "object_type"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(object_type, object_type) for object_type in audited_object_types(request)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(object_type=self.value()) if self.value() else queryset


#: Years offered besides the last twelve months: the years retention keeps (ADR 0023).
PERIOD_YEARS = 8


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def period_bounds(period: str) -> tuple[datetime.datetime, datetime.datetime]:
    """A month ("2026-03") or a year ("2025") as the range of moments in it, local time."""
    year, _, month = period.partition("-")
    start = datetime.date(int(year), int(month or 1), 1)
    if month:
        end = (start + datetime.timedelta(days=31)).replace(day=1)
    else:
        end = start.replace(year=start.year + 1)
    return _local_midnight(start), _local_midnight(end)


class PeriodFilter(admin.SimpleListFilter):
    """Months and years from the calendar, each an index range on ``occurred_at``: the
    admin's date hierarchy lists the dates that hold entries, a ``SELECT DISTINCT`` over
    every entry of the year (or of all years) on each page."""

    title = "month or year"
    parameter_name = "period"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        today = timezone.localdate()
        month = today.replace(day=1)
        choices = []
        for _ in range(12):
            choices.append((month.strftime("%Y-%m"), month.strftime("%B %Y")))
            month = (month - datetime.timedelta(days=1)).replace(day=1)
        years = [str(today.year - n) for n in range(1, PERIOD_YEARS + 1)]
        return choices + [(year, year) for year in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if not self.value():
            return queryset
        try:
            start, end = period_bounds(str(self.value()))
        except ValueError as error:  # a hand-made address: the admin says it is invalid
            raise IncorrectLookupParameters(error) from error
        return queryset.filter(occurred_at__gte=start, occurred_at__lt=end)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = (
        "occurred_at",
        "who",
        "system_reason",
        "action",
        "record",
        "ip_address",
    )
    list_filter = (
        "action",
        RecordTypeFilter,
        ("occurred_at", admin.DateFieldListFilter),
        PeriodFilter,
    )
    # What the search matches is ``AuditEventQuerySet.matching``'s (ADR 0042); the fields
    # named here only make the admin show the search box.
    search_fields = ("actor__email", "object_type", "object_id", "request_id", "ip_address")
    search_help_text = (
        "Part of a person's email address, or exactly a record type (referrals.referral), "
        "a record's id, a request id or an IP address."
    )
    list_select_related = ("actor",)
    # Only the order an index keeps: sorting by another column sorts every entry.
    sortable_by = ("occurred_at",)
    # Neither the whole table's count nor the filtered list's is read: on PostgreSQL the
    # paginator estimates above 10,000 entries, and the page says "about" (ADR 0038).
    show_full_result_count = False
    paginator = EstimatingPaginator
    # Each choice's count ("Show counts") would be a count over every entry.
    show_facets = admin.ShowFacets.NEVER

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        if not search_term.strip():
            return queryset, False
        entries = cast(AuditEventQuerySet, queryset)
        return entries.matching(search_term, audited_object_types(request)), False

    @admin.display(description="Who (links to all their entries)")
    def who(self, event: AuditEvent) -> str:
        if event.actor is None:
            return ""
        return format_html(
            '<a href="?{}">{}</a>', urlencode({"actor__id__exact": event.actor.pk}), event.actor
        )

    @admin.display(description="Record (links to all its entries)")
    def record(self, event: AuditEvent) -> str:
        if not event.object_type:
            return ""
        query = {"object_type": event.object_type, "object_id": event.object_id}
        label = f"{event.object_type} {event.object_id}".strip()
        return format_html('<a href="?{}">{}</a>', urlencode(query), label)


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

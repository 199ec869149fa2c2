"""Admin for support staff: identifiers and statuses, never case notes in lists."""

from django.contrib import admin

from linkworkers.models import (
    Assessment,
    Case,
    CaseStatusEvent,
    Connection,
    ConnectionEvent,
    Contact,
    DigestSent,
    MessageBack,
    SupportPlan,
    UnmetNeed,
)
from socialrx.core.admin_audit import PersonalDataAdmin
from socialrx.core.admin_inlines import LabelledTabularInline


class ReadOnlyInline(LabelledTabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CaseEventInline(ReadOnlyInline):
    model = CaseStatusEvent
    fields = ("occurred_at", "kind", "from_status", "to_status", "actor")
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(PersonalDataAdmin):
    person_path = "referral.person_id"
    list_display = ("id", "referral", "team", "link_worker", "status", "opened_at")
    list_filter = ("status",)
    list_select_related = ("referral", "team", "link_worker")
    raw_id_fields = ("referral", "team", "link_worker")
    search_fields = ("=id", "=referral__id")
    inlines = [CaseEventInline]


@admin.register(Contact)
class ContactAdmin(PersonalDataAdmin):
    person_path = "case.referral.person_id"
    list_select_related = ("case__referral",)
    list_display = ("id", "case", "occurred_at", "mode", "successful")
    raw_id_fields = ("case", "recorded_by")
    exclude = ("note",)


@admin.register(Assessment)
class AssessmentAdmin(PersonalDataAdmin):
    person_path = "case.referral.person_id"
    list_select_related = ("case__referral",)
    list_display = ("id", "case", "assessed_on")
    raw_id_fields = ("case", "assessed_by")
    exclude = ("what_matters", "goals")


@admin.register(SupportPlan)
class SupportPlanAdmin(PersonalDataAdmin):
    person_path = "case.referral.person_id"
    list_select_related = ("case__referral",)
    list_display = ("id", "case", "agreed_on")
    raw_id_fields = ("case", "created_by")


class ConnectionEventInline(ReadOnlyInline):
    model = ConnectionEvent
    fields = ("occurred_at", "from_status", "to_status", "decline_reason", "actor")
    readonly_fields = fields


@admin.register(Connection)
class ConnectionAdmin(PersonalDataAdmin):
    person_path = "case.referral.person_id"
    list_display = ("id", "case", "service", "status", "domain", "status_changed_at")
    list_filter = ("status", "domain")
    list_select_related = ("service", "case__referral")
    raw_id_fields = ("case", "service", "created_by")
    inlines = [ConnectionEventInline]


@admin.register(UnmetNeed)
class UnmetNeedAdmin(PersonalDataAdmin):
    person_path = "case.referral.person_id"
    list_select_related = ("case__referral",)
    list_display = ("id", "domain", "postcode_district", "recorded_on")
    list_filter = ("domain",)
    raw_id_fields = ("case", "service", "recorded_by")


@admin.register(MessageBack)
class MessageBackAdmin(PersonalDataAdmin):
    person_path = "case.referral.person_id"
    list_select_related = ("case__referral",)
    list_display = ("id", "case", "closure_outcome", "created_at")
    raw_id_fields = ("case", "written_by")
    fields = ("case", "closure_outcome", "snomed_codes", "written_by", "created_at")
    readonly_fields = fields


admin.site.register(DigestSent)

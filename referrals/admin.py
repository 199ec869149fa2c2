from django.contrib import admin

from referrals.models import (
    Person,
    PersonKeptApart,
    Referral,
    ReferralAlert,
    ReferralReason,
    ReferralStatusEvent,
    TriageRoute,
)
from socialrx.core.admin_audit import PersonalDataAdmin
from socialrx.core.admin_inlines import LabelledTabularInline


@admin.register(TriageRoute)
class TriageRouteAdmin(admin.ModelAdmin):
    list_display = ("practice", "service", "default_team")
    list_select_related = ("practice", "service", "default_team")
    raw_id_fields = ("practice", "service", "default_team")


@admin.register(Person)
class PersonAdmin(PersonalDataAdmin):
    # Identifiers only in lists: the admin is for support, not casework.
    list_display = ("id", "registered_practice", "merged_into", "created_at")
    raw_id_fields = ("registered_practice", "merged_into")
    search_fields = ("=nhs_number", "=id")


class ReasonInline(LabelledTabularInline):
    model = ReferralReason
    extra = 0


class EventInline(LabelledTabularInline):
    model = ReferralStatusEvent
    extra = 0
    can_delete = False
    fields = ("occurred_at", "kind", "from_status", "to_status", "actor", "note", "snomed_code")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        # Events are written by the referral services only.
        return False


@admin.register(Referral)
class ReferralAdmin(PersonalDataAdmin):
    list_display = ("reference", "source", "status", "triage_service", "created_at")
    list_filter = ("status", "source", "urgency")
    list_select_related = ("triage_service",)
    raw_id_fields = (
        "person",
        "referrer",
        "referring_organisation",
        "triage_service",
        "assigned_team",
        "assigned_link_worker",
    )
    readonly_fields = ("status", "uuid", "idempotency_key", "request_fingerprint")
    inlines = (ReasonInline, EventInline)


@admin.register(PersonKeptApart)
class PersonKeptApartAdmin(PersonalDataAdmin):
    person_path = "first_id"


@admin.register(ReferralAlert)
class ReferralAlertAdmin(PersonalDataAdmin):
    person_path = "referral.person_id"
    list_select_related = ("referral",)

from django.contrib import admin

# Messages to practices hold personal data: read in the audited practice inbox, not here.
from interop.models import PracticeIntegration, SystemClient


@admin.register(PracticeIntegration)
class PracticeIntegrationAdmin(admin.ModelAdmin):
    """Where a system administrator sets a practice's shared mailbox and launch secret."""

    list_display = ("practice", "shared_mailbox", "launch_enabled")
    search_fields = ("practice__name", "practice__ods_code")
    raw_id_fields = ("practice",)

    @admin.display(boolean=True, description="Launch from GP record")
    def launch_enabled(self, obj: PracticeIntegration) -> bool:
        return bool(obj.launch_secret)


@admin.register(SystemClient)
class SystemClientAdmin(admin.ModelAdmin):
    """Read-only: clients are made with ``manage.py fhir_client_register`` (which shows the
    secret once)."""

    list_display = ("application", "organisation", "created_at")
    readonly_fields = ("application", "organisation", "service_user")

    def has_add_permission(self, request: object) -> bool:
        return False

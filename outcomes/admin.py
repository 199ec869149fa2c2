from django.contrib import admin

from outcomes.models import (
    Measure,
    MeasureItem,
    MeasureLicence,
    OutcomeTariff,
    PracticePopulation,
    ReportFile,
    ReportSubscription,
)
from socialrx.core.admin_inlines import LabelledTabularInline


class MeasureItemInline(LabelledTabularInline):
    model = MeasureItem
    extra = 0


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    """An organisation adds its own item-based measure here (owner set to it)."""

    list_display = ("short_name", "name", "owner", "scoring", "requires_licence", "is_active")
    list_filter = ("scoring", "requires_licence", "is_active")
    inlines = [MeasureItemInline]


@admin.register(MeasureLicence)
class MeasureLicenceAdmin(admin.ModelAdmin):
    list_display = ("measure", "organisation", "licence_reference", "registered_on", "is_active")
    list_filter = ("measure", "is_active")
    raw_id_fields = ("organisation",)


@admin.register(ReportSubscription)
class ReportSubscriptionAdmin(admin.ModelAdmin):
    """The schedule itself is the linked periodic task (Periodic tasks, in the admin)."""

    list_display = ("user", "report", "frequency", "fmt", "periodic_task", "is_active")
    list_filter = ("report", "frequency", "is_active")
    raw_id_fields = ("user", "periodic_task")


@admin.register(ReportFile)
class ReportFileAdmin(admin.ModelAdmin):
    list_display = ("report", "fmt", "owner", "period_start", "status", "created_at")
    list_filter = ("report", "status")
    exclude = ("content",)
    readonly_fields = ("owner", "report", "fmt", "params", "subscription", "period_start")


@admin.register(OutcomeTariff)
class OutcomeTariffAdmin(admin.ModelAdmin):
    list_display = ("name", "commissioner", "outcome", "price", "cap", "valid_from", "valid_to")


@admin.register(PracticePopulation)
class PracticePopulationAdmin(admin.ModelAdmin):
    list_display = ("practice", "dimension", "group", "people", "as_of")
    list_filter = ("dimension",)

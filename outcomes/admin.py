from django.contrib import admin

from outcomes.models import Measure, MeasureItem, MeasureLicence


class MeasureItemInline(admin.TabularInline):
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
    autocomplete_fields = ("organisation",)

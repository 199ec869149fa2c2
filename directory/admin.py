from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from directory import models
from directory.taxonomy import term_choices_forget
from socialrx.core.admin_inlines import LabelledTabularInline


class ServiceAttributeInline(LabelledTabularInline):
    model = models.ServiceAttribute
    extra = 0


class ServiceCapacityInline(admin.StackedInline):
    model = models.ServiceCapacity
    extra = 0


class ServiceAtLocationInline(LabelledTabularInline):
    model = models.ServiceAtLocation
    extra = 0


@admin.register(models.Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "status", "assured_date", "last_modified")
    list_filter = ("status", "cost", "referral_routes")
    search_fields = ("name", "description", "organization__name")
    list_select_related = ("organization",)
    inlines = [ServiceCapacityInline, ServiceAttributeInline, ServiceAtLocationInline]


@admin.register(models.DirectoryOrganisation)
class DirectoryOrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "approval_status", "organisation")
    list_filter = ("approval_status",)
    search_fields = ("name",)


@admin.register(models.Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "location_type", "latitude", "longitude")
    search_fields = ("name",)


@admin.register(models.TaxonomyTerm)
class TaxonomyTermAdmin(admin.ModelAdmin):
    list_display = ("name", "taxonomy", "term")
    list_filter = ("taxonomy",)
    search_fields = ("name", "term")

    # The search page's term menus are cached (directory.taxonomy.term_choices).
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        term_choices_forget()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        term_choices_forget()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        super().delete_queryset(request, queryset)
        term_choices_forget()


@admin.register(models.ServiceChange)
class ServiceChangeAdmin(admin.ModelAdmin):
    list_display = ("service", "kind", "actor", "occurred_at")
    list_filter = ("kind",)
    # The history is immutable.
    readonly_fields = ("service", "kind", "actor", "occurred_at", "changes")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


admin.site.register(models.Taxonomy)
admin.site.register(models.PostcodeCentroid, search_fields=("postcode",))

"""The Django admin on personal data: read-only, and every look audited (ADR 0021).

Records about people change only through the apps' services, which check the transition,
write the status event and audit the change; the admin would bypass all three. So admin
pages for personal data show records and never change, add or delete them, and each list,
search and record they show writes audit entries through the one audit service, findable
in the access reports like any page's.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest, HttpResponse

from socialrx.core.audit import audit_list, audit_record, audit_views, person_type
from socialrx.core.models import AuditAction


class PersonalDataAdmin(admin.ModelAdmin):
    """Read-only, audited admin for a model holding personal data.

    ``person_path`` names the attribute chain from a row to its person's id
    (``"person_id"``, ``"referral.person_id"``); empty on the person model itself.
    """

    person_path = "person_id"
    actions = None  # no bulk delete or other export of many records at once

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def person_of(self, obj: models.Model) -> int:
        if self.model._meta.label_lower == person_type():
            return int(obj.pk)
        value: Any = obj
        for part in self.person_path.split("."):
            value = getattr(value, part)
        return int(value)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            # Every row shown, each under its own and its person's id; a search says so.
            searched = bool(changelist.query)
            shown = audit_list(
                request=request,
                listing="admin search" if searched else "admin",
                records=changelist.result_list,
                person_of=self.person_of,
            )
            if searched and not shown:
                # A search that found no one is still a look for someone.
                audit_record(
                    actor=request.user,  # type: ignore[arg-type]
                    action=AuditAction.VIEW,
                    object_type=self.model._meta.label_lower,
                    request=request,
                    detail={"listing": "admin search", "results": 0},
                )
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = getattr(response, "context_data", {}).get("original")
        if obj is not None and response.status_code == 200:
            people = [] if obj._meta.label_lower == person_type() else [self.person_of(obj)]
            audit_views(request=request, objs=[obj], person_ids=people)
        return response

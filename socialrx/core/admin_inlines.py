"""Admin inlines whose every input has an accessible name.

Django's tabular inline names its columns in the table's header, which assistive
technology does not tie to the inputs below it (axe: "form elements must have labels",
"select element must have an accessible name"; WCAG 1.3.1, 4.1.2). Each field of each
row, the delete box included, is labelled with its column's name.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest


class LabelledTabularInline(admin.TabularInline):
    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)

        class Labelled(formset):  # type: ignore[misc,valid-type]
            def add_fields(self, form: forms.Form, index: int | None) -> None:
                super().add_fields(form, index)
                for name, field in form.fields.items():
                    label = str(field.label or name.replace("_", " ").capitalize())
                    field.widget.attrs.setdefault("aria-label", label)

        return Labelled

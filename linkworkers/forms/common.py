from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(
    form: forms.Form, error: ValidationError, field_for: dict[str, str] | None = None
) -> None:
    """Show a service's ValidationError on the form: by field where it names one the form
    has (``field_for`` maps service names to form names), otherwise at the top."""
    field_for = field_for or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        target = field_for.get(name, name)
        form.add_error(target if target in form.fields else None, errors)

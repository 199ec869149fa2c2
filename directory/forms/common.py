"""Pieces the directory's forms share. Markup comes from the shared ``nhsuk`` crispy
pack: forms carry a ``FormHelper`` and pages render them with ``{% crispy form %}``."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db import models

from directory.models import TaxonomyTerm

# Languages offered in the form; imported feeds may hold others.
LANGUAGES = [
    ("en", "English"),
    ("bfi", "British Sign Language"),
    ("cy", "Welsh"),
    ("pl", "Polish"),
    ("ro", "Romanian"),
    ("pa", "Punjabi"),
    ("ur", "Urdu"),
    ("bn", "Bengali"),
    ("gu", "Gujarati"),
    ("ar", "Arabic"),
    ("so", "Somali"),
    ("pt", "Portuguese"),
    ("lt", "Lithuanian"),
    ("zh", "Chinese"),
]
LANGUAGE_NAMES = dict(LANGUAGES)

# A number box wide enough for an age or a weekly count, not a sentence.
SHORT_NUMBER = {"class": "nhsuk-input--width-4"}


def submit_helper(label: str) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


def formfield(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    # Web addresses typed without a scheme are https (Django 6's default).
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


def terms_of(taxonomy_code: str) -> models.QuerySet[TaxonomyTerm]:
    return (
        TaxonomyTerm.objects.filter(taxonomy__code=taxonomy_code)
        .select_related("taxonomy")
        .order_by("name")
    )


def set_queryset(field: forms.Field, queryset: models.QuerySet[Any]) -> None:
    """Choices that need the database are set per form, not at import time."""
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{field!r} has no queryset")
    field.queryset = queryset

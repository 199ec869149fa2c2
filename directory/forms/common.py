"""Pieces the directory's forms share. Markup comes from the shared ``nhsuk`` crispy
pack: forms carry a ``FormHelper`` and pages render them with ``{% crispy form %}``."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db import models
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString

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


def _attrs(attrs: dict[str, Any]) -> SafeString:
    # As Django's widgets/attrs.html: False leaves an attribute out, True writes it bare.
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class QuickSelect(forms.Select):
    """A select whose options are written in Python: the template Django includes for
    each option made the search page's menus cost more than its database queries."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        options = []
        for group_name, group, _ in widget["optgroups"]:
            items = "".join(map(_option, group))
            options.append(
                format_html('<optgroup label="{}">{}</optgroup>', group_name, SafeString(items))
                if group_name
                else items
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            _attrs(widget["attrs"]),
            SafeString("".join(options)),
        )


class QuickInput(forms.widgets.Input):
    """An input written in Python, as QuickSelect: Django's input template includes
    another for the attributes, two template renders for one tag."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
        return format_html(
            '<input type="{}" name="{}"{}{}>', widget["type"], name, shown, _attrs(widget["attrs"])
        )


class QuickTextInput(QuickInput, forms.TextInput):
    pass


class QuickCheckboxInput(QuickInput, forms.CheckboxInput):
    pass


_SELECTED = {"selected": True}


def _option(option: dict[str, Any]) -> str:
    # Plain concatenation with the escaping format_html does: a menu has dozens of
    # options, and format_html's own work per option was a tenth of the search page's
    # (issue 17). An option's attributes are nothing or "selected" but for custom widgets.
    attrs = option["attrs"]
    extra = " selected" if attrs == _SELECTED else (_attrs(attrs) if attrs else "")
    value, label = conditional_escape(option["value"]), conditional_escape(option["label"])
    return f'<option value="{value}"{extra}>{label}</option>'

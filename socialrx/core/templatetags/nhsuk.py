"""Template helpers for the NHS.UK design system: the ``nhsuk`` crispy pack and includes.

The pack's templates hold the markup, copied from NHS.UK frontend 10's Nunjucks
components; this module works out what a template cannot easily say itself: which
component a Django widget becomes, the ids that tie hints and errors to controls, and
the attributes Django must render on a control.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms, template
from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.core.paginator import Page
from django.db.models import BLANK_CHOICE_DASH
from django.forms.boundfield import BoundField
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeData, SafeString

from socialrx.core.widgets import DATE_PARTS, DateParts, NHSDateInput

register = template.Library()

# The class every kind of control carries, and the one it gains when it has an error.
_CONTROL_CLASSES = {
    "input": ("nhsuk-input", "nhsuk-input--error"),
    "password": (
        "nhsuk-input nhsuk-password-input__input nhsuk-js-password-input-input",
        "nhsuk-input--error",
    ),
    "textarea": ("nhsuk-textarea", "nhsuk-textarea--error"),
    "select": ("nhsuk-select", "nhsuk-select--error"),
    "file": ("nhsuk-file-upload__input", ""),
    "checkbox": ("nhsuk-checkboxes__input", ""),
}
# Classes set on a RadioSelect or CheckboxSelectMultiple widget that style the group
# (nhsuk-radios--inline, nhsuk-checkboxes--small) rather than each input.
_GROUP_MODIFIERS = ("nhsuk-radios--", "nhsuk-checkboxes--")


# Widget classes and the component (template in nhsuk/fields/) each becomes; subclasses
# before their parents (CheckboxSelectMultiple is a RadioSelect). Anything else is "input".
_KINDS: list[tuple[type[forms.Widget], str]] = [
    (NHSDateInput, "date"),
    (forms.CheckboxSelectMultiple, "checkboxes"),
    (forms.RadioSelect, "radios"),
    (forms.CheckboxInput, "checkbox"),
    (forms.Select, "select"),
    (forms.Textarea, "textarea"),
    (forms.FileInput, "file"),
    (forms.PasswordInput, "password"),
    (forms.MultiWidget, "group"),
    (forms.SelectDateWidget, "group"),
]


@register.filter
def nhsuk_kind(field: BoundField) -> str:
    """Which NHS.UK component a form field is shown as, naming its template."""
    widget = field.field.widget
    if widget.is_hidden:
        return "hidden"
    return next((kind for cls, kind in _KINDS if isinstance(widget, cls)), "input")


@register.filter
def nhsuk_id(field: BoundField) -> str:
    """The base for the ids of a field's hint and error message."""
    return field.auto_id or field.html_name


@register.filter
def nhsuk_anchor(field: BoundField) -> str:
    """The id of the control an error summary link should move focus to.

    Grouped controls link to their first input (the label-less Django ids end in
    ``_0``); a date with a part missing links to the first missing part.
    """
    widget = field.field.widget
    if not field.auto_id:
        return field.html_name
    if isinstance(widget, NHSDateInput):
        value = field.data if field.form.is_bound else None
        missing = value.missing if isinstance(value, DateParts) else []
        names = [name for name, *_ in DATE_PARTS]
        return f"{field.auto_id}_{names.index(missing[0]) if missing else 0}"
    if isinstance(widget, forms.RadioSelect):
        choices = nhsuk_choices(field)
        return choices[0].id if choices else field.auto_id
    if isinstance(widget, forms.MultiWidget):
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id


def _shows_errors(context: template.Context, field: BoundField) -> bool:
    return bool(field.errors) and context.get("form_show_errors", True) is not False


@register.simple_tag(takes_context=True)
def nhsuk_described_by(context: template.Context, field: BoundField, *first: str) -> str:
    """The ids a control or fieldset is described by: ``first``, then hint, then error."""
    ids = [i for i in first if i]
    if field.help_text:
        ids.append(f"{nhsuk_id(field)}-hint")
    if _shows_errors(context, field):
        ids.append(f"{nhsuk_id(field)}-error")
    return " ".join(ids)


def _character_limit(field: BoundField) -> int | None:
    """A textarea's maximum length, which the NHS.UK character count shows as it is typed."""
    if not isinstance(field.field.widget, forms.Textarea):
        return None
    return getattr(field.field, "max_length", None)


@register.filter
def nhsuk_character_limit(field: BoundField) -> int | None:
    return _character_limit(field)


@register.simple_tag(takes_context=True)
def nhsuk_control(context: template.Context, field: BoundField) -> SafeString:
    """The field's own control (input, textarea, select...) with NHS.UK classes and ARIA."""
    kind = nhsuk_kind(field)
    widget = field.field.widget
    if kind not in _CONTROL_CLASSES:
        return SafeString(field.as_widget())
    base, error = _CONTROL_CLASSES[kind]
    classes = [base, widget.attrs.get("class", "")]
    if _shows_errors(context, field):
        classes.append(error)
    attrs: dict[str, Any] = {"class": " ".join(c for c in classes if c)}
    first: list[str] = []
    if kind == "password":
        attrs.update(spellcheck="false", autocapitalize="none")
    if _character_limit(field):
        attrs["class"] += " nhsuk-js-character-count"
        # The count lets people type past the limit and then edit; maxlength would
        # silently cut off pasted text instead.
        attrs["maxlength"] = False
        first.append(f"{nhsuk_id(field)}-info")
    described_by = nhsuk_described_by(
        context, field, *first, widget.attrs.get("aria-describedby", "")
    )
    if described_by:
        attrs["aria-describedby"] = described_by
    return SafeString(field.as_widget(attrs=attrs))


@dataclass(frozen=True)
class Choice:
    id: str
    name: str
    value: str
    label: str
    classes: str
    attrs: SafeString


@register.filter
def nhsuk_choices(field: BoundField) -> list[Choice]:
    """The inputs of a RadioSelect or CheckboxSelectMultiple, one per choice."""
    item_classes = " ".join(
        c
        for c in field.field.widget.attrs.get("class", "").split()
        if not c.startswith(_GROUP_MODIFIERS)
    )
    choices = []
    for subwidget in field.subwidgets:
        data = subwidget.data
        if data["value"] in ("", None) and data["label"] == BLANK_CHOICE_DASH[0][1]:
            continue  # a select's "---------" placeholder means nothing as a radio
        extra = {k: v for k, v in data["attrs"].items() if k not in ("id", "class")}
        choices.append(
            Choice(
                id=data["attrs"].get("id", ""),
                name=data["name"],
                value="" if data["value"] is None else str(data["value"]),
                label=str(data["label"]),
                classes=item_classes,
                attrs=SafeString(flatatt(extra)),
            )
        )
    return choices


@register.filter
def nhsuk_group_modifiers(field: BoundField) -> str:
    """Classes set on a choice widget that style the group, such as ``nhsuk-radios--inline``."""
    classes = field.field.widget.attrs.get("class", "").split()
    return " ".join(c for c in classes if c.startswith(_GROUP_MODIFIERS))


@register.filter
def nhsuk_attrs(attrs: dict[str, Any]) -> SafeString:
    """HTML attributes from a dict, as Django's widgets write them (True bare, False left out)."""
    return SafeString(flatatt({k: v for k, v in attrs.items() if v is not False}))


@register.filter
def nhsuk_legend_class(label_class: str | None) -> str:
    """A legend's size class matching a label size class (nhsuk-label--m gives --m)."""
    return " ".join(
        c.replace("nhsuk-label--", "nhsuk-fieldset__legend--")
        for c in (label_class or "").split()
        if c.startswith("nhsuk-label--")
    )


@dataclass(frozen=True)
class ErrorItem:
    href: str
    text: str


@register.simple_tag
def nhsuk_error_items(form: forms.BaseForm) -> list[ErrorItem]:
    """The NHS.UK error summary's entries for a form, each linking to its control.

    Errors not tied to a visible field (non-field errors, and errors of hidden fields)
    link to the first visible field, so following them still lands in the form.
    """
    if not form.is_bound or not form.errors:
        return []
    visible = form.visible_fields()
    first = f"#{nhsuk_anchor(visible[0])}" if visible else ""
    items = [ErrorItem(first, str(error)) for error in form.non_field_errors()]
    for field in form.hidden_fields():
        items.extend(ErrorItem(first, f"{field.label}: {error}") for error in field.errors)
    for field in visible:
        items.extend(ErrorItem(f"#{nhsuk_anchor(field)}", str(e)) for e in field.errors)
    return items


@register.simple_tag
def nhsuk_formset_error_items(formset: forms.BaseFormSet) -> list[ErrorItem]:
    """One error summary for a whole formset: its own errors, then each form's."""
    if not formset.is_bound:
        return []
    forms_with_fields = [f for f in formset.forms if f.visible_fields()]
    first = (
        f"#{nhsuk_anchor(forms_with_fields[0].visible_fields()[0])}" if forms_with_fields else ""
    )
    items = [ErrorItem(first, str(error)) for error in formset.non_form_errors()]
    for form in formset.forms:
        items.extend(nhsuk_error_items(form))
    return items


@register.filter
def nhsuk_button_classes(layout_input: Any) -> str:
    """NHS.UK button classes for a crispy ``Submit``, ``Button`` or ``Reset``.

    Crispy gives every input Bootstrap's ``btn`` classes; they are dropped, and
    whatever ``css_class`` the form set (``nhsuk-button--secondary``) is kept.
    """
    given = [
        c
        for c in str(getattr(layout_input, "field_classes", "")).split()
        if not c.startswith("btn")
    ]
    variant = any(c.startswith("nhsuk-button--") and c != "nhsuk-button--small" for c in given)
    classes = ["nhsuk-button"]
    if getattr(layout_input, "input_type", "submit") != "submit" and not variant:
        classes.append("nhsuk-button--secondary")
    return " ".join(classes + given)


@register.filter
def nhsuk_strict_button_attrs(flat_attrs: str) -> SafeString:
    """crispy's StrictButton attributes with its leading Bootstrap ``btn`` class made NHS.UK."""
    return SafeString(
        re.sub(r'class="btn(?=[ "])', 'class="nhsuk-button', str(flat_attrs), count=1)
    )


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None is the gap shown as an ellipsis
    current: bool = False


@register.filter
def nhsuk_page_links(page: Page, around: int = 2) -> list[PageLink]:
    """Page numbers for NHS.UK numbered pagination: first, last, and ``around`` either side."""
    last = page.paginator.num_pages
    keep = {1, last, *range(page.number - around, page.number + around + 1)}
    links: list[PageLink] = []
    for number in sorted(n for n in keep if 1 <= n <= last):
        if links and links[-1].number is not None and number - links[-1].number > 1:
            links.append(PageLink(None))
        links.append(PageLink(number, current=number == page.number))
    return links


@register.simple_tag(takes_context=True)
def nhsuk_page_url(context: template.Context, number: int, param: str = "page") -> str:
    """The current URL's query string with only the page number changed."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is None:
        return f"?{param}={number}"
    query[param] = str(number)
    return f"?{query.urlencode()}"


_PREVIOUS_ARROW = SafeString(
    '<svg class="nhsuk-icon nhsuk-icon--arrow-left" xmlns="http://www.w3.org/2000/svg" '
    'viewBox="0 0 24 24" width="16" height="16" focusable="false" aria-hidden="true">'
    '<path d="M10.7 6.3c.4.4.4 1 0 1.4L7.4 11H19a1 1 0 0 1 0 2H7.4l3.3 3.3c.4.4.4 1 0 1.4a1 '
    '1 0 0 1-1.4 0l-5-5A1 1 0 0 1 4 12c0-.3.1-.5.3-.7l5-5a1 1 0 0 1 1.4 0Z"/></svg>'
)
_NEXT_ARROW = SafeString(
    '<svg class="nhsuk-icon nhsuk-icon--arrow-right" xmlns="http://www.w3.org/2000/svg" '
    'viewBox="0 0 24 24" width="16" height="16" focusable="false" aria-hidden="true">'
    '<path d="m14.7 6.3 5 5c.2.2.3.4.3.7 0 .3-.1.5-.3.7l-5 5a1 1 0 0 1-1.4-1.4l3.3-3.3H5a1 '
    '1 0 0 1 0-2h11.6l-3.3-3.3a1 1 0 1 1 1.4-1.4Z"/></svg>'
)


@register.simple_tag(takes_context=True)
def nhsuk_pagination(context: template.Context, page: Page, param: str = "") -> SafeString:
    """NHS.UK numbered pagination for ``page``, its links keeping the rest of the query
    string; nothing when there is one page. Written in Python: as a template, with a tag
    per link, it cost a list page more than its cards (issue 15)."""
    if not page.has_other_pages():
        return SafeString("")
    param = param or "page"

    def url(number: int) -> str:
        return nhsuk_page_url(context, number, param)

    parts = ['<nav class="nhsuk-pagination nhsuk-pagination--numbered" role="navigation" '
             'aria-label="Pagination">']  # fmt: skip
    if page.has_previous():
        parts.append(
            format_html(
                '<a href="{}" class="nhsuk-pagination__previous" rel="prev">{}'
                '<span class="nhsuk-pagination__title">Previous'
                '<span class="nhsuk-u-visually-hidden"> page</span></span></a>',
                url(page.previous_page_number()),
                _PREVIOUS_ARROW,
            )
        )
    parts.append('<ul class="nhsuk-pagination__list">')
    for link in nhsuk_page_links(page):
        if link.number is None:
            parts.append(
                '<li class="nhsuk-pagination__item nhsuk-pagination__item--ellipsis">&ctdot;</li>'
            )
            continue
        current = " nhsuk-pagination__item--current" if link.current else ""
        parts.append(
            format_html(
                '<li class="nhsuk-pagination__item{}"><a class="nhsuk-pagination__link" '
                'href="{}" aria-label="Page {}"{}>{}</a></li>',
                current,
                url(link.number),
                link.number,
                SafeString(' aria-current="page"') if link.current else "",
                link.number,
            )
        )
    parts.append("</ul>")
    if page.has_next():
        parts.append(
            format_html(
                '<a href="{}" class="nhsuk-pagination__next" rel="next">'
                '<span class="nhsuk-pagination__title">Next'
                '<span class="nhsuk-u-visually-hidden"> page</span></span>{}</a>',
                url(page.next_page_number()),
                _NEXT_ARROW,
            )
        )
    parts.append("</nav>")
    return SafeString("".join(parts))


@dataclass(frozen=True)
class Banner:
    title: str
    success: bool
    messages: list[Message]


@register.filter
def nhsuk_banners(messages: Iterable[Message]) -> list[Banner]:
    """Django messages grouped into at most two notification banners: success first."""
    success = [m for m in messages if m.level == constants.SUCCESS]
    other = [m for m in messages if m.level != constants.SUCCESS]
    banners = [Banner("Success", True, success), Banner("Important", False, other)]
    return [banner for banner in banners if banner.messages]


@register.simple_tag
def nhsuk_service_name() -> str:
    """The service's name, for pages rendered without context processors (500, CSRF)."""
    return str(settings.SERVICE_NAME)


@register.simple_tag
def nhsuk_tag(text: object, colour: str = "") -> SafeString:
    """An NHS.UK tag, such as a referral's status: ``{% nhsuk_tag text colour %}``.

    ``colour`` is one of NHS.UK's tag colours (grey, green, aqua-green, blue, purple,
    pink, red, orange, yellow, white), or empty for the default blue; a presenter
    decides it. A tag rather than an include: lists show one per row, and an include
    costs several times as much to render.
    """
    return tag_html(text, colour)


_TAGS: dict[tuple[str, str, bool], SafeString] = {}


def tag_html(text: object, colour: str = "") -> SafeString:
    """``nhsuk_tag``'s HTML for a presenter, made once per text and colour: a list shows
    one or two on every row, from a handful of labels."""
    words = str(text)
    key = (words, colour, isinstance(text, SafeData))
    html = _TAGS.get(key)
    if html is None:
        css = f"nhsuk-tag nhsuk-tag--{colour}" if colour else "nhsuk-tag"
        html = format_html('<strong class="{}">{}</strong>', css, text)
        if len(_TAGS) < 1000:  # a bound, should a caller pass free text
            _TAGS[key] = html
    return html

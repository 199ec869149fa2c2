"""Pieces the directory's forms share."""

import re

from django import forms

from directory.forms.common import QuickCheckboxInput, QuickSelect, QuickTextInput

CHOICES = [("", "Any"), ("a", "Arts & crafts"), ("Walks", [("w1", "Short"), ("w2", "Long")])]


def _tags(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


def test_quick_select_writes_what_djangos_select_template_writes():
    attrs = {"id": "id_category", "class": "nhsuk-select", "aria-describedby": "hint"}
    for value in ("", "a", "w2", None):
        ours = QuickSelect(choices=CHOICES).render("category", value, attrs=attrs)
        django = forms.Select(choices=CHOICES).render("category", value, attrs=attrs)
        assert _tags(ours) == _tags(django)


def test_quick_select_leaves_out_false_attributes_and_writes_true_ones_bare():
    html = QuickSelect(choices=[("x", "X")]).render(
        "f", "x", attrs={"id": "id_f", "disabled": True, "required": False}
    )
    assert html.startswith('<select name="f" id="id_f" disabled>')
    assert '<option value="x" selected>X</option>' in html


def test_quick_text_input_writes_what_djangos_input_template_writes():
    attrs = {"id": "id_q", "class": "nhsuk-input", "maxlength": 200, "required": True}
    for value in (None, "", "walks", '<b>"tea" & cake</b>', 7):
        ours = QuickTextInput().render("q", value, attrs=attrs)
        django = forms.TextInput().render("q", value, attrs=attrs)
        assert ours == django.strip()


def test_quick_checkbox_writes_what_djangos_checkbox_template_writes():
    attrs = {"id": "id_accepting", "class": "nhsuk-checkboxes__input"}
    for value in (None, False, True, "on", ""):
        ours = QuickCheckboxInput().render("accepting", value, attrs=attrs)
        django = forms.CheckboxInput().render("accepting", value, attrs=attrs)
        assert ours == django.strip()
    assert " checked" in QuickCheckboxInput().render("accepting", True, attrs=attrs)

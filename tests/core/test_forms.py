"""Putting a service's error onto the form that called it: the one helper every view uses."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from socialrx.core.forms import add_service_errors


class ContactForm(forms.Form):
    occurred_on = forms.DateField()
    note = forms.CharField(required=False)


def bound() -> ContactForm:
    form = ContactForm({"occurred_on": datetime.date(2026, 12, 1).isoformat()})
    assert form.is_valid()
    return form


def test_an_error_naming_a_field_the_form_has_is_shown_at_that_field():
    form = bound()
    add_service_errors(form, ValidationError({"note": "Say what was agreed"}))
    assert form.errors == {"note": ["Say what was agreed"]}


def test_a_service_name_is_mapped_to_the_form_field_that_asked_for_it():
    form = bound()
    error = ValidationError({"occurred_at": "A contact cannot be in the future"})
    add_service_errors(form, error, {"occurred_at": "occurred_on"})
    assert form.errors == {"occurred_on": ["A contact cannot be in the future"]}


def test_an_error_for_a_field_the_form_lacks_or_for_no_field_goes_on_top():
    form = bound()
    add_service_errors(form, ValidationError({"status": "This case is closed"}))
    add_service_errors(form, ValidationError("Someone else answered first"))
    assert form.non_field_errors() == ["This case is closed", "Someone else answered first"]
    assert not form.is_valid()

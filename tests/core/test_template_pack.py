"""The ``nhsuk`` crispy template pack: the markup people and assistive technology rely on.

Each test renders a form the way pages do (``{% crispy form %}``) and reads the HTML back
as a small tree, so assertions are about elements and their attributes, not whitespace.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from crispy_forms.bootstrap import InlineRadios, PrependedText
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Button, Field, Fieldset, Layout, Submit
from django import forms
from django.template import Context, Template

from socialrx.core.widgets import NHSDateField, NHSDateInput
from tests.helpers.html import Node, parse

CSRF_TOKEN = "t" * 64


def render(form: forms.BaseForm) -> Node:
    context = Context({"form": form, "csrf_token": CSRF_TOKEN})
    return parse(Template("{% load crispy_forms_tags %}{% crispy form %}").render(context))


def label_for(page: Node, control: Node) -> Node:
    return page.one("label", **{"for": control.attrs["id"]})


# The sample form: every widget the pack supports.

CONTACT_CHOICES = [("phone", "Phone"), ("email", "Email"), ("letter", "Letter")]
NEED_CHOICES = [("loneliness", "Loneliness"), ("debt", "Debt"), ("housing", "Housing")]


class SampleForm(forms.Form):
    full_name = forms.CharField(
        label="Full name",
        help_text="As it appears on their GP record",
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-20"}),
    )
    email = forms.EmailField(label="Email address", required=False)
    age = forms.IntegerField(label="Age")
    phone = forms.CharField(label="Phone number", widget=forms.TextInput(attrs={"type": "tel"}))
    website = forms.URLField(label="Website", required=False, assume_scheme="https")
    nhs_number = forms.CharField(label="NHS number")
    secret = forms.CharField(label="Password", widget=forms.PasswordInput)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, max_length=500, required=False)
    contact = forms.ChoiceField(
        label="How should we contact them?",
        choices=CONTACT_CHOICES,
        widget=forms.RadioSelect,
        help_text="Choose one",
    )
    needs = forms.MultipleChoiceField(
        label="What do they need help with?",
        choices=NEED_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(label="They agree to be referred", help_text="Ask them first")
    newsletter = forms.BooleanField(label="Send them our newsletter", required=False)
    team = forms.ChoiceField(label="Team", choices=[("", "Choose a team"), ("north", "North")])
    date_of_birth = NHSDateField(label="Date of birth", help_text="For example, 15 3 1984")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *[name for name in self.fields if name != "nhs_number"],
            Field("nhs_number", css_class="nhsuk-input--width-10"),
        )
        self.helper.add_input(Submit("submit", "Continue"))
        self.helper.add_input(Button("cancel", "Cancel"))

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if cleaned and cleaned.get("contact") == "email" and not cleaned.get("email"):
            raise forms.ValidationError("Give an email address to contact them by email")
        return cleaned


VALID_DATA = {
    "full_name": "Ada Lovelace",
    "email": "",
    "age": "36",
    "phone": "07700900000",
    "website": "",
    "nhs_number": "9999999999",
    "secret": "correct horse",
    "notes": "",
    "contact": "phone",
    "needs": ["debt"],
    "consent": "on",
    "team": "north",
    "date_of_birth_day": "10",
    "date_of_birth_month": "12",
    "date_of_birth_year": "1815",
}


def controls(page: Node) -> list[Node]:
    """Every control a person fills in or chooses (not hidden inputs or buttons)."""
    inputs = [i for i in page.find_all("input") if i.attrs.get("type") != "hidden"]
    return inputs + page.find_all("select") + page.find_all("textarea")


# Unbound: the form as first shown.


def test_every_control_has_a_label_for_its_id():
    page = render(SampleForm())

    found = controls(page)

    # 7 text-like inputs, a textarea, a select, 3 radios, 3 + 2 checkboxes, 3 date boxes.
    assert len(found) == 20
    for control in found:
        assert control.attrs.get("id"), control
        assert label_for(page, control).text


def test_grouped_controls_sit_in_a_fieldset_whose_legend_asks_the_question():
    page = render(SampleForm())

    for name, question in [
        ("contact", "How should we contact them?"),
        ("needs", "What do they need help with?"),
        ("date_of_birth_day", "Date of birth"),
    ]:
        first = page.find_all("input", name=name)[0]
        fieldset = first.ancestor("fieldset", "nhsuk-fieldset")
        assert fieldset.one("legend", "nhsuk-fieldset__legend").text == question


def test_only_optional_questions_are_marked():
    page = render(SampleForm())

    assert label_for(page, page.by_id("id_email")).text == "Email address (optional)"
    assert label_for(page, page.by_id("id_notes")).text == "Notes (optional)"
    assert label_for(page, page.by_id("id_full_name")).text == "Full name"
    legends = [legend.text for legend in page.find_all("legend")]
    assert "What do they need help with?" in legends
    # A single checkbox is a statement; leaving it unticked is an answer, not a skip.
    assert label_for(page, page.by_id("id_newsletter")).text == "Send them our newsletter"
    assert "(optional)" not in page.by_id("id_full_name").ancestor(cls="nhsuk-form-group").text


class FilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False)
    area = forms.ChoiceField(label="Area", required=False, choices=[("", "Any"), ("n", "North")])
    note = forms.CharField(label="Note (optional)", required=False)

    def __init__(self, *args: Any, mark_optional: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        if not mark_optional:
            self.helper.mark_optional = False


def test_filter_forms_can_leave_optional_unsaid():
    page = render(FilterForm(mark_optional=False))
    assert label_for(page, page.by_id("id_q")).text == "Search"
    assert label_for(page, page.by_id("id_area")).text == "Area"


def test_a_label_that_already_says_optional_is_not_marked_twice():
    page = render(FilterForm())
    assert label_for(page, page.by_id("id_note")).text == "Note (optional)"
    assert label_for(page, page.by_id("id_q")).text == "Search (optional)"


def test_hints_are_linked_to_their_controls():
    page = render(SampleForm())

    hint = page.by_id("id_full_name-hint")
    assert "nhsuk-hint" in hint.classes
    assert hint.text == "As it appears on their GP record"
    assert page.by_id("id_full_name").described_by() == ["id_full_name-hint"]
    # For grouped controls the fieldset carries the hint, so it is read once, not per option.
    contact_fieldset = page.by_id("id_contact_0").ancestor("fieldset")
    assert contact_fieldset.described_by() == ["id_contact-hint"]
    assert page.by_id("id_contact-hint").text == "Choose one"
    assert page.by_id("id_date_of_birth_0").ancestor("fieldset").described_by() == [
        "id_date_of_birth-hint"
    ]
    assert page.by_id("id_consent").described_by() == ["id_consent-hint"]
    assert "nhsuk-checkboxes__hint" in page.by_id("id_consent-hint").classes
    # No hint, no dangling reference.
    assert "aria-describedby" not in page.by_id("id_age").attrs


def test_each_widget_gets_its_nhs_component_markup():
    page = render(SampleForm())

    for element_id, input_type in [
        ("id_full_name", "text"),
        ("id_email", "email"),
        ("id_age", "number"),
        ("id_phone", "tel"),
        ("id_website", "url"),
        ("id_secret", "password"),
    ]:
        control = page.by_id(element_id)
        assert control.attrs["type"] == input_type
        assert "nhsuk-input" in control.classes
        assert "nhsuk-form-group" in control.ancestor(cls="nhsuk-form-group").classes
    assert "nhsuk-textarea" in page.by_id("id_notes").classes
    assert "nhsuk-select" in page.by_id("id_team").classes
    assert page.by_id("id_contact_0").ancestor(cls="nhsuk-radios").attrs["data-module"] == (
        "nhsuk-radios"
    )
    assert [i.attrs["value"] for i in page.find_all("input", "nhsuk-radios__input")] == [
        "phone",
        "email",
        "letter",
    ]
    assert len(page.find_all("input", "nhsuk-checkboxes__input", name="needs")) == 3
    assert "nhsuk-checkboxes__input" in page.by_id("id_consent").classes
    # The password input's Show button controls the password box.
    toggle = page.one("button", "nhsuk-password-input__toggle")
    assert toggle.attrs["aria-controls"] == "id_secret"
    assert toggle.attrs["type"] == "button"


def test_width_classes_come_from_widget_attrs_or_a_crispy_field():
    page = render(SampleForm())

    assert {"nhsuk-input", "nhsuk-input--width-20"} <= page.by_id("id_full_name").classes
    assert {"nhsuk-input", "nhsuk-input--width-10"} <= page.by_id("id_nhs_number").classes
    assert "nhsuk-input--width-20" not in page.by_id("id_age").classes


def test_a_textarea_with_a_maximum_length_counts_characters():
    page = render(SampleForm())

    textarea = page.by_id("id_notes")
    group = textarea.ancestor(cls="nhsuk-character-count")
    assert group.attrs["data-module"] == "nhsuk-character-count"
    assert group.attrs["data-maxlength"] == "500"
    assert "id_notes-info" in textarea.described_by()
    assert page.by_id("id_notes-info").text == "You can enter up to 500 characters"
    # maxlength would cut off pasted text silently; the count lets people edit instead.
    assert "maxlength" not in textarea.attrs


def test_the_date_input_has_three_labelled_boxes_of_nhs_widths():
    page = render(SampleForm())

    boxes = page.one(cls="nhsuk-date-input").find_all("input")

    assert [b.attrs["name"] for b in boxes] == [
        "date_of_birth_day",
        "date_of_birth_month",
        "date_of_birth_year",
    ]
    assert [label_for(page, b).text for b in boxes] == ["Day", "Month", "Year"]
    assert ["nhsuk-input--width-2" in b.classes for b in boxes] == [True, True, False]
    assert "nhsuk-input--width-4" in boxes[2].classes
    assert all(b.attrs["inputmode"] == "numeric" and b.attrs["type"] == "text" for b in boxes)


def test_buttons_are_nhs_buttons():
    page = render(SampleForm())

    submit = page.one("button", name="submit")
    assert submit.classes == {"nhsuk-button"}
    assert submit.attrs["type"] == "submit"
    assert submit.attrs["value"] == "Continue"
    assert submit.text == "Continue"
    cancel = page.one("button", name="cancel")
    assert cancel.classes == {"nhsuk-button", "nhsuk-button--secondary"}
    assert cancel.attrs["type"] == "button"
    assert not any(c.startswith("btn") for b in page.find_all("button") for c in b.classes)


def test_an_unbound_form_shows_no_errors():
    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(
        Context({"form": SampleForm(), "csrf_token": CSRF_TOKEN})
    )

    assert "error" not in html.replace('data-module="nhsuk-error-summary"', "")
    assert "aria-invalid" not in html


def test_the_form_disables_browser_validation_for_the_services_own_messages():
    form = render(SampleForm()).one("form")

    assert form.attrs["method"] == "post"
    assert "novalidate" in form.attrs
    assert form.one("input", name="csrfmiddlewaretoken").attrs["value"] == CSRF_TOKEN


# Bound with errors: what someone sees after submitting a form with mistakes.


@pytest.fixture
def invalid_page() -> tuple[SampleForm, Node]:
    data = {
        **VALID_DATA,
        "full_name": "",
        "age": "old",
        "contact": "email",  # with no email address: a non-field error
        "needs": [],
        "team": "",
        "date_of_birth_month": "",
    }
    del data["consent"]  # an unticked checkbox is not sent at all
    form = SampleForm(data)
    assert not form.is_valid()
    return form, render(form)


def test_the_error_summary_lists_every_error_and_links_to_its_control(invalid_page):
    form, page = invalid_page

    summary = page.one(cls="nhsuk-error-summary")
    assert summary.attrs["data-module"] == "nhsuk-error-summary"
    alert = summary.one(role="alert")
    assert alert.one("h2", "nhsuk-error-summary__heading").text == "There is a problem"
    links = [(a.attrs["href"], a.text) for a in summary.find_all("a")]
    assert links == [
        ("#id_full_name", "Give an email address to contact them by email"),
        ("#id_full_name", "This field is required."),
        ("#id_age", "Enter a whole number."),
        ("#id_needs_0", "This field is required."),
        ("#id_consent", "This field is required."),
        ("#id_team", "This field is required."),
        # The date links to the box that is missing, not to the day.
        ("#id_date_of_birth_1", "Date must include a month"),
    ]
    for href, _ in links:
        assert page.by_id(href.removeprefix("#")).tag in ("input", "select", "textarea")


def test_the_error_summary_comes_before_the_first_question(invalid_page):
    _, page = invalid_page

    form_children = [n for n in page.one("form").walk()]
    summary = page.one(cls="nhsuk-error-summary")
    assert form_children.index(summary) < form_children.index(page.by_id("id_full_name"))


@pytest.mark.parametrize(
    ("control_id", "error_base", "error_class", "message"),
    [
        ("id_full_name", "id_full_name", "nhsuk-input--error", "This field is required."),
        ("id_age", "id_age", "nhsuk-input--error", "Enter a whole number."),
        ("id_team", "id_team", "nhsuk-select--error", "This field is required."),
        ("id_consent", "id_consent", None, "This field is required."),
    ],
)
def test_a_field_error_is_shown_and_linked_to_its_control(
    invalid_page, control_id, error_base, error_class, message
):
    _, page = invalid_page

    control = page.by_id(control_id)
    error = page.by_id(f"{error_base}-error")
    assert "nhsuk-error-message" in error.classes
    assert error.one("span", "nhsuk-u-visually-hidden").text == "Error:"
    assert error.text == f"Error: {message}"
    assert f"{error_base}-error" in control.described_by()
    assert control.described_by()[-1] == f"{error_base}-error"  # hint first, then error
    assert control.attrs["aria-invalid"] == "true"
    assert "nhsuk-form-group--error" in control.ancestor(cls="nhsuk-form-group").classes
    if error_class:
        assert error_class in control.classes


def test_a_grouped_control_error_describes_its_fieldset(invalid_page):
    _, page = invalid_page

    fieldset = page.by_id("id_needs_0").ancestor("fieldset")
    assert fieldset.described_by() == ["id_needs-error"]
    assert page.by_id("id_needs-error").text == "Error: This field is required."
    assert "nhsuk-form-group--error" in fieldset.ancestor(cls="nhsuk-form-group").classes


def test_fields_without_errors_are_not_marked(invalid_page):
    _, page = invalid_page

    phone = page.by_id("id_phone")
    assert "nhsuk-input--error" not in phone.classes
    assert "nhsuk-form-group--error" not in phone.ancestor(cls="nhsuk-form-group").classes
    assert "aria-invalid" not in phone.attrs


def test_what_was_typed_is_shown_again(invalid_page):
    _, page = invalid_page

    assert page.by_id("id_age").attrs["value"] == "old"
    assert page.by_id("id_phone").attrs["value"] == "07700900000"
    assert "checked" in page.by_id("id_contact_1").attrs
    assert page.by_id("id_date_of_birth_0").attrs["value"] == "10"
    assert "value" not in page.by_id("id_date_of_birth_1").attrs
    assert page.by_id("id_date_of_birth_2").attrs["value"] == "1815"
    assert "value" not in page.by_id("id_secret").attrs  # passwords are never sent back


def test_only_the_missing_part_of_a_date_is_marked(invalid_page):
    _, page = invalid_page

    day, month, year = (page.by_id(f"id_date_of_birth_{i}") for i in range(3))
    assert "nhsuk-input--error" in month.classes
    assert "nhsuk-input--error" not in day.classes | year.classes
    fieldset = month.ancestor("fieldset")
    assert fieldset.attrs["role"] == "group"
    assert fieldset.described_by() == ["id_date_of_birth-hint", "id_date_of_birth-error"]


def test_a_valid_submission_cleans_every_field():
    form = SampleForm(VALID_DATA)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == datetime.date(1815, 12, 10)
    assert form.cleaned_data["needs"] == ["debt"]
    assert form.cleaned_data["consent"] is True


# The date input on its own.


class DateForm(forms.Form):
    when = NHSDateField(label="When")
    optional = NHSDateField(label="Optional date", required=False)
    plain = forms.DateField(label="Plain", widget=NHSDateInput, required=False)


def date_data(name: str, day: str, month: str, year: str) -> dict[str, str]:
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        ("5", "3", "1984", datetime.date(1984, 3, 5)),
        ("05", "03", "1984", datetime.date(1984, 3, 5)),
        (" 29 ", "2", "2024", datetime.date(2024, 2, 29)),
    ],
)
def test_the_date_input_round_trips_to_a_date(day, month, year, expected):
    form = DateForm(date_data("when", day, month, year))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == expected
    assert form.cleaned_data["optional"] is None


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "marked"),
    [
        ("31", "2", "2023", "Date must be a real date", [0, 1, 2]),
        ("x", "2", "2023", "Date must be a real date", [0, 1, 2]),
        ("1", "13", "2023", "Date must be a real date", [0, 1, 2]),
        ("1", "2", "84", "Year must include 4 numbers", [0, 1, 2]),
        ("", "2", "2023", "Date must include a day", [0]),
        ("1", "", "", "Date must include a month and year", [1, 2]),
        ("", "", "", "This field is required.", [0, 1, 2]),
    ],
)
def test_an_invalid_date_says_what_is_wrong(day, month, year, message, marked):
    form = DateForm(date_data("when", day, month, year))

    assert not form.is_valid()
    assert form.errors["when"] == [message]
    page = render(form)
    assert page.by_id("id_when-error").text == f"Error: {message}"
    boxes = [page.by_id(f"id_when_{i}") for i in range(3)]
    assert [i for i, box in enumerate(boxes) if "nhsuk-input--error" in box.classes] == marked
    summary_link = page.one(cls="nhsuk-error-summary").one("a")
    assert summary_link.attrs["href"] == f"#id_when_{marked[0]}"


def test_a_saved_date_fills_the_boxes():
    page = render(DateForm(initial={"when": datetime.date(2001, 9, 4), "optional": "2010-01-31"}))

    assert [page.by_id(f"id_when_{i}").attrs["value"] for i in range(3)] == ["4", "9", "2001"]
    assert [page.by_id(f"id_optional_{i}").attrs["value"] for i in range(3)] == ["31", "1", "2010"]


def test_a_plain_date_field_works_with_the_date_input():
    valid = DateForm(
        {**date_data("when", "1", "1", "2000"), **date_data("plain", "7", "6", "2020")}
    )
    invalid = DateForm(
        {**date_data("when", "1", "1", "2000"), **date_data("plain", "7", "", "2020")}
    )

    assert valid.is_valid(), valid.errors
    assert valid.cleaned_data["plain"] == datetime.date(2020, 6, 7)
    assert not invalid.is_valid()
    assert invalid.errors["plain"] == ["Enter a valid date."]
    assert render(invalid).by_id("id_plain_0").attrs["value"] == "7"


def test_a_model_style_blank_choice_is_not_offered_as_a_radio():
    class BlankChoiceForm(forms.Form):
        # What a ModelForm makes of a required CharField with choices and no default.
        contact = forms.ChoiceField(
            label="Contact by",
            choices=[("", "---------"), *CONTACT_CHOICES],
            widget=forms.RadioSelect,
        )

    form = BlankChoiceForm({})
    assert not form.is_valid()
    page = render(form)

    radios = page.find_all("input", type="radio")
    assert [r.attrs["value"] for r in radios] == ["phone", "email", "letter"]
    link = page.one(cls="nhsuk-error-summary").one("a")
    assert link.attrs["href"] == f"#{radios[0].attrs['id']}"


# Layout objects and other ways in.


class LayoutForm(forms.Form):
    line_1 = forms.CharField(label="Address line 1")
    postcode = forms.CharField(label="Postcode")
    cost = forms.DecimalField(label="Cost")
    contact = forms.ChoiceField(
        label="Contact by", choices=CONTACT_CHOICES, widget=forms.RadioSelect
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                "What is their address?",
                "line_1",
                Field("postcode", css_class="nhsuk-input--width-10"),
            ),
            PrependedText("cost", "£"),
            InlineRadios("contact"),
            Submit("save", "Save draft", css_class="nhsuk-button--secondary"),
        )


def test_layout_objects_render_as_nhs_components():
    page = render(LayoutForm())

    fieldset = page.by_id("id_line_1").ancestor("fieldset")
    assert fieldset.one("legend").text == "What is their address?"
    assert "nhsuk-fieldset__legend--m" in fieldset.one("legend").classes
    assert fieldset.find_all(id="id_postcode")
    assert page.one(cls="nhsuk-input-wrapper__prefix").text == "£"
    wrapper = page.by_id("id_cost").parent
    assert wrapper is not None
    assert wrapper.classes == {"nhsuk-input-wrapper"}
    assert "nhsuk-radios--inline" in page.by_id("id_contact_0").ancestor(cls="nhsuk-radios").classes
    assert page.one("button", name="save").classes == {"nhsuk-button", "nhsuk-button--secondary"}


def test_the_crispy_filter_uses_the_pack_too():
    form = LayoutForm({"line_1": "", "postcode": "", "cost": "", "contact": ""})
    form.is_valid()
    html = Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(Context({"form": form}))
    page = parse(html)

    assert page.one(cls="nhsuk-error-summary")
    assert label_for(page, page.by_id("id_postcode")).text == "Postcode"
    assert page.by_id("id_postcode").described_by() == ["id_postcode-error"]


def test_a_formset_has_one_error_summary_for_all_its_forms():
    formset_class = forms.formset_factory(LayoutForm, extra=0)
    data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0"}
    for i in range(2):  # each form started (so it must be finished) but without a postcode
        data |= {f"form-{i}-line_1": "1 High Street", f"form-{i}-postcode": ""}
    formset = formset_class(data)
    assert not formset.is_valid()
    html = Template("{% load crispy_forms_tags %}{% crispy formset helper %}").render(
        Context({"formset": formset, "helper": FormHelper(), "csrf_token": CSRF_TOKEN})
    )
    page = parse(html)

    summary = page.one(cls="nhsuk-error-summary")
    hrefs = [a.attrs["href"] for a in summary.find_all("a")]
    assert "#id_form-0-postcode" in hrefs
    assert "#id_form-1-postcode" in hrefs
    assert page.by_id("id_form-1-postcode-error").text == "Error: This field is required."
    assert page.by_id("id_form-TOTAL_FORMS").attrs["type"] == "hidden"

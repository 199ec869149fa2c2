"""A list page's filter form rendered once per choice of filters (socialrx.core.filter_forms)."""

from __future__ import annotations

from django import forms
from django.http import QueryDict

from socialrx.core.filter_forms import RenderedFilters


class Filters(forms.Form):
    q = forms.CharField(required=False, max_length=10)
    status = forms.ChoiceField(required=False, choices=[("", "Any"), ("open", "Open")])
    overdue = forms.BooleanField(required=False)


class Counting:
    """A render function that says what it was given and how often it ran."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, form: forms.Form) -> str:
        self.calls += 1
        return f"<p>{form['status'].value()}|{form['q'].value()}|{self.calls}</p>"


def _form(query: str) -> Filters:
    return Filters(QueryDict(query))


def test_the_same_filters_are_rendered_once_and_reused():
    render = Counting()
    filters = RenderedFilters(render)

    first = filters(_form("status=open"))
    again = filters(_form("status=open"))

    assert first == again == "<p>open|None|1</p>"
    assert render.calls == 1


def test_other_filters_or_an_empty_query_render_their_own():
    render = Counting()
    filters = RenderedFilters(render)

    shown = [filters(_form(q)) for q in ("status=open", "", "status=open&overdue=on", "")]

    assert shown == [
        "<p>open|None|1</p>",
        "<p>None|None|2</p>",
        "<p>open|None|3</p>",
        "<p>None|None|2</p>",
    ]


def test_what_was_sent_is_the_key_not_what_it_cleaned_to():
    # Both are "overdue: yes", but a control shows what was sent.
    render = Counting()
    filters = RenderedFilters(render)

    filters(_form("overdue=on"))
    filters(_form("overdue=true"))

    assert render.calls == 2


def test_typed_search_text_is_never_kept():
    render = Counting()
    filters = RenderedFilters(render)

    first = filters(_form("q=Smith"))
    second = filters(_form("q=Smith"))

    assert (first, second) == ("<p>None|Smith|1</p>", "<p>None|Smith|2</p>")


def test_a_form_with_errors_is_rendered_afresh():
    render = Counting()
    filters = RenderedFilters(render)

    filters(_form("status=nonsense"))
    filters(_form("status=nonsense"))

    assert render.calls == 2


def test_the_store_is_bounded_and_keeps_the_most_recent():
    render = Counting()
    filters = RenderedFilters(render, size=2)

    for query in ("overdue=1", "overdue=2", "overdue=1", "overdue=3"):
        filters(_form(query))
    assert render.calls == 3  # the second "overdue=1" was kept
    filters(_form("overdue=1"))  # still kept: used more recently than "overdue=2"
    assert render.calls == 3
    filters(_form("overdue=2"))  # dropped when "overdue=3" came in
    assert render.calls == 4

"""A list page's filter form, rendered once per choice of filters and then reused.

A filter form is the same few controls on every request, and almost every request
shows it unfiltered or with one of a handful of choices made; rendering it through the
design system's field templates cost the caseload 12% of its instructions (issue 17,
docs/performance.md "Lists: triage queue and caseload"). So its HTML is kept, per
process, keyed by exactly what was submitted for its fields.

Not kept: a form with errors (rare, and its messages vary), and a form where a free-text
field holds something (a name or NHS number typed into a search: personal data stays in
no process beyond the request). The store is bounded, so odd query strings cannot grow it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.safestring import SafeString, mark_safe

Key = tuple[Hashable, ...]


class RenderedFilters:
    """``RenderedFilters(render)(form)``: ``render(form)``'s HTML, reused for the next
    request that submits the same values. ``render`` must depend on the form alone."""

    def __init__(self, render: Callable[[forms.Form], str], *, size: int = 64) -> None:
        self._render = render
        self._size = size
        self._kept: OrderedDict[Key, SafeString] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, form: forms.Form) -> SafeString:
        key = _key(form)
        if key is None:
            # Safe: ``render`` is a template render, which escaped what it had to.
            return mark_safe(self._render(form))
        with self._lock:
            html = self._kept.get(key)
            if html is not None:
                self._kept.move_to_end(key)
                return html
        html = mark_safe(self._render(form))
        with self._lock:
            self._kept[key] = html
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)
        return html

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


def _key(form: forms.Form) -> Key | None:
    """What the form's HTML depends on: the raw values submitted for its fields (a
    control shows what was sent, not what it cleaned to), or None when it must be
    rendered afresh."""
    if not isinstance(form.data, MultiValueDict) or (form.is_bound and not form.is_valid()):
        return None
    values: list[Hashable] = [type(form), form.is_bound]
    for name, field in form.fields.items():
        sent = tuple(form.data.getlist(name))
        if isinstance(field, forms.CharField) and any(sent):
            return None
        values.append(sent)
    return tuple(values)

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms

from linkworkers import codes

SORTS = {
    "due": "What needs doing first",
    "opened": "Longest open first",
    "name": "Name",
}


class CaseloadFilterForm(forms.Form):
    q = forms.CharField(label="Search by name or NHS number", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "All open cases"), *codes.CaseStatus.choices],
    )
    overdue = forms.BooleanField(label="Only cases with overdue work", required=False)
    sort = forms.ChoiceField(label="Sort by", required=False, choices=list(SORTS.items()))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        # The page's own <form> is a GET: a CSRF token in it would land in the query
        # string (and so in logs and Referer headers) on every filter.
        self.helper.form_method = "get"

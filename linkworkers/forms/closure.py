from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from referrals.codes import ClosureOutcome


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Why is the case closing?",
        choices=ClosureOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the case is closing"},
    )
    support_summary = forms.CharField(
        label="Support offered",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            "For the GP and referrer: what you did together. The goals of the support "
            "plan and the services the person was connected to are added for you. "
            "Private case notes are not shared."
        ),
    )

    override_reason = forms.CharField(
        label="If closing as unable to contact: why now? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "Needed only before the attempts rule is met (several attempts over several days, "
            "by different methods or at different times). Closures for a reason are reported."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("close", "Close the case and send the message back"))

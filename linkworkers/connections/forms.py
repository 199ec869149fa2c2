"""Forms for onward connections: finding a service, connecting, and the service's answer.

Markup comes from the shared ``nhsuk`` crispy pack; pages render ``{% crispy form %}``.
"""

from __future__ import annotations

import uuid
from typing import Any

from crispy_forms.helper import FormHelper
from django import forms

from directory.forms.common import LANGUAGES, submit_helper
from directory.taxonomy import AUDIENCE, term_choices
from linkworkers import codes
from linkworkers.connections.services.lifecycle import SERVICE_DECLINE_REASONS

MILES = (1, 3, 5, 10, 20)
CONSENT_LABEL = "The person agreed that the service may see their name and contact details"


class FindServiceForm(forms.Form):
    """The choosing screen's filters, pre-set from the case's assessment."""

    need = forms.ChoiceField(label="What the person needs help with", required=False)
    q = forms.CharField(label="Search by words", required=False, max_length=200)
    who_for = forms.TypedChoiceField(
        label="Who it is for", coerce=uuid.UUID, empty_value=None, required=False
    )
    language = forms.ChoiceField(
        label="Language spoken", choices=[("", "Any"), *LANGUAGES], required=False
    )
    within = forms.ChoiceField(
        label="Distance from the person's home",
        choices=[("", "Any distance"), *[(str(m), f"Within {m} miles") for m in MILES]],
        required=False,
    )
    accepting = forms.BooleanField(label="Only services accepting referrals now", required=False)
    eligible = forms.BooleanField(
        label="Only services the person may be eligible for",
        help_text="Leaves out services whose age range, area or who it is for rules them out.",
        required=False,
    )

    def __init__(self, *args: Any, needs: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = [*needs, ("", "Any need")]  # type: ignore[attr-defined]
        self.fields["who_for"].choices = [  # type: ignore[attr-defined]
            ("", "Anyone"),
            *term_choices(AUDIENCE),
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class ConnectForm(forms.Form):
    SEND = "send"
    SUGGEST = "suggest"

    domain = forms.ChoiceField(label="Which need is this for?", choices=codes.LifeDomain.choices)
    note = forms.CharField(
        label="What the person hopes for (optional)",
        help_text="The service will see this. Do not copy private case notes here.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent_to_share = forms.BooleanField(label=CONSENT_LABEL, required=False)
    send = forms.ChoiceField(
        label="What happens next",
        choices=[
            (SEND, "Send the referral to the service now"),
            (SUGGEST, "Save it as a suggestion to talk over with the person first"),
        ],
        initial=SEND,
        widget=forms.RadioSelect,
    )
    confirm_not_accepting = forms.BooleanField(
        label="I understand the service is not accepting referrals, and want to go ahead",
        help_text="It will also be recorded as demand the service could not meet.",
        required=False,
    )

    ineligible_reason = forms.CharField(
        label="Why connect them although they are not eligible?",
        help_text="Recorded with the connection and counted in reports.",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args: Any, accepting: bool, ineligible_reason_needed: str = "", **kwargs: Any
    ) -> None:
        """``ineligible_reason_needed``: for a person who does not meet the service's
        criteria, the error to show if no reason is given; without it the field goes."""
        super().__init__(*args, **kwargs)
        if accepting:
            del self.fields["confirm_not_accepting"]
        if ineligible_reason_needed:
            self.fields["ineligible_reason"].error_messages["required"] = ineligible_reason_needed
        else:
            del self.fields["ineligible_reason"]
        self.helper = submit_helper("Connect")

    @property
    def send_now(self) -> bool:
        return self.cleaned_data["send"] == self.SEND


class ReferForm(forms.Form):
    """Send a suggestion (or an unanswered connection) to the service."""

    consent_to_share = forms.BooleanField(label=CONSENT_LABEL, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ServiceDeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why can the connection not go ahead?",
        choices=[
            (reason, codes.ConnectionDeclineReason(reason).label)
            for reason in SERVICE_DECLINE_REASONS
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Anything the link worker should know (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = submit_helper("Decline")


class UnmetNeedForm(forms.Form):
    domain = forms.ChoiceField(label="Need", choices=codes.LifeDomain.choices)
    description = forms.CharField(
        label="What was needed",
        help_text="The kind of support, not the person's story: this feeds commissioning.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = submit_helper("Record unmet need")

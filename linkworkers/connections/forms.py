"""Forms for onward connections: finding a service, connecting, and the service's answer.

Markup comes from the shared ``nhsuk`` crispy pack; pages render ``{% crispy form %}``.
"""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms

from directory.forms.common import submit_helper
from linkworkers import codes
from linkworkers.connections.services.lifecycle import SERVICE_DECLINE_REASONS

CONSENT_LABEL = "The person agreed that the service may see their name and contact details"


class FindServiceForm(forms.Form):
    """The choosing screen's filters, pre-set from the case's assessment."""

    need = forms.ChoiceField(label="What the person needs help with", required=False)
    q = forms.CharField(label="Search by words", required=False, max_length=200)
    accepting = forms.BooleanField(label="Only services accepting referrals now", required=False)

    def __init__(self, *args: Any, needs: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = [*needs, ("", "Any need")]  # type: ignore[attr-defined]
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

    def __init__(self, *args: Any, accepting: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if accepting:
            del self.fields["confirm_not_accepting"]
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

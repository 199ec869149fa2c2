"""Triage forms: filtering the queue, assigning, declining, redirecting, asking."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Count, Q

from referrals import codes
from referrals.forms.intake import _blank
from socialrx.core.models import Organisation, OrganisationType, User


class QueueFilterForm(forms.Form):
    urgency = forms.ChoiceField(
        label="Urgency", choices=_blank(codes.Urgency.choices, "Any"), required=False
    )
    reason = forms.ChoiceField(
        label="Reason", choices=_blank(codes.Reason.choices, "Any"), required=False
    )
    source = forms.ChoiceField(
        label="Referred by", choices=_blank(codes.ReferralSource.choices, "Anyone"), required=False
    )


class AssignForm(forms.Form):
    team = forms.ModelChoiceField(label="Team", queryset=Organisation.objects.none())
    link_worker = forms.ChoiceField(label="Link worker (optional)", required=False)
    note = forms.CharField(
        label="Note for the referrer (optional)", required=False, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args: Any, teams: list[Organisation], loads: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=[t.pk for t in teams]
        )
        self._workers = {str(load.user.pk): load.user for load in loads}
        self.fields["link_worker"].choices = [  # type: ignore[attr-defined]
            ("", "Assign to the team only"),
            *[(str(load.user.pk), load.label) for load in loads],
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_link_worker(self) -> User | None:
        return self._workers.get(self.cleaned_data["link_worker"])


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is the referral declined?",
        # The automatic decline's reason is the system's to give, not a triage lead's.
        choices=[
            c
            for c in codes.DeclineReason.choices
            if c[0] != codes.DeclineReason.NOT_ACCEPTED_IN_TIME
        ],
        widget=forms.RadioSelect,
    )
    suggested_alternative = forms.CharField(
        label="Suggested alternative",
        required=False,
        max_length=300,
        help_text="For example, NHS 111 option 2 for an urgent mental health crisis.",
    )
    note = forms.CharField(
        label="Note for the referrer", required=False, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class TriageServiceField(forms.ModelChoiceField):
    """A link worker service, with how many referrals wait for its triage: where there
    is room to take one on (annotated ``waiting``)."""

    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({getattr(obj, 'waiting', 0)} waiting for triage)"


class RedirectForm(forms.Form):
    service = TriageServiceField(
        label="Pass to service", queryset=Organisation.objects.none(), empty_label=None
    )
    note = forms.CharField(label="Why (optional)", required=False, max_length=300)

    def __init__(self, *args: Any, current: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.active()
            .of_type(OrganisationType.LINK_WORKER_SERVICE)
            .exclude(pk=current.pk)
            .annotate(
                waiting=Count(
                    "referrals_to_triage",
                    filter=Q(referrals_to_triage__status__in=codes.AWAITING_TRIAGE_STATUSES),
                )
            )
            .order_by("name")
        )
        self.helper = FormHelper()
        self.helper.form_tag = False

    @property
    def has_services(self) -> bool:
        """Whether there is any other service to pass to (one query, when shown)."""
        return self.fields["service"].queryset.exists()  # type: ignore[attr-defined]


class RequestInfoForm(forms.Form):
    question = forms.CharField(
        label="What do you need to know from the referrer?", widget=forms.Textarea({"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ProvideInfoForm(forms.Form):
    answer = forms.CharField(
        label="Your answer for the triage team",
        widget=forms.Textarea({"rows": 4}),
        max_length=4000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

"""Intake and triage forms. Each builds the typed input its service takes."""

from referrals.forms.intake import (
    PERSON_FIELDS,
    PROFESSIONAL_SOURCES,
    SOURCE_FOR_PROFESSION,
    PersonFieldsMixin,
    ReferralForm,
    SelfReferralForm,
)
from referrals.forms.triage import (
    AssignForm,
    DeclineForm,
    ProvideInfoForm,
    QueueFilterForm,
    RedirectForm,
    RequestInfoForm,
)

__all__ = [
    "PERSON_FIELDS",
    "PROFESSIONAL_SOURCES",
    "PersonFieldsMixin",
    "ReferralForm",
    "SOURCE_FOR_PROFESSION",
    "SelfReferralForm",
    "AssignForm",
    "DeclineForm",
    "ProvideInfoForm",
    "QueueFilterForm",
    "RedirectForm",
    "RequestInfoForm",
]

"""People referred, their referrals, where referrals are triaged, and each referral's history."""

from referrals.models.events import (
    AlertReason,
    ReferralAlert,
    ReferralStatusEvent,
)
from referrals.models.people import (
    Person,
    PersonKeptApart,
    PersonQuerySet,
    format_nhs_number,
    normalise_nhs_number,
    normalise_postcode,
    validate_not_future,
)
from referrals.models.referrals import (
    Referral,
    ReferralQuerySet,
    ReferralReason,
    TriageRoute,
)

__all__ = [
    "Referral",
    "ReferralQuerySet",
    "ReferralReason",
    "TriageRoute",
    "Person",
    "PersonKeptApart",
    "PersonQuerySet",
    "format_nhs_number",
    "normalise_nhs_number",
    "normalise_postcode",
    "validate_not_future",
    "AlertReason",
    "ReferralAlert",
    "ReferralStatusEvent",
]

"""Referral workflows: each one function, in one transaction, called by views, API and tasks.

Every status change goes through ``_transition``, which checks the one table of allowed
transitions in ``referrals.codes`` and writes the immutable event row with the actor.
"""

from referrals.services.intake import (
    IdempotencyConflict,
    PersonInput,
    ReferralInput,
    SubmitResult,
    referral_submit,
    triage_route_for,
)
from referrals.services.loads import (
    LinkWorkerLoad,
    link_worker_loads,
)
from referrals.services.people import (
    person_keep_apart,
    person_merge,
    person_update_details,
)
from referrals.services.triage import (
    referral_assign,
    referral_confirm_consent,
    referral_decline,
    referral_decline_expired,
    referral_provide_info,
    referral_record_progress,
    referral_redirect,
    referral_request_info,
    referral_set_link_worker,
    referral_withdraw,
    teams_for_service,
)

__all__ = [
    "referral_assign",
    "referral_confirm_consent",
    "referral_withdraw",
    "referral_decline",
    "referral_decline_expired",
    "referral_provide_info",
    "referral_record_progress",
    "referral_redirect",
    "referral_request_info",
    "referral_set_link_worker",
    "teams_for_service",
    "IdempotencyConflict",
    "PersonInput",
    "ReferralInput",
    "SubmitResult",
    "referral_submit",
    "triage_route_for",
    "person_keep_apart",
    "person_merge",
    "person_update_details",
    "LinkWorkerLoad",
    "link_worker_loads",
]

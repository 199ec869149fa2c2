"""Cases, contacts, assessments, support plans, onward connections and unmet need.

A case is a link worker's time with one person, opened from an assigned referral; the
referral keeps the closed-loop status the referrer sees, the case holds the casework
(private to the link worker team). Status changes are immutable event rows.
"""

from linkworkers.models.cases import (
    CASELOAD_ROW_FIELDS,
    Case,
    CaseQuerySet,
    CaseStatusEvent,
    Contact,
    ContactQuerySet,
)
from linkworkers.models.closure import (
    DigestSent,
    MessageBack,
)
from linkworkers.models.connections import (
    Connection,
    ConnectionEvent,
    ConnectionQuerySet,
    UnmetNeed,
)
from linkworkers.models.plans import (
    Assessment,
    AssessmentDomain,
    PlanGoal,
    PlanStep,
    SupportPlan,
)

__all__ = [
    "CASELOAD_ROW_FIELDS",
    "Case",
    "CaseQuerySet",
    "CaseStatusEvent",
    "Contact",
    "ContactQuerySet",
    "Assessment",
    "AssessmentDomain",
    "PlanGoal",
    "PlanStep",
    "SupportPlan",
    "Connection",
    "ConnectionEvent",
    "ConnectionQuerySet",
    "UnmetNeed",
    "DigestSent",
    "MessageBack",
]

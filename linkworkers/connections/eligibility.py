"""The person, as the directory's eligibility checks need them (``directory.eligibility``):
age today, sex, postcode district and local authority, language, and the groups the
referral shows (a referral for carer support: a carer). Nothing else leaves the case."""

from __future__ import annotations

import datetime

from django.utils import timezone

from directory.eligibility import Eligibility, PersonFacts, Verdict, WhoFor, check, criteria_of
from directory.geo import normalise_postcode
from directory.models import PostcodeArea, Service
from linkworkers.models import Case
from referrals import codes as referral_codes

# Referral reasons that show the person belongs to a group a service may be only for.
REASON_GROUPS: dict[str, str] = {referral_codes.Reason.CARER_SUPPORT: WhoFor.CARERS}


def age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def person_facts(case: Case, today: datetime.date | None = None) -> PersonFacts:
    """Two queries at most: the local authority of the postcode, the referral's reasons
    (none when the case's referral came with them prefetched)."""
    referral = case.referral
    person = referral.person
    local_authority = (
        PostcodeArea.objects.filter(postcode=person.postcode)
        .values_list("lad_code", flat=True)
        .first()
        if person.postcode
        else None
    )
    groups = frozenset(str(REASON_GROUPS[r]) for r in referral.reason_codes if r in REASON_GROUPS)
    return PersonFacts(
        age=age_on(person.date_of_birth, today or timezone.localdate()),
        sex=person.sex,
        postcode_district=_district(person.postcode),
        local_authority=local_authority or "",
        language=person.language if person.interpreter_needed else "",
        interpreter_needed=person.interpreter_needed,
        groups=groups,
    )


def _district(postcode: str) -> str:
    normal = normalise_postcode(postcode or "")
    return normal.split()[0] if normal else ""


def eligibility_for(service: Service, facts: PersonFacts) -> Eligibility:
    return check(criteria_of(service), facts)


def ineligible_reason_needed(eligibility: Eligibility) -> str:
    """What a link worker is told when connecting someone not eligible without saying why
    (by the connect form and by the service behind it, so both say the same); empty when
    no reason is needed."""
    if eligibility.verdict != Verdict.NOT_ELIGIBLE:
        return ""
    return f"Not eligible: {eligibility.summary}. Say why you are connecting them anyway"

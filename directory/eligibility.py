"""Who a service is for, checked for one person at the point of choice.

The directory knows nothing of people (ARCHITECTURE.md): the caller describes the
person as ``PersonFacts`` (only what the checks need) and gets back, for a service's
``Criteria``, one of three answers with the reasons a link worker reads:

- eligible: every stated criterion is met;
- check: something could not be known from the record (sex not recorded, whether
  they care for someone, a language the service may not offer) - ask before connecting;
- not eligible: a stated criterion is not met (too old, lives outside the area...).

A criterion the service has not stated is never a reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db.models import Q


class Verdict(StrEnum):
    ELIGIBLE = "eligible"
    CHECK = "check"
    NOT_ELIGIBLE = "not_eligible"

    @property
    def label(self) -> str:
        return {"eligible": "Eligible", "check": "Check", "not_eligible": "Not eligible"}[self]


class Gender(StrEnum):
    """Who a service is for by sex, as the services describe themselves."""

    ANY = ""
    WOMEN = "women"
    MEN = "men"


class WhoFor(StrEnum):
    """Groups a service may be only for, that a record can show or not."""

    CARERS = "carers"
    VETERANS = "veterans"
    PEOPLE_WITH_DEMENTIA = "people_with_dementia"
    NEW_PARENTS = "new_parents"


WHO_FOR_LABELS = {
    WhoFor.CARERS: "Unpaid carers",
    WhoFor.VETERANS: "Veterans",
    WhoFor.PEOPLE_WITH_DEMENTIA: "People living with dementia and their families",
    WhoFor.NEW_PARENTS: "Parents of babies and young children",
}
# NHS Data Dictionary "person stated gender code" values, as the person record holds them.
SEX_FEMALE, SEX_MALE = "2", "1"
DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
LOCAL_AUTHORITY = re.compile(r"^[EWSN][0-9]{8}$")


@dataclass(frozen=True)
class Criteria:
    """A service's stated criteria (empty: open to all)."""

    minimum_age: int | None = None
    maximum_age: int | None = None
    gender: str = Gender.ANY
    who_for: tuple[str, ...] = ()
    # Postcode districts (NN1) and local authority codes (E06000061).
    areas: tuple[str, ...] = ()
    # Languages offered besides English, lower case names or ISO 639 codes.
    languages: tuple[str, ...] = ()

    @property
    def stated(self) -> bool:
        return bool(
            self.minimum_age is not None
            or self.maximum_age is not None
            or self.gender
            or self.who_for
            or self.areas
        )


@dataclass(frozen=True)
class PersonFacts:
    """What the checks need to know of a person; None where the record does not say."""

    age: int | None = None
    sex: str = ""
    postcode_district: str = ""
    local_authority: str = ""
    language: str = ""
    interpreter_needed: bool = False
    # Groups the record shows the person is in (a referral for carer support...).
    groups: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Eligibility:
    verdict: Verdict
    reasons: tuple[str, ...] = field(default=())

    @property
    def summary(self) -> str:
        return "; ".join(self.reasons) if self.reasons else "Meets the stated criteria"


def check(criteria: Criteria, person: PersonFacts) -> Eligibility:
    """The verdict: not eligible if any criterion fails, else check if any is unknown."""
    failed: list[str] = []
    unknown: list[str] = []
    for fails, unknowns in (
        _age(criteria, person),
        _gender(criteria, person),
        _who_for(criteria, person),
        _area(criteria, person),
        _language(criteria, person),
    ):
        failed += fails
        unknown += unknowns
    if failed:
        return Eligibility(Verdict.NOT_ELIGIBLE, tuple(failed + unknown))
    if unknown:
        return Eligibility(Verdict.CHECK, tuple(unknown))
    return Eligibility(Verdict.ELIGIBLE)


Found = tuple[list[str], list[str]]


def age_range_text(minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        return f"ages {minimum} to {maximum}"
    return f"ages {minimum} and over" if minimum is not None else f"ages up to {maximum}"


def _age(criteria: Criteria, person: PersonFacts) -> Found:
    low, high = criteria.minimum_age, criteria.maximum_age
    if low is None and high is None:
        return [], []
    wanted = age_range_text(low, high)
    if person.age is None:
        return [], [f"For {wanted}: date of birth not known"]
    if (low is not None and person.age < low) or (high is not None and person.age > high):
        return [f"For {wanted}; they are {person.age}"], []
    return [], []


def _gender(criteria: Criteria, person: PersonFacts) -> Found:
    if not criteria.gender:
        return [], []
    wanted = SEX_FEMALE if criteria.gender == Gender.WOMEN else SEX_MALE
    if person.sex not in (SEX_FEMALE, SEX_MALE):
        return [], [f"For {criteria.gender} only: check with the person"]
    if person.sex != wanted:
        return [f"For {criteria.gender} only"], []
    return [], []


def _who_for(criteria: Criteria, person: PersonFacts) -> Found:
    unknown = [
        f"For {WHO_FOR_LABELS.get(WhoFor(g), g).lower()}: check they are"
        for g in criteria.who_for
        if g not in person.groups
    ]
    return [], unknown


def _area(criteria: Criteria, person: PersonFacts) -> Found:
    if not criteria.areas:
        return [], []
    served = ", ".join(criteria.areas)
    places = {person.postcode_district, person.local_authority} - {""}
    if not places:
        return [], [f"Serves {served}: postcode not known"]
    if places & set(criteria.areas):
        return [], []
    districts_only = all(DISTRICT.match(a) for a in criteria.areas)
    if not person.postcode_district or (not person.local_authority and not districts_only):
        # A local authority the service names, and none known for the person.
        return [], [f"Serves {served}: check where they live"]
    return [f"Serves {served}; they live in {person.postcode_district}"], []


ENGLISH = {"", "english", "en", "eng"}


def _language(criteria: Criteria, person: PersonFacts) -> Found:
    language = person.language.strip().lower()
    if language in ENGLISH or not person.interpreter_needed:
        return [], []
    if language in criteria.languages:
        return [], []
    return [], [f"Needs {person.language}: check the service can help in it"]


def valid_area(value: str) -> bool:
    return bool(DISTRICT.match(value) or LOCAL_AUTHORITY.match(value))


def criteria_of(service: Any) -> Criteria:
    """A directory service's stated criteria. Its languages come from the prefetched
    ``languages`` where the queryset loaded them."""
    return Criteria(
        minimum_age=service.minimum_age,
        maximum_age=service.maximum_age,
        gender=service.gender_only,
        who_for=tuple(service.only_for_list),
        areas=tuple(service.areas_served_list),
        languages=tuple(
            value.lower()
            for language in service.languages.all()
            for value in (language.name, language.code)
            if value
        ),
    )


def stored_list(values: Iterable[str]) -> str:
    """``["NN1", "NN2"]`` as stored: ``",NN1,NN2,"`` (empty for none)."""
    kept = [v.strip() for v in values if v.strip()]
    return f",{','.join(kept)}," if kept else ""


def eligible_q(person: PersonFacts) -> Q:
    """Services whose stated criteria do not rule the person out (eligible or check):
    for a filter in the database, the same rules as ``check``."""
    q = Q()
    if person.age is not None:
        q &= Q(minimum_age__isnull=True) | Q(minimum_age__lte=person.age)
        q &= Q(maximum_age__isnull=True) | Q(maximum_age__gte=person.age)
    if person.sex in (SEX_FEMALE, SEX_MALE):
        wanted = Gender.WOMEN if person.sex == SEX_FEMALE else Gender.MEN
        q &= Q(gender_only="") | Q(gender_only=wanted)
    places = [p for p in (person.postcode_district, person.local_authority) if p]
    if person.postcode_district:
        served = Q(areas_served="")
        for place in places:
            served |= Q(areas_served__contains=f",{place},")
        if not person.local_authority:
            # A service naming a local authority may still serve them: a check, kept.
            served |= Q(areas_served__regex=r",[EWSN][0-9]{8},")
        q &= served
    return q

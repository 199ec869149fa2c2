"""Population groups every report can be narrowed to: an ethnic group (as recorded on
the person) or a deprivation decile (from the person's postcode). Written in a query
string as ``eth:<NHS code>`` or ``imd:<1-10>``, so a filtered report stays a GET link
and a subscription stores it as text."""

from __future__ import annotations

from django.db.models import Q

from directory.models import PostcodeArea
from outcomes.models import Deprivation
from referrals import codes as referral_codes


def group_choices() -> list[tuple[str, str]]:
    ethnic = [
        (f"eth:{code}", f"Ethnic group: {label}")
        for code, label in referral_codes.EthnicCategory.choices
    ]
    deciles = [(f"imd:{d}", f"Deprivation decile {d}") for d in range(1, 11)]
    return [("", "Everyone"), *ethnic, *deciles]


def is_group(value: str) -> bool:
    return value in {key for key, _ in group_choices() if key}


def group_label(value: str) -> str:
    return dict(group_choices()).get(value, value)


def group_q(value: str, prefix: str = "") -> Q:
    """Referrals of people in the group; ``prefix`` reaches the referral."""
    kind, _, code = value.partition(":")
    if not is_group(value):
        raise ValueError(f"Unknown population group {value!r}")
    if kind == "eth":
        return Q(**{f"{prefix}person__ethnicity": code})
    lsoas = Deprivation.objects.filter(decile=int(code)).values("lsoa11")
    postcodes = PostcodeArea.objects.filter(lsoa11__in=lsoas).values("postcode")
    return Q(**{f"{prefix}person__postcode__in": postcodes})

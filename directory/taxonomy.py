"""The social prescribing vocabularies every deployment starts with.

Ids are derived from the codes (uuid5), so every environment publishes the same term
ids and ORUK consumers can filter by them across deployments.
"""

from __future__ import annotations

import uuid
from contextvars import ContextVar
from typing import Any

from django.core.cache import cache
from django.db import transaction

# A fixed namespace for our own directory ids; never change it.
SOCIALRX_NAMESPACE = uuid.UUID("5b0f6a36-3a55-4b9e-9f39-6f1d4d6c2a10")

CATEGORY = "social-prescribing-category"
AUDIENCE = "who-it-is-for"

TAXONOMIES: dict[str, tuple[str, str]] = {
    CATEGORY: (
        "Social prescribing categories",
        "What a service offers, in the terms link workers use to match people to support.",
    ),
    AUDIENCE: (
        "Who it is for",
        "Groups a service is designed for. Services may still welcome anyone.",
    ),
}

TERMS: dict[str, list[tuple[str, str, str]]] = {
    CATEGORY: [
        ("befriending", "Social connection and befriending", "Company, friendship and groups."),
        ("arts", "Arts and culture", "Creative activities, music, museums and heritage."),
        ("physical-activity", "Physical activity", "Walking, sport, dance and movement."),
        ("green", "Green and nature", "Gardening, conservation and time outdoors."),
        ("mental-wellbeing", "Mental wellbeing", "Peer support, talking and coping skills."),
        ("money", "Money and benefits advice", "Benefits, debt, budgeting and grants."),
        ("housing", "Housing", "Housing advice, tenancy support and homelessness."),
        ("employment", "Employment and volunteering", "Work, training and volunteering."),
        ("carers", "Carers' support", "Support for unpaid carers."),
        ("dementia", "Dementia support", "For people living with dementia and families."),
        (
            "self-management",
            "Long-term condition self-management",
            "Living well with long-term conditions.",
        ),
        ("weight", "Weight management", "Support to reach a healthier weight."),
        ("healthy-eating", "Healthy eating", "Cooking, food and nutrition."),
        ("food", "Food support", "Food banks, pantries and community meals."),
        ("bereavement", "Bereavement", "Support after someone has died."),
        ("domestic-abuse", "Domestic abuse support", "Safety, advice and recovery."),
        ("learning", "Learning and skills", "Courses, literacy and lifelong learning."),
        ("digital", "Digital inclusion", "Devices, data and help getting online."),
    ],
    AUDIENCE: [
        ("carers", "Carers", "Unpaid carers of any age."),
        ("dementia", "People with dementia", "People living with dementia."),
        ("older-people", "Older people", "People aged 65 and over."),
        ("young-people", "Young people", "People aged 11 to 25."),
        ("lgbtq", "LGBTQ+ people", "Lesbian, gay, bisexual, trans and queer people."),
        (
            "ethnic-minority-faith",
            "Ethnic minority and faith communities",
            "Communities of a shared heritage or faith.",
        ),
        (
            "learning-disabilities",
            "People with learning disabilities",
            "People with a learning disability and their families.",
        ),
        ("men", "Men", "Services designed for men."),
        ("women", "Women", "Services designed for women."),
        ("veterans", "Veterans", "People who served in the armed forces."),
        ("long-term-conditions", "People with long-term conditions", "Any long-term condition."),
        ("new-parents", "New parents", "Parents of babies and young children."),
        ("refugees", "Refugees and people seeking asylum", "People new to the UK."),
    ],
}


# Every search offers the same term menus and matches its words against every term's
# name; a worker with its own memory cache (no Redis) never hears another worker's
# term_choices_forget, so the cached terms also expire.
TERMS_CACHE_KEY = "directory:terms:v1"
TERMS_CACHE_SECONDS = 300

# The terms as the request being served first read them. A search asks for them about
# nine times (its two menus, the words it knows for typos, the terms its words name),
# and each read from Redis cost about 1% of the page (issue 17). Held for one request
# only: ``terms_request_started`` and ``terms_request_finished`` (Django's request
# signals, connected in directory.apps) open and close it, so the next request reads
# the cache afresh, and outside a request (tasks, the shell) nothing is held.
_request_terms: ContextVar[dict[str, Any] | None] = ContextVar("directory_terms", default=None)


def terms_request_started(**kwargs: object) -> None:
    _request_terms.set({})


def terms_request_finished(**kwargs: object) -> None:
    _request_terms.set(None)


def _cached_terms() -> list[tuple[str, str, str]]:
    """(id, name, taxonomy code) of every term, by name."""
    held = _request_terms.get()
    if held is not None and "terms" in held:
        terms: list[tuple[str, str, str]] = held["terms"]
        return terms
    terms = _terms_from_cache()
    if held is not None:
        held["terms"] = terms
    return terms


def _terms_from_cache() -> list[tuple[str, str, str]]:
    terms: list[tuple[str, str, str]] | None = cache.get(TERMS_CACHE_KEY)
    if terms is None:
        from directory.models import TaxonomyTerm

        terms = [
            (str(pk), name, code or "")
            for pk, name, code in TaxonomyTerm.objects.order_by("name").values_list(
                "pk", "name", "taxonomy__code"
            )
        ]
        cache.set(TERMS_CACHE_KEY, terms, TERMS_CACHE_SECONDS)
    return terms


def term_choices(taxonomy_code: str) -> list[tuple[str, str]]:
    """The (id, name) of each term of one vocabulary, by name, for a menu."""
    return [(pk, name) for pk, name, code in _cached_terms() if code == taxonomy_code]


def terms_named_like(text: str) -> list[uuid.UUID]:
    """The terms whose name contains ``text``, in any case (as ``icontains`` matches)."""
    needle = text.casefold()
    return [uuid.UUID(pk) for pk, name, _ in _cached_terms() if needle in name.casefold()]


def term_names() -> tuple[str, ...]:
    """Every term's name (from the cache): words search knows, for typo correction."""
    return tuple(name for _, name, _ in _cached_terms())


def term_choices_forget() -> None:
    """Whatever writes terms calls this. Drops the cached terms now and again once the
    writer's transaction commits, so a page reading the old terms in between cannot
    cache them for the full timeout."""
    held = _request_terms.get()
    if held is not None:
        held.pop("terms", None)
    cache.delete(TERMS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(TERMS_CACHE_KEY))


def taxonomy_id(code: str) -> uuid.UUID:
    return uuid.uuid5(SOCIALRX_NAMESPACE, f"taxonomy:{code}")


def term_id(taxonomy_code: str, term: str) -> uuid.UUID:
    return uuid.uuid5(SOCIALRX_NAMESPACE, f"term:{taxonomy_code}:{term}")


@transaction.atomic
def taxonomy_ensure() -> int:
    """Create the vocabularies and any missing terms; returns how many terms exist.

    Leaves existing rows alone, so administrators' wording changes survive. (Migration
    0002 carries its own frozen copy of the first vocabularies.)
    """
    from directory.models import Taxonomy, TaxonomyTerm

    count = 0
    for code, (name, description) in TAXONOMIES.items():
        taxonomy, _ = Taxonomy.objects.get_or_create(
            id=taxonomy_id(code), defaults={"code": code, "name": name, "description": description}
        )
        for term, term_name, term_description in TERMS[code]:
            TaxonomyTerm.objects.get_or_create(
                id=term_id(code, term),
                defaults={
                    "taxonomy": taxonomy,
                    "term": term,
                    "name": term_name,
                    "description": term_description,
                },
            )
            count += 1
    term_choices_forget()
    return count

"""Finding a service for a need: the directory's own search, pre-filtered by the
categories that meet the need, with capacity, distance and track record attached."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from directory.models import ServiceAttribute, ServiceQuerySet
from directory.search import ServiceFilters, services_filter, services_order
from directory.selectors import services_published
from directory.taxonomy import CATEGORY, term_id
from linkworkers import codes
from linkworkers.connections.track_record import track_record_since, with_track_record
from linkworkers.models import Assessment, AssessmentDomain, Case

# Which directory categories (``directory.taxonomy``) meet each need of the assessment.
NEED_CATEGORIES: dict[str, tuple[str, ...]] = {
    codes.LifeDomain.MENTAL_WELLBEING: ("mental-wellbeing", "bereavement", "arts"),
    codes.LifeDomain.PHYSICAL_HEALTH: ("physical-activity", "weight", "self-management", "green"),
    codes.LifeDomain.SOCIAL_CONNECTION: ("befriending", "arts", "green"),
    codes.LifeDomain.HOUSING: ("housing",),
    codes.LifeDomain.MONEY: ("money", "food"),
    codes.LifeDomain.WORK_LEARNING: ("employment", "learning", "digital"),
    codes.LifeDomain.RELATIONSHIPS: ("carers", "domestic-abuse", "bereavement"),
    codes.LifeDomain.DAILY_LIVING: ("dementia", "self-management", "digital", "food"),
    codes.LifeDomain.LIFESTYLE: ("healthy-eating", "physical-activity", "weight"),
}


def case_needs(case: Case) -> list[AssessmentDomain]:
    """The needs recorded at the case's latest assessment, greatest first; one query."""
    latest = Assessment.objects.filter(case=case).order_by("-assessed_on", "-pk")[:1]
    return list(
        AssessmentDomain.objects.filter(
            assessment__in=latest, need_level__gt=codes.NeedLevel.NONE
        ).order_by("-need_level", "domain")
    )


def services_for_need(
    *, domain: str, text: str = "", accepting_only: bool = False,
    origin: tuple[float, float] | None = None,
) -> ServiceQuerySet:  # fmt: skip
    """Published services offering any category that meets ``domain`` (or any service),
    through the directory's own search; capacity, distance and track record attached."""
    filters = ServiceFilters(text=text, accepting_only=accepting_only, origin=origin)
    services = services_filter(services_published(), filters)
    if domain:
        term_ids = [term_id(CATEGORY, code) for code in NEED_CATEGORIES.get(domain, ())]
        # Any of the need's categories (the directory's own term filter means all).
        services = services.filter(
            Exists(
                ServiceAttribute.objects.filter(service=OuterRef("pk"), taxonomy_term__in=term_ids)
            )
        )
    ordered = services_order(services, by_distance=origin is not None).for_display()
    return with_track_record(ordered, since=track_record_since())

"""Places in reports: a person's postcode district, LSOA and IMD decile, and the
resident populations of the area, from the published files (``outcomes.models.geography``).

Everything here is a query expression or a queryset, so reports group and count in the
database; a person's postcode itself never leaves it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, F, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Left, StrIndex, Upper

from directory.models import PostcodeArea
from outcomes.models import AreaPopulation, AreaType, Deprivation

NOT_KNOWN = "Not known"


def postcode_district(field: str) -> Any:
    """The outward code of a postcode field held as ``NN1 1AA`` (upper case, one
    space): the part before the space, empty for an empty postcode."""
    return Left(Upper(F(field)), StrIndex(F(field), Value(" ")) - 1)


def lsoa_of(field: str) -> Subquery:
    """The 2021 LSOA the postcode in ``field`` lies in (the imported postcode lookup)."""
    return Subquery(
        PostcodeArea.objects.filter(postcode=OuterRef(field)).values("lsoa21")[:1],
        output_field=CharField(),
    )


def lsoa_names(codes: set[str]) -> dict[str, str]:
    """The names of these 2021 LSOAs from the census file, where it gave them."""
    return dict(
        AreaPopulation.objects.filter(area_type=AreaType.LSOA21, group="", area_code__in=codes)
        .exclude(area_name="")
        .values_list("area_code", "area_name")
    )


def imd_decile_of(field: str) -> Subquery:
    """The IMD 2019 decile of the 2011 LSOA the postcode in ``field`` lies in."""
    lsoa = PostcodeArea.objects.filter(postcode=OuterRef(OuterRef(field))).values("lsoa11")[:1]
    return Subquery(
        Deprivation.objects.filter(lsoa11=Subquery(lsoa)).values("decile")[:1],
        output_field=IntegerField(),
    )


def populations_in(local_authorities: Any) -> QuerySet[AreaPopulation]:
    """Resident figures of the given local authorities: their 2021 LSOAs where the LSOA
    file and the postcode lookup are loaded, else the local authority rows."""
    lsoas = AreaPopulation.objects.filter(
        area_type=AreaType.LSOA21,
        area_code__in=PostcodeArea.objects.filter(lad_code__in=local_authorities).values("lsoa21"),
    )
    if lsoas.exists():
        return lsoas
    return AreaPopulation.objects.filter(area_type=AreaType.LAD, area_code__in=local_authorities)


def local_authorities_of(postcodes: Any) -> Any:
    """The local authorities the given postcodes (a values queryset) lie in."""
    return PostcodeArea.objects.filter(postcode__in=postcodes).values("lad_code")


def decile_populations(populations: QuerySet[AreaPopulation]) -> dict[int, int]:
    """Residents by IMD decile. IMD 2019 is for 2011 LSOAs and the census for 2021
    ones: an LSOA is matched where its code is unchanged (most are); the rest count as
    decile not known, and the report says so."""
    rows = (
        populations.filter(group="", area_type=AreaType.LSOA21)
        .annotate(
            decile=Subquery(
                Deprivation.objects.filter(lsoa11=OuterRef("area_code")).values("decile")[:1],
                output_field=IntegerField(),
            )
        )
        .values("decile")
        .annotate(people=Sum("people"))
        .values_list("decile", "people")
    )
    return {decile: people for decile, people in rows if decile is not None}

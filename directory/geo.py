"""Postcodes and distances, computed in the database.

An equirectangular approximation: within a county it is off by well under 1%, and
it needs only arithmetic and a square root, which PostgreSQL and SQLite both have.
"""

from __future__ import annotations

import functools
import math
import re

from django.db import connections, router
from django.db.models import ExpressionWrapper, F, FloatField
from django.db.models.functions import Sqrt

from directory.models import PostcodeCentroid

METRES_PER_DEGREE_LATITUDE = 110_574.0
METRES_PER_DEGREE_LONGITUDE_AT_EQUATOR = 111_320.0
_DISTRICT = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?")
_FULL = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})")


def normalise_postcode(raw: str) -> str | None:
    """``ns11aa`` -> ``NS1 1AA``; a district alone (``ns1``) -> ``NS1``; else None."""
    compact = re.sub(r"\s+", "", raw).upper()
    if _DISTRICT.fullmatch(compact):
        return compact
    match = _FULL.fullmatch(compact)
    return f"{match[1]} {match[2]}" if match else None


def postcode_centroid(raw: str) -> tuple[float, float] | None:
    """Where a postcode is: the full postcode if we know it, else its district."""
    postcode = normalise_postcode(raw)
    if postcode is None:
        return None
    candidates = [postcode, postcode.split()[0]]
    alias = router.db_for_read(PostcodeCentroid)
    found: dict[str, tuple[float, float]] = {}
    with connections[alias].cursor() as cursor:
        cursor.execute(_centroids_sql(alias), candidates)
        for code, latitude, longitude in cursor.fetchall():
            found[code] = (latitude, longitude)
    return next((found[c] for c in candidates if c in found), None)


@functools.cache
def _centroids_sql(alias: str) -> str:
    """The two candidates' centroids, SQL written once per database: the ORM building
    it on every distance search cost more than the query (issue 17)."""
    q = connections[alias].ops.quote_name
    return (
        f"SELECT {q('postcode')}, {q('latitude')}, {q('longitude')}"
        f" FROM {q(PostcodeCentroid._meta.db_table)} WHERE {q('postcode')} IN (%s, %s)"
    )


def metres_per_degree_longitude(latitude: float) -> float:
    return METRES_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(math.radians(latitude))


def distance_metres(origin: tuple[float, float], prefix: str = "") -> ExpressionWrapper:
    """Distance from ``origin`` to the row's ``<prefix>latitude``/``longitude``."""
    latitude, longitude = origin
    kx = metres_per_degree_longitude(latitude)
    dx = (F(f"{prefix}longitude") - longitude) * kx
    dy = (F(f"{prefix}latitude") - latitude) * METRES_PER_DEGREE_LATITUDE
    return ExpressionWrapper(Sqrt(dx * dx + dy * dy), output_field=FloatField())


def box_degrees(origin: tuple[float, float], metres: float) -> tuple[float, float]:
    """Half the height and half the width, in degrees, of the box around ``origin``
    that holds every point within ``metres`` of it (by :func:`distance_metres`)."""
    return metres / METRES_PER_DEGREE_LATITUDE, metres / metres_per_degree_longitude(origin[0])

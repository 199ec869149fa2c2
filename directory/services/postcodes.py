"""Loading postcode centroids, the origins of distance searches."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from directory.geo import normalise_postcode
from directory.models import PostcodeCentroid

POSTCODE_BATCH = 2000


def postcodes_import(*, rows: Iterable[tuple[str, float, float]]) -> int:
    """Load postcode or district centroids, replacing known ones; returns how many.

    Batched, each batch in its own transaction, so the full ONS Postcode Directory
    (2.7 million rows) loads in bounded memory.
    """
    count = 0
    batch: list[PostcodeCentroid] = []
    for raw, latitude, longitude in rows:
        postcode = normalise_postcode(raw)
        if postcode is None:
            continue
        batch.append(PostcodeCentroid(postcode=postcode, latitude=latitude, longitude=longitude))
        if len(batch) >= POSTCODE_BATCH:
            count += _postcodes_save(batch)
            batch = []
    return count + (_postcodes_save(batch) if batch else 0)


@transaction.atomic
def _postcodes_save(batch: list[PostcodeCentroid]) -> int:
    PostcodeCentroid.objects.bulk_create(
        batch,
        update_conflicts=True,
        unique_fields=["postcode"],
        update_fields=["latitude", "longitude"],
    )
    return len(batch)

"""Filtering the directory: one place for the ORUK API and the search page.

Every filter narrows with ``Exists`` rather than joins, so filters combine (AND)
without duplicating services and the page's query count does not grow.
"""

from directory.search.filters import (
    BROAD_SEARCH_MATCHES,
    BY_DISTANCE,
    SEARCH_RESULTS_CAP,
    ServiceFilters,
    is_broad_search,
    nearest_location_distance,
    services_filter,
    services_order,
)
from directory.search.ranking import (
    NEAR_RADII_METRES,
    FreshFirstPages,
    RankedServices,
    nearest_rows,
    ranked_search,
)
from directory.search.text import (
    MAX_SEARCH_WORDS,
    SEARCH_CONFIG,
    StoredSearchDocument,
    broad_search_rows,
    text_search,
)

__all__ = [
    "BROAD_SEARCH_MATCHES",
    "BY_DISTANCE",
    "SEARCH_RESULTS_CAP",
    "ServiceFilters",
    "is_broad_search",
    "nearest_location_distance",
    "services_filter",
    "services_order",
    "MAX_SEARCH_WORDS",
    "SEARCH_CONFIG",
    "StoredSearchDocument",
    "broad_search_rows",
    "text_search",
    "FreshFirstPages",
    "NEAR_RADII_METRES",
    "RankedServices",
    "nearest_rows",
    "ranked_search",
]

"""Pages of a list too large to count on every view (ADR 0038).

``COUNT(*)`` reads every row it counts: the audit log's admin list counted 4 million
entries in over a second on each page, and the table grows by millions a month at
national scale (docs/scaling.md). On PostgreSQL the planner already knows about how
many rows a query returns, from the statistics autovacuum keeps; asking it (``EXPLAIN``)
costs a plan, not a scan. Above ``ESTIMATE_FROM`` rows the list says "about" that many.
Below it the rows are counted, but on PostgreSQL only up to ``ESTIMATE_FROM`` of them:
a condition the statistics cannot judge (a search for a word inside a column) may
be estimated at a few hundred rows and match a million, and a count that stops early
costs at most about 10,000 rows' reading. Past it the list says "more than 10,000".
On another database (SQLite, the embedded default, has no statistics worth the name)
the count is exact.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections, models
from django.utils.functional import cached_property

#: Rows from which a planner's estimate stands in for a count.
ESTIMATE_FROM = 10_000


def planner_estimate(queryset: models.QuerySet[Any]) -> int | None:
    """The rows PostgreSQL's planner expects ``queryset`` to return; None on any other
    database.

    The estimate is the plan of the rows without their order, columns or joins, so it is
    the estimate for what a count would count. For a table with no condition it is the
    table's ``pg_class.reltuples`` density times its pages on disk now, so it follows the
    table's growth between two ``ANALYZE`` runs, and a table never analysed still gets one.
    """
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    # Ordering and select_related change neither the rows nor their number.
    rows = queryset.order_by().select_related(None).values("pk")
    try:
        sql, params = rows.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:  # a condition that matches nothing, such as ``pk__in=[]``
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()
    if isinstance(plan, str):  # a driver that leaves json as text
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatingPaginator(Paginator):
    """A paginator whose count is the planner's estimate once that reaches
    ``ESTIMATE_FROM`` rows (``is_estimate`` then says so, for the page to say "about"),
    and otherwise a count that stops past ``ESTIMATE_FROM`` (``is_lower_bound``: "more
    than").

    Pages past the real end are empty rather than missing: an estimate may be high.
    """

    is_estimate = False
    is_lower_bound = False

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not isinstance(queryset, models.QuerySet):
            return len(queryset)  # already in memory: nothing to estimate
        estimate = planner_estimate(queryset)
        if estimate is None:
            return queryset.count()
        if estimate >= ESTIMATE_FROM:
            self.is_estimate = True
            return estimate
        # Without its order: sorted, the first 10,001 rows are known only once all are.
        counted = queryset.order_by()[: ESTIMATE_FROM + 1].count()
        if counted > ESTIMATE_FROM:
            self.is_lower_bound = True
            return ESTIMATE_FROM
        return counted

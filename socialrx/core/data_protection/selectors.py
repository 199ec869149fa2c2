"""Reads for the information governance pages. Both tables are county-wide records of
the governance function itself, so the role check in the view is the scope."""

from __future__ import annotations

from django.db.models import QuerySet

from socialrx.core.data_protection.models import RetentionRun, RightsRequest


def recent_retention_runs(limit: int) -> QuerySet[RetentionRun]:
    return RetentionRun.objects.all()[:limit]


def recent_rights_requests(limit: int) -> QuerySet[RightsRequest]:
    return RightsRequest.objects.select_related("decided_by")[:limit]

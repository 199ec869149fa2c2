"""Core's own retention rules: audit entries and sent emails."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from socialrx.core.data_protection.registry import (
    RetentionRule,
    delete_rows,
    register_retention_rule,
)
from socialrx.core.models import AuditEvent, Notification, NotificationStatus


def _audit_due(today: datetime.date) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(occurred_at__lt=RETENTION_AUDIT.cutoff_moment(today))


def _notifications_due(today: datetime.date) -> QuerySet[Notification]:
    cutoff = RETENTION_NOTIFICATION.cutoff(today)
    # Only finished mail: one still queued may yet be sent.
    return Notification.objects.filter(status=NotificationStatus.SENT, sent_at__date__lt=cutoff)


# The audit is otherwise never deleted by the app: this rule is the one exception, so
# entries are kept exactly as long as the schedule says and no longer.
RETENTION_AUDIT = RetentionRule(
    record_type="audit_event",
    schedule_key="audit_event",
    action="delete",
    apply=lambda today: delete_rows(_audit_due(today)),
)
RETENTION_NOTIFICATION = RetentionRule(
    record_type="notification",
    schedule_key="notification",
    action="delete",
    apply=lambda today: delete_rows(_notifications_due(today)),
)


def register_core_rules() -> None:
    # Registered first, so run last: entries about records deleted tonight stay until
    # their own period ends.
    register_retention_rule(RETENTION_AUDIT)
    register_retention_rule(RETENTION_NOTIFICATION)

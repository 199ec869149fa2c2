"""Access reports: who looked at one record, when, from where and through which page or
API, answered from the audit log (``AuditEvent``), for information governance.

Each page, list and API that shows a record writes an entry under that record's type and
id (``socialrx.core.audit``), so the report is one indexed lookup. Apps own their records'
pages (a person's report lives in referrals); this module holds what every report shares:
who may read one, the rows and the CSV.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from socialrx.core.models import AuditEvent, AuditEventQuerySet
from socialrx.core.spreadsheets import spreadsheet_row

#: Paths served to other systems rather than to people in a browser.
API_PREFIXES = ("/api/", "/fhir/")

HEADERS = [
    "When",
    "Who",
    "Email",
    "What",
    "Through",
    "Page or API path",
    "List",
    "IP address",
    "Request id",
]


@dataclass(frozen=True)
class AccessRow:
    """One audit entry as an access report shows it."""

    event: AuditEvent

    @property
    def who(self) -> str:
        if self.event.actor is None:
            return f"System: {self.event.get_system_reason_display()}"
        return self.event.actor.full_name or self.event.actor.email

    @property
    def email(self) -> str:
        return self.event.actor.email if self.event.actor is not None else ""

    @property
    def through(self) -> str:
        if not self.event.path:
            return "Background task"
        return "API" if self.event.path.startswith(API_PREFIXES) else "Page"

    @property
    def listing(self) -> str:
        """The list page that showed the record, if it was a list (``audit_list``)."""
        return str(self.event.detail.get("listing", ""))

    def cells(self) -> list[str]:
        event = self.event
        return [
            event.occurred_at.isoformat(timespec="seconds"),
            self.who,
            self.email,
            event.get_action_display(),
            self.through,
            event.path,
            self.listing,
            event.ip_address or "",
            event.request_id,
        ]


def access_entries(object_type: str, object_id: object) -> AuditEventQuerySet:
    """Every audit entry for one record, newest first, with the users who acted."""
    return AuditEvent.objects.for_object(object_type, object_id).select_related("actor")


def access_csv(entries: AuditEventQuerySet) -> bytes:
    """The whole report as CSV, every cell through the spreadsheet escaping (a path or
    a user agent is typed by whoever sent the request)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for event in entries.iterator(chunk_size=2000):
        writer.writerow(spreadsheet_row(AccessRow(event).cells()))
    # A byte order mark so Excel opens the CSV as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")

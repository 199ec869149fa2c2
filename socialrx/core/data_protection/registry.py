"""What each app holds about people, for the retention job and the subject access export.

Core must not import the apps, so (as with the digest and the workspaces) each app
registers from its ``AppConfig.ready``:

- a **retention rule**: the records of one type that the schedule says are due on a day,
  and how to delete or anonymise them;
- a **subject access section**: everything of one type held about one person, as plain
  JSON-ready rows.

Rules run in the reverse of registration order. Apps register in INSTALLED_APPS order and
a later app's rows point at an earlier app's (a measure at a case, a case at a referral),
so removing the dependants first means no PROTECT foreign key ever stops the run.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

# Rows of one record type held about a person: dicts of JSON-ready values.
SubjectRows = list[dict[str, Any]]


@dataclass(frozen=True)
class RetentionRule:
    """``apply(today)`` removes what the schedule says is due on ``today`` and returns
    how many rows of this type it deleted or anonymised. A dry run calls it too, inside
    a transaction it rolls back, so there is one definition of "due", not two."""

    record_type: str
    schedule_key: str  # the entry in settings.RETENTION_SCHEDULE it follows
    action: str  # "delete" or "anonymise", shown on the run page
    apply: Callable[[datetime.date], int]

    def cutoff(self, today: datetime.date) -> datetime.date:
        """Records whose clock stopped before this day are due."""
        return today - datetime.timedelta(days=retention_days(self.schedule_key))

    def cutoff_moment(self, today: datetime.date) -> datetime.datetime:
        """The first moment of the cutoff day in local time: a record stamped before it is
        due. The same rows as ``<field>__date__lt=cutoff``, but as a range an index (or a
        table's partitions) can serve; the date of a local time cannot be (a whole-table
        scan of the audit every night: docs/scaling.md)."""
        return timezone.make_aware(datetime.datetime.combine(self.cutoff(today), datetime.time.min))


@dataclass(frozen=True)
class SubjectSection:
    """One record type in a subject access export. ``rows(person_id)`` returns the rows
    held about that person; ``viewed`` names, as ``(object_type, ids)``, the records
    whose audit entries the export includes ("who has seen this")."""

    record_type: str
    title: str
    rows: Callable[[int], SubjectRows]
    audited: Callable[[int], tuple[str, list[Any]]] | None = None


_rules: dict[str, RetentionRule] = {}
_sections: dict[str, SubjectSection] = {}


def retention_days(schedule_key: str) -> int:
    """Days a record type is kept, from settings; a key missing from the schedule is a
    configuration error, not "keep for ever"."""
    schedule: dict[str, int] = settings.RETENTION_SCHEDULE
    if schedule_key not in schedule:
        raise KeyError(f"RETENTION_SCHEDULE has no entry for {schedule_key!r}")
    return schedule[schedule_key]


def register_retention_rule(rule: RetentionRule) -> None:
    """Add, or under the same record type replace (ready() can run twice in tests)."""
    retention_days(rule.schedule_key)  # fail at start on a rule with no schedule entry
    _rules[rule.record_type] = rule


def retention_rules() -> list[RetentionRule]:
    """In the order they must run: dependants first (the reverse of registration)."""
    return list(reversed(_rules.values()))


def register_subject_section(section: SubjectSection) -> None:
    _sections[section.record_type] = section


def subject_sections() -> list[SubjectSection]:
    return list(_sections.values())


def delete_rows(queryset: models.QuerySet[Any]) -> int:
    """Delete and return how many rows of the queryset's own model went (not cascades)."""
    return queryset.delete()[1].get(queryset.model._meta.label, 0)


def purge_history(model: type[models.Model], **filters: Any) -> int:
    """Delete status-history rows, which the app otherwise never removes.

    Event rows refuse ``delete`` on their own manager (history that can be edited is not
    history); the retention job is the one caller allowed past that, through the plain
    base manager, and only for records whose retention period has ended.
    """
    return delete_rows(model._base_manager.filter(**filters))


def value_rows(rows: Iterable[Mapping[str, Any]]) -> SubjectRows:
    """A ``.values()`` queryset as plain dicts, the rows a subject section returns."""
    return [dict(row) for row in rows]

"""FHIR search parameters, read strictly: an unknown parameter or a malformed value is a
400 OperationOutcome rather than silently ignored, so a GP system never mistakes an
unfiltered list for an answer to its question."""

from __future__ import annotations

import dataclasses
import datetime
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from interop import terminology as t
from interop.errors import FhirError
from interop.models import PracticeMessageQuerySet
from referrals import codes
from referrals.models import ReferralQuerySet

# Parameters every search accepts beyond its own.
COMMON = frozenset({"_count", "_format", "_lastUpdated"})
SERVICE_REQUEST = frozenset({"identifier", "patient.identifier", "requester", "status"})
TASK = frozenset({"focus", "owner", "status"})
MESSAGE = frozenset({"patient.identifier", "practice"})
DEFAULT_COUNT = 50
MAX_COUNT = 200
PREFIXES = {"gt": "gt", "ge": "gte", "lt": "lt", "le": "lte", "eq": "eq"}

# FHIR status -> our referral statuses that show as it.
SERVICE_REQUEST_STATUSES: dict[str, set[str]] = {
    "active": set(codes.OPEN_STATUSES),
    "completed": {codes.Status.CLOSED},
    "revoked": {codes.Status.DECLINED, codes.Status.WITHDRAWN},
}
TASK_STATUSES: dict[str, set[str]] = {}
for _ours, _theirs in codes.FHIR_TASK_STATUS.items():
    TASK_STATUSES.setdefault(_theirs, set()).add(_ours)


@dataclasses.dataclass
class Query:
    params: list[tuple[str, str]]


def parse_params(params: Mapping[str, Any], allowed: frozenset[str]) -> Query:
    pairs = [(k, v) for k in params for v in params.getlist(k)]  # type: ignore[attr-defined]
    return _checked(pairs, allowed)


def parse_query_string(text: str, allowed: frozenset[str]) -> Query:
    """``If-None-Exist: identifier=https://gp.example/ids|123`` and the like."""
    return _checked(parse_qsl(text.lstrip("?"), keep_blank_values=True), allowed)


def _checked(pairs: list[tuple[str, str]], allowed: frozenset[str]) -> Query:
    for name, value in pairs:
        if name not in allowed | COMMON:
            raise FhirError(
                f"Search parameter {name!r} is not supported here: use "
                f"{', '.join(sorted(allowed | COMMON))}",
                code="not-supported",
            )
        if not value:
            raise FhirError(f"Search parameter {name!r} needs a value", code="invalid")
    return Query(pairs)


def page_size(params: Mapping[str, Any]) -> int:
    raw = params.get("_count")
    if raw is None:
        return DEFAULT_COUNT
    if not str(raw).isdigit():
        raise FhirError("_count must be a whole number", code="invalid")
    return min(int(raw), MAX_COUNT)


def _token(value: str) -> tuple[str | None, str]:
    """``system|value`` or just ``value``."""
    if "|" in value:
        system, _, code = value.partition("|")
        return system, code
    return None, value


def _instant(value: str) -> tuple[str, datetime.datetime]:
    prefix = value[:2] if value[:2] in PREFIXES else "eq"
    text = value[2:] if value[:2] in PREFIXES else value
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            if day is not None:
                moment = datetime.datetime.combine(day, datetime.time.min)
    except ValueError:
        moment = None
    if moment is None:
        raise FhirError(
            f"_lastUpdated {value!r} is not a date or dateTime (e.g. gt2026-01-05T10:00:00Z)",
            code="invalid",
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return PREFIXES[prefix], moment


def _last_updated(value: str, field: str) -> Q:
    lookup, moment = _instant(value)
    if lookup == "eq":
        return Q(**{field: moment})
    return Q(**{f"{field}__{lookup}": moment})


def _nhs_number_q(value: str, field: str) -> Q:
    system, number = _token(value)
    if system not in (None, t.NHS_NUMBER_SYSTEM):
        raise FhirError("patient.identifier must use the NHS number system", code="invalid")
    return Q(**{field: number.replace(" ", "")})


def _reference_id(value: str, kind: str) -> str:
    return value.removeprefix(f"{kind}/")


def _status_q(value: str, table: dict[str, set[str]], what: str) -> Q:
    statuses: set[str] = set()
    for code in value.split(","):
        if code not in table:
            raise FhirError(
                f"{what} status {code!r} is not one we use: {', '.join(sorted(table))}",
                code="code-invalid",
            )
        statuses |= table[code]
    return Q(status__in=statuses)


def _referral_q(name: str, value: str) -> Q:
    if name == "identifier":
        system, code = _token(value)
        match = Q(sender_identifier_value=code)
        if system is not None:
            match &= Q(sender_identifier_system=system)
        if code.startswith("SRX-") and code[4:].isdigit():
            match |= Q(pk=int(code[4:]))
        return match
    if name == "patient.identifier":
        return _nhs_number_q(value, "person__nhs_number")
    if name == "requester":
        _, code = _token(_reference_id(value, "Organization"))
        return Q(requester_ods_code__iexact=code) | Q(referring_organisation__ods_code__iexact=code)
    if name == "focus":
        ref = _reference_id(value, "ServiceRequest")
        try:
            return Q(uuid=uuid.UUID(ref))
        except ValueError as error:
            raise FhirError("focus must be ServiceRequest/<id>", code="invalid") from error
    if name == "owner":
        _, code = _token(_reference_id(value, "Organization"))
        return Q(assigned_team__ods_code__iexact=code) | Q(triage_service__ods_code__iexact=code)
    if name == "_lastUpdated":
        return _last_updated(value, "updated_at")
    return Q()


def referrals_matching(
    referrals: ReferralQuerySet, query: Query, *, resource: str = "ServiceRequest"
) -> ReferralQuerySet:
    """The caller's referrals (already scoped) that match every parameter (FHIR: AND);
    ``status`` is read in the vocabulary of ``resource`` (ServiceRequest or Task)."""
    table = TASK_STATUSES if resource == "Task" else SERVICE_REQUEST_STATUSES
    for name, value in query.params:
        if name == "status":
            referrals = referrals.filter(_status_q(value, table, resource))
        else:
            referrals = referrals.filter(_referral_q(name, value))
    return referrals.order_by("updated_at", "id")


def messages_matching(messages: PracticeMessageQuerySet, query: Query) -> QuerySet[Any]:
    for name, value in query.params:
        if name == "patient.identifier":
            messages = messages.filter(_nhs_number_q(value, "referral__person__nhs_number"))
        elif name == "practice":
            _, code = _token(_reference_id(value, "Organization"))
            messages = messages.filter(practice__ods_code__iexact=code)
        elif name == "_lastUpdated":
            messages = messages.filter(_last_updated(value, "created_at"))
    return messages.order_by("created_at", "id")

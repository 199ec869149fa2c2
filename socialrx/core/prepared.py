"""Hot queries built once: the ORM writes a query's SQL on first use, and later calls run
that SQL with their own values.

Building SQL is most of what the ORM costs a detail page: 43% of the referral page's
Python time went to turning querysets into SQL, the same SQL on every request with other
ids in it (issue 17). ``Prepared`` takes a function that builds the queryset from its
arguments (ids, or lists of ids), calls it once with stand-in values, and keeps the SQL,
where each stand-in landed among the parameters, and the compiler that knows how to turn
rows into models (``select_related``, annotations). A later call puts its own values in
those places and runs the kept SQL through the queryset's usual iteration, so prefetches
and ``with_organisations`` run as before.

What is kept depends only on the arguments' shape (which are lists, and how long), never
on their values; a list's length is part of the shape because ``IN (...)`` has one
placeholder per item, and an empty list drops its condition altogether. Values that are
not arguments (a status, a flag) are written into the build function and kept as they
are: a build reads nothing that changes between calls (the clock, a setting) except
through its arguments. A stand-in the SQL does not carry exactly once is refused on
first use, so a query whose argument the ORM transforms cannot run with a stale value.

``prefetch`` does what ``prefetch_related`` does for a reverse foreign key, with a
prepared query: for the prefetches a prepared page query leaves out.
"""

from __future__ import annotations

import copy
import itertools
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections, models
from django.db.models.sql.compiler import SQLCompiler

_M = TypeVar("_M", bound=models.Model)
Value = int | uuid.UUID
Argument = Value | Sequence[Value]
# Per argument: its length (None for one value), and whether its values are UUIDs.
Shape = tuple[tuple[int | None, bool], ...]

# Stand-ins for the arguments while the SQL is built: no id is negative, and no UUID
# primary key (version 4, random) has these version bits.
_FIRST_STAND_IN = -(2**52)
_UUID_STAND_IN = 2**127


def _hex(value: Value) -> str:
    assert isinstance(value, uuid.UUID)
    return value.hex


@dataclass(frozen=True)
class _Plan:
    queryset: models.QuerySet[Any]
    compiler: SQLCompiler | None  # None: the ORM found the query cannot match (empty IN)
    sql: str
    # Per SQL parameter: the index of the argument value it takes, or None for a constant.
    slots: tuple[int | None, ...]
    constants: tuple[Any, ...]
    # Per SQL parameter that takes an argument: how the value is written (a UUID as its
    # hex on a database without a UUID type), or None to pass it as it is.
    forms: tuple[Callable[[Value], Any] | None, ...]


def _shape(args: Sequence[Argument]) -> Shape:
    shape: list[tuple[int | None, bool]] = []
    for a in args:
        if isinstance(a, list | tuple):
            shape.append((len(a), bool(a) and isinstance(a[0], uuid.UUID)))
        else:
            shape.append((None, isinstance(a, uuid.UUID)))
    return tuple(shape)


def _flat(args: Sequence[Argument]) -> list[Value]:
    flat: list[Value] = []
    for a in args:
        if isinstance(a, list | tuple):
            flat.extend(v if isinstance(v, uuid.UUID) else int(v) for v in a)
        else:
            flat.append(a if isinstance(a, uuid.UUID) else int(cast(int, a)))
    return flat


class Prepared(Generic[_M]):
    """A queryset whose SQL is built once per argument shape, then run with new values.

    ``build`` takes the arguments (ints or UUIDs, or lists of them) and returns the
    queryset; it must use them only as values compared in the query (``pk=``,
    ``team__in=``)."""

    def __init__(self, build: Callable[..., models.QuerySet[_M]]) -> None:
        self.build = build
        self._plans: dict[Shape, _Plan] = {}

    def __call__(self, *args: Argument) -> list[_M]:
        shape = _shape(args)
        plan = self._plans.get(shape)
        if plan is None:
            plan = self._plans[shape] = self._plan(shape)
        if plan.compiler is None:
            return []
        values = _flat(args)
        params = tuple(
            plan.constants[n]
            if slot is None
            else (values[slot] if form is None else form(values[slot]))
            for n, (slot, form) in enumerate(zip(plan.slots, plan.forms, strict=True))
        )
        return list(_run(plan, params))

    def _plan(self, shape: Shape) -> _Plan:
        counter = itertools.count(_FIRST_STAND_IN)

        def stand_in(is_uuid: bool) -> Value:
            n = next(counter)
            return uuid.UUID(int=_UUID_STAND_IN + n - _FIRST_STAND_IN) if is_uuid else n

        stand_ins: list[Argument] = [
            stand_in(is_uuid) if size is None else [stand_in(is_uuid) for _ in range(size)]
            for size, is_uuid in shape
        ]
        queryset = self.build(*stand_ins)
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return _Plan(queryset, None, "", (), (), ())
        # Where each stand-in landed, as the database backend wrote it.
        where: dict[Any, tuple[int, Callable[[Value], Any] | None]] = {}
        values = _flat(stand_ins)
        for n, value in enumerate(values):
            where[(type(value), value)] = (n, None)
            if isinstance(value, uuid.UUID):
                where[(str, value.hex)] = (n, _hex)
        landed = [
            where.get((type(p), p)) if type(p) in (int, str, uuid.UUID) else None for p in params
        ]
        slots = tuple(None if at is None else at[0] for at in landed)
        forms = tuple(None if at is None else at[1] for at in landed)
        found = sorted(s for s in slots if s is not None)
        if found != list(range(len(values))):
            raise ImproperlyConfigured(
                f"{self.build.__qualname__}: each argument must appear once in the SQL as "
                f"a plain value ({len(found)} of {len(values)} did)"
            )
        constants = tuple(None if s is not None else p for s, p in zip(slots, params, strict=True))
        return _Plan(queryset, compiler, sql, slots, constants, forms)


def prefetch(objs: Sequence[models.Model], name: str, rows_for: Prepared[Any]) -> None:
    """What ``prefetch_related(name)`` does for the reverse foreign key ``name`` of
    ``objs``, with its query prepared: ``rows_for`` takes the objects' ids and returns
    the related rows (``prefetch_query(Model, "fk_name")``)."""
    if not objs:
        return
    rel = type(objs[0])._meta.get_field(name)
    fk = rel.field  # type: ignore[union-attr]
    by_owner: dict[Any, list[models.Model]] = {}
    for row in rows_for([obj.pk for obj in objs]):
        by_owner.setdefault(getattr(row, fk.attname), []).append(row)
    manager = fk.model._default_manager
    for obj in objs:
        related = by_owner.get(obj.pk, [])
        for row in related:
            fk.set_cached_value(row, obj)
        queryset = manager.get_queryset()
        queryset._result_cache = related
        queryset._prefetch_done = True  # type: ignore[union-attr]
        obj.__dict__.setdefault("_prefetched_objects_cache", {})[rel.cache_name] = queryset  # type: ignore[union-attr]


def prefetch_query(queryset: models.QuerySet[_M], fk_name: str) -> Prepared[_M]:
    """The prepared query of a prefetch: ``queryset``'s rows whose ``fk_name`` is among
    the ids given, as Django's prefetch writes it."""
    return Prepared(lambda ids: queryset.filter(**{f"{fk_name}__in": ids}))


def first_of(queryset: models.QuerySet[_M]) -> models.QuerySet[_M]:
    """What ``queryset.first()`` runs, as a queryset to prepare: ordered (by pk when it
    has no ordering of its own), the first row only."""
    return (queryset if queryset.ordered else queryset.order_by("pk"))[:1]


def _run(plan: _Plan, params: tuple[Any, ...]) -> models.QuerySet[Any]:
    """The kept queryset with its compiler answering the kept SQL and these values: the
    queryset's own iteration then reads the rows (models, related models, prefetches)."""
    queryset = _shallow_copy(plan.queryset)
    queryset.query = _shallow_copy(plan.queryset.query)
    queryset._result_cache = None
    queryset._prefetch_done = False
    compiler = copy.copy(plan.compiler)
    assert compiler is not None
    # This thread's connection, not the one of the thread that built the plan.
    compiler.connection = connections[queryset.db]
    compiler.as_sql = lambda *args, **kwargs: (plan.sql, params)  # type: ignore[method-assign]
    queryset.query.get_compiler = lambda *args, **kwargs: compiler
    return queryset


def _shallow_copy(obj: Any) -> Any:
    """A new object sharing the kept one's attributes, none of which iterating changes:
    far cheaper than ``_chain()``, which clones the whole WHERE tree. (``copy.copy`` of
    a queryset would evaluate it.)"""
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    return new

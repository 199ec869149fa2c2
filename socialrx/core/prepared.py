"""Hot queries built once: the ORM writes a query's SQL on first use, and later calls run
that SQL with their own values.

Building SQL is most of what the ORM costs a detail page: 43% of the referral page's
Python time went to turning querysets into SQL, the same SQL on every request with other
ids in it (issue 17). ``Prepared`` takes a function that builds the queryset from its
arguments (ids, lists of ids, filter values, dates), calls it once with stand-in values,
and keeps the SQL, where each stand-in landed among the parameters, and the compiler
that knows how to turn rows into models (``select_related``, annotations). A later call
puts its own values in those places and runs the kept SQL through the queryset's usual
iteration, so prefetches and ``with_organisations`` run as before.

What is kept depends only on the arguments' shape (which are lists, and how long; which
are ints, strings or dates) and on the keyword options, never on their values; a list's
length is part of the shape because ``IN (...)`` has one placeholder per item, and an
empty list drops its condition altogether. Values that are not arguments (a status, a
flag) are written into the build function and kept as they are: a build reads nothing
that changes between calls (the clock, a setting) except through its arguments, and
chooses between queries (a sort, a filter left blank) only by its options. A stand-in
the SQL does not carry is refused on first use, so a query whose argument the ORM
transforms beyond recognition cannot run with a stale value; a string the ORM escapes
into a LIKE pattern (``icontains``) is recognised, and a call's value escaped the same.

A list page takes ``Pages`` to its ``Paginator``: the count, and each page with its
bounds (``LIMIT %s OFFSET %s``) as parameters of one plan. Plans are kept per query up
to ``MAX_PLANS``, the least recently used dropped first.

``prefetch`` does what ``prefetch_related`` does for a reverse foreign key, with a
prepared query: for the prefetches a prepared page query leaves out.
"""

from __future__ import annotations

import contextlib
import copy
import datetime
import itertools
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections, models
from django.db.models import Count
from django.db.models.sql.compiler import SQLCompiler

_M = TypeVar("_M", bound=models.Model)
Argument = int | str | datetime.date | uuid.UUID | Sequence[int] | Sequence[uuid.UUID]
# Per argument: None for an int, its type for a string, a date or a UUID, its length for a
# list of ints, and (length, UUID) for a list of UUIDs.
Kind = int | type | tuple[int, type] | None
Shape = tuple[Kind, ...]
Key = tuple[str, Shape, tuple[tuple[str, Hashable], ...]]

# Stand-ins for the arguments while the SQL is built: no id is negative, and no filter
# value or date is one of these.
_FIRST_STAND_IN = -(2**52)
_FIRST_DAY = datetime.date(1000, 1, 1)
# No UUID primary key (version 4, random) has these version bits.
_FIRST_UUID = 2**127
# A string stand-in holds LIKE's wildcards, so a lookup that escapes its value for LIKE
# (``startswith``, ``icontains``) shows it escaped inside its pattern, and a plain
# comparison shows it as it is: each is told apart, and a call's value treated the same.
_TEXT_STAND_IN = "_%prepared{}%_"
# Plans kept per prepared query: far more than its argument shapes and options in use
# (a list of n ids is n shapes), so a plan is rebuilt only after a run of rare ones.
MAX_PLANS = 128

# How a call's value becomes its SQL parameter.
_AS_IS, _AS_DATE, _IN_LIKE, _AS_HEX = 0, 1, 2, 3


@dataclass(frozen=True)
class _Plan:
    queryset: models.QuerySet[Any]
    compiler: SQLCompiler | None  # None: the ORM found the query cannot match (empty IN)
    sql: str
    # The SQL's parameters with the constants in place; each slot below fills one.
    constants: tuple[Any, ...]
    # (parameter index, argument value index, how, (prefix, suffix) of a LIKE pattern)
    slots: tuple[tuple[int, int, int, tuple[str, str]], ...]

    def params(self, values: Sequence[Any], *extra: Any) -> tuple[Any, ...]:
        params = [*self.constants, *extra]
        if not self.slots:
            return tuple(params)
        ops = connections[self.queryset.db].ops
        for n, index, how, (prefix, suffix) in self.slots:
            value = values[index]
            if how == _AS_DATE:
                value = ops.adapt_datefield_value(value)
            elif how == _IN_LIKE:
                value = f"{prefix}{ops.prep_for_like_query(value)}{suffix}"
            elif how == _AS_HEX:
                value = value.hex
            params[n] = value
        return tuple(params)


def _shape(args: Sequence[Argument]) -> Shape:
    return tuple(_kind(a) for a in args)


def _kind(a: Argument) -> Kind:
    if type(a) is int:
        return None
    if isinstance(a, list | tuple):
        return (len(a), uuid.UUID) if a and isinstance(a[0], uuid.UUID) else len(a)
    if isinstance(a, str):
        return str
    if isinstance(a, uuid.UUID):
        return uuid.UUID
    if isinstance(a, datetime.date) and not isinstance(a, datetime.datetime):
        return datetime.date
    raise TypeError(
        f"a prepared query takes ints, strings, dates, UUIDs or lists of ints or UUIDs, not {a!r}"
    )


def _flat(args: Sequence[Argument]) -> list[Any]:
    flat: list[Any] = []
    for a in args:
        if isinstance(a, list | tuple):
            flat.extend(v if isinstance(v, uuid.UUID) else int(v) for v in a)
        else:
            flat.append(str(a) if isinstance(a, str) else a)
    return flat


def _stand_ins(shape: Shape) -> list[Argument]:
    counter = itertools.count()

    def one(kind: Kind) -> Argument:
        n = next(counter)
        if kind is None:
            return _FIRST_STAND_IN + n
        if kind is str:
            return _TEXT_STAND_IN.format(n)
        if kind is datetime.date:
            return _FIRST_DAY + datetime.timedelta(days=n)
        if kind is uuid.UUID:
            return uuid.UUID(int=_FIRST_UUID + n)
        if isinstance(kind, tuple):
            return [uuid.UUID(int=_FIRST_UUID + next(counter)) for _ in range(kind[0])]
        assert isinstance(kind, int)
        return [_FIRST_STAND_IN + next(counter) for _ in range(kind)]

    return [one(kind) for kind in shape]


class Prepared(Generic[_M]):
    """A queryset whose SQL is built once per argument shape, then run with new values.

    ``build`` takes the arguments (ints, strings, dates, UUIDs, or lists of ints or
    UUIDs) and returns the queryset; it must use them only as values compared in the
    query (``pk=``, ``team__in=``, ``status=``, ``name__icontains=``). Keyword options
    choose between queries (a sort order, which filters apply): each value of them has its plan, so
    they take a few values each, never a user's text."""

    def __init__(self, build: Callable[..., models.QuerySet[_M]]) -> None:
        self.build = build
        self._plans: OrderedDict[Key, _Plan] = OrderedDict()

    def __call__(self, *args: Argument, **options: Hashable) -> list[_M]:
        plan = self._plan_for("rows", args, options)
        if plan.compiler is None:
            return []
        return list(_run(plan, plan.params(_flat(args))))

    def slice(self, offset: int, limit: int, *args: Argument, **options: Hashable) -> list[_M]:
        """The rows from ``offset``, ``limit`` of them: the page's bounds are parameters
        of one plan, where Django would write them into the SQL of each page."""
        plan = self._plan_for("slice", args, options)
        if plan.compiler is None or limit <= 0:
            return []
        return list(_run(plan, plan.params(_flat(args), limit, offset)))

    def count(self, *args: Argument, **options: Hashable) -> int:
        """What ``queryset.count()`` would answer, its SQL built once too."""
        plan = self._plan_for("count", args, options)
        if plan.compiler is None:
            return 0
        with connections[plan.queryset.db].cursor() as cursor:
            cursor.execute(plan.sql, plan.params(_flat(args)))
            row = cursor.fetchone()
        return int(row[0]) if row else 0

    def _plan_for(self, kind: str, args: Sequence[Argument], options: dict[str, Hashable]) -> _Plan:
        key: Key = (kind, _shape(args), tuple(sorted(options.items())) if options else ())
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = self._plan(key)
            if len(self._plans) > MAX_PLANS:
                self._plans.popitem(last=False)
        else:
            # Another thread may have dropped it since: it is kept in hand all the same.
            with contextlib.suppress(KeyError):
                self._plans.move_to_end(key)
        return plan

    def _plan(self, key: Key) -> _Plan:
        kind, shape, options = key
        stand_ins = _stand_ins(shape)
        queryset = self.build(*stand_ins, **dict(options))
        try:
            compiler, sql, params = _count_sql(queryset) if kind == "count" else _rows_sql(queryset)
        except EmptyResultSet:
            return _Plan(queryset, None, "", (), ())
        if kind == "slice":
            sql += " LIMIT %s OFFSET %s"
        slots = tuple(_slots(_flat(stand_ins), params, queryset.db))
        found = {index for _, index, _, _ in slots}
        if len(found) != len(_flat(stand_ins)):
            raise ImproperlyConfigured(
                f"{self.build.__qualname__}: each argument must appear in the SQL as a "
                f"value ({len(found)} of {len(_flat(stand_ins))} did)"
            )
        return _Plan(queryset, compiler, sql, tuple(params), slots)


class Pages(Generic[_M]):
    """A prepared list query with its arguments, for a ``Paginator``: the count and each
    page run the plans, and ``then`` is called with each page's rows (its prefetches)."""

    ordered = True  # the build orders it; the Paginator asks

    def __init__(
        self,
        query: Prepared[_M],
        *args: Argument,
        then: Callable[[list[_M]], None] | None = None,
        **options: Hashable,
    ) -> None:
        self.query, self.args, self.options, self.then = query, args, options, then

    def count(self) -> int:
        return self.query.count(*self.args, **self.options)

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[_M]:
        return iter(self[0 : self.count()])

    @overload
    def __getitem__(self, index: int) -> _M: ...
    @overload
    def __getitem__(self, index: slice) -> list[_M]: ...
    def __getitem__(self, index: int | slice) -> _M | list[_M]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        rows = self.query.slice(start, stop - start, *self.args, **self.options)
        if self.then is not None:
            self.then(rows)
        return rows


def _rows_sql(queryset: models.QuerySet[Any]) -> tuple[SQLCompiler, str, list[Any]]:
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    return compiler, sql, list(params)


def _count_sql(queryset: models.QuerySet[Any]) -> tuple[SQLCompiler, str, list[Any]]:
    """The SQL ``queryset.count()`` runs, written by Django's own ``get_count`` path,
    taken from its compiler instead of run."""
    query = queryset.query.clone()
    written: list[tuple[SQLCompiler, str, list[Any]]] = []

    def get_compiler(using: Any = None, connection: Any = None, elide_empty: bool = True) -> Any:
        compiler = type(query).get_compiler(query, using, connection, elide_empty)

        def execute_sql(*args: Any, **kwargs: Any) -> tuple[int]:
            sql, params = compiler.as_sql()
            written.append((compiler, sql, list(params)))
            return (0,)

        compiler.execute_sql = execute_sql
        return compiler

    query.get_compiler = get_compiler  # type: ignore[method-assign]
    query.get_aggregation(queryset.db, {"__count": Count("*")})
    if not written:
        # Django counted through a subquery of its own (a DISTINCT, an aggregate).
        raise ImproperlyConfigured("a count Django writes as a subquery is not prepared")
    return written[0]


def _slots(
    stand_ins: list[Any], params: list[Any], using: str
) -> list[tuple[int, int, int, tuple[str, str]]]:
    """Where each stand-in landed among the parameters, and how it was written there."""
    ops = connections[using].ops
    exact: dict[Any, tuple[int, int]] = {}
    like: list[tuple[str, int]] = []
    for index, value in enumerate(stand_ins):
        if isinstance(value, datetime.date):
            exact[(datetime.date, value)] = (index, _AS_IS)
            adapted = ops.adapt_datefield_value(value)
            exact[(type(adapted), adapted)] = (index, _AS_DATE)
        elif isinstance(value, uuid.UUID):
            # A native type on PostgreSQL, its hex as text on SQLite.
            exact[(uuid.UUID, value)] = (index, _AS_IS)
            exact[(str, value.hex)] = (index, _AS_HEX)
        else:
            exact[(type(value), value)] = (index, _AS_IS)
            if isinstance(value, str):
                like.append((ops.prep_for_like_query(value), index))
    slots = []
    for n, param in enumerate(params):
        hit = exact.get((type(param), param))
        if hit is not None:
            slots.append((n, hit[0], hit[1], ("", "")))
            continue
        if isinstance(param, str):
            for escaped, index in like:
                prefix, found, suffix = param.partition(escaped)
                if found:
                    slots.append((n, index, _IN_LIKE, (prefix, suffix)))
                    break
    return slots


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

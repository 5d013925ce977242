"""One UNION ALL of ordered, sliced querysets, on both databases.

A page that shows several short lists (the ten newest of this, the twenty latest of that) reads
them in one query: a UNION ALL whose parts are each ordered and cut. Django's
``QuerySet.union`` builds that where the database allows ``(SELECT … ORDER BY … LIMIT n) UNION
ALL (…)`` (PostgreSQL). SQLite's grammar has no ordered or cut member of a compound, and Django
refuses it there — but SQLite takes each part as a subquery, ``SELECT * FROM (…) UNION ALL
SELECT * FROM (…)``. So on SQLite the parts are compiled by Django as usual (scoping, joins,
annotations), joined here, and their rows turned into what iterating Django's union would have
given: model instances with their annotations, tuples, or dicts, each column converted as
Django converts it (SQLite's datetimes are text until then).

The alternative kept before — each part re-reading its rows by id (``pk IN (SELECT … LIMIT
n)``) — compiled every part twice and read the rows twice on every page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    NamedValuesListIterable,
    ValuesIterable,
    ValuesListIterable,
)


def union_all(parts: Sequence[QuerySet]) -> list[Any]:
    """The rows of every part (same model or the same columns), as one query: model instances
    with annotations, tuples or dicts, as iterating ``parts[0].union(*parts[1:], all=True)``
    gives. The parts may be ordered and sliced on either database; the order of the result
    is not defined (sort it)."""
    if not parts:
        return []
    db = parts[0].db
    connection = connections[db]
    if connection.features.supports_slicing_ordering_in_compound or len(parts) == 1:
        return list(parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0])
    compiled = []
    for qs in parts:
        compiler = qs.query.get_compiler(using=db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # e.g. pk__in=[]: Django's union leaves such a part out too
            continue
        compiled.append((compiler, sql, params))
    if not compiled:
        return []
    sql = " UNION ALL ".join(f"SELECT * FROM ({part})" for _c, part, _p in compiled)
    params = [value for _c, _s, part_params in compiled for value in part_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        raw = cursor.fetchall()
    first = compiled[0][0]  # compiled: its select, converters and model layout apply to all
    columns = [expression for expression, _sql, _alias in first.select[: first.col_count]]
    converters = first.get_converters(columns)
    rows = list(first.apply_converters(raw, converters)) if converters else [list(r) for r in raw]
    return _shaped(parts[0], first, rows, db)


def _shaped(qs: QuerySet, compiler, rows: list[list], db: str) -> list[Any]:
    iterable = qs._iterable_class
    if iterable is ModelIterable:
        return _instances(qs, compiler, rows, db)
    names = [alias or expression.target.attname for expression, _s, alias in compiler.select]
    if iterable is ValuesIterable:
        return [dict(zip(names, row, strict=True)) for row in rows]
    wanted = list(qs._fields) if qs._fields else names
    positions = [names.index(name) for name in wanted]
    if iterable is FlatValuesListIterable:
        return [row[positions[0]] for row in rows]
    if iterable is ValuesListIterable:
        return [tuple(row[i] for i in positions) for row in rows]
    if iterable is NamedValuesListIterable:  # not used by Kabinet; said plainly if it ever is
        raise NotImplementedError("union_all: named values_list() parts are not supported")
    raise NotImplementedError(f"union_all: {iterable.__name__} parts are not supported")


def _instances(qs: QuerySet, compiler, rows: list[list], db: str) -> list[Any]:
    klass_info = compiler.klass_info
    if klass_info.get("related_klass_infos"):
        raise NotImplementedError("union_all: select_related() parts are not supported")
    select_fields = klass_info["select_fields"]
    start, end = select_fields[0], select_fields[-1] + 1
    init_list = [column[0].target.attname for column in compiler.select[start:end]]
    annotations = compiler.annotation_col_map.items()
    out = []
    for row in rows:
        obj = qs.model.from_db(db, init_list, row[start:end])
        for name, position in annotations:
            setattr(obj, name, row[position])
        out.append(obj)
    return out

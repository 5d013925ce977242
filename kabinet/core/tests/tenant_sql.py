"""Which SQL statements read or write tenant rows without naming the tenant (test helper).

A *tenant table* is the table of a model with a foreign key to ``Agency`` (it has an
``agency_id`` column: in Citus it is distributed by it), or of a model that reaches one only
through foreign keys (no ``agency_id`` of its own: its rows belong to an agency through a parent).
A statement that touches a tenant table must name the agency: a comparison of an ``agency_id``
column (or ``core_agency.id``) with a value, anywhere in it — in its WHERE, in a JOIN's ON, or in
a subquery it reads through (``project_id IN (SELECT id FROM clients_project WHERE agency_id =
%s)``). Statements are parsed with sqlglot, not matched with regular expressions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import sqlglot
from django.apps import apps
from django.db import models
from sqlglot import exp

AGENCY_TABLE = "core_agency"


@dataclass(frozen=True)
class Tables:
    direct: frozenset[str]  # have agency_id
    through: frozenset[str]  # belong to an agency through a parent, no agency_id of their own

    @property
    def tenant(self) -> frozenset[str]:
        return self.direct | self.through


@cache
def tenant_tables() -> Tables:
    from kabinet.core.models import Agency

    every = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed]
    direct = {
        m
        for m in every
        if any(
            isinstance(f, models.ForeignKey) and f.related_model is Agency
            for f in m._meta.concrete_fields
        )
    }
    through: set[type[models.Model]] = set()
    changed = True
    while changed:  # reached through a non-null foreign key to a tenant model
        changed = False
        for m in every:
            if m in direct or m in through or m is Agency:
                continue
            for f in m._meta.concrete_fields:
                if (
                    isinstance(f, models.ForeignKey)
                    and not f.null
                    and (f.related_model in direct or f.related_model in through)
                ):
                    through.add(m)
                    changed = True
                    break
    return Tables(
        frozenset(m._meta.db_table for m in direct),
        frozenset(m._meta.db_table for m in through),
    )


@dataclass(frozen=True)
class Allowed:
    """A statement over ``table`` filtered by ``column`` = a value is legitimately global."""

    table: str
    column: str
    reason: str


@dataclass
class Finding:
    sql: str
    tables: list[str]
    where: str  # the page or job that ran it
    allowed: Allowed | None = None
    shape: str = ""  # what the statement does, the same on SQLite and PostgreSQL


SKIP_PREFIXES = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK", "BEGIN", "COMMIT", "PRAGMA", "SET ")


def parse(sql: str, vendor: str) -> exp.Expression | None:
    text = sql.strip()
    if text.upper().startswith(SKIP_PREFIXES):
        return None
    dialect = "postgres" if vendor == "postgresql" else "sqlite"
    # A parameter becomes a string literal: sqlglot reads `'?'::regconfig` where `?::` fails.
    return sqlglot.parse_one(text.replace("%s", "'?'"), read=dialect)


def _is_value(node: exp.Expression) -> bool:
    if isinstance(node, exp.Paren | exp.Cast):
        return _is_value(node.this)
    return isinstance(node, exp.Placeholder | exp.Literal | exp.Parameter)


def _conditions(tree: exp.Expression) -> list[exp.Expression]:
    """The comparisons that choose rows: inside WHERE and JOIN ... ON clauses (of the statement
    and of its subqueries), not those in a SELECT list or an UPDATE's SET."""
    found = []
    for clause in tree.find_all(exp.Where, exp.Join):
        scope = clause.args.get("on") if isinstance(clause, exp.Join) else clause
        if scope is not None:
            found.extend(scope.find_all(exp.EQ, exp.In))
    return found


def _aliases(tree: exp.Expression) -> dict[str, str]:
    """alias or table name -> table name, for every table in the statement."""
    out = {}
    for table in tree.find_all(exp.Table):
        out[table.name] = table.name
        if table.alias:
            out[table.alias] = table.name
    return out


def _column_key(column: exp.Column, aliases: dict[str, str]) -> tuple[str | None, str]:
    return aliases.get(column.table, column.table or None), column.name


def _is_agency_column(column: exp.Expression, aliases: dict[str, str]) -> bool:
    if not isinstance(column, exp.Column):
        return False
    table, name = _column_key(column, aliases)
    return name == "agency_id" or (table == AGENCY_TABLE and name == "id")


def _filters(tree: exp.Expression, aliases: dict[str, str]) -> set[tuple[str | None, str]]:
    """(table, column) pairs compared with a value (=, IN (values), IN (subquery))."""
    found = set()
    for node in _conditions(tree):
        if isinstance(node, exp.EQ):
            left, right = node.this, node.expression
            for a, b in ((left, right), (right, left)):
                if isinstance(a, exp.Column) and _is_value(b):
                    found.add(_column_key(a, aliases))
        else:
            target = node.this
            if isinstance(target, exp.Column):
                values = node.expressions
                query = node.args.get("query")
                if (values and all(_is_value(v) for v in values)) or query is not None:
                    found.add(_column_key(target, aliases))
    return found


def names_the_agency(tree: exp.Expression) -> bool:
    aliases = _aliases(tree)
    for node in _conditions(tree):
        if isinstance(node, exp.EQ):
            for a, b in ((node.this, node.expression), (node.expression, node.this)):
                if _is_agency_column(a, aliases) and _is_value(b):
                    return True
        elif _is_agency_column(node.this, aliases):
            values = node.expressions
            if values and all(_is_value(v) for v in values):
                return True
            query = node.args.get("query")
            if query is not None and names_the_agency(query):
                return True
    return False


def check(sql: str, vendor: str, where: str, allow: list[Allowed]) -> Finding | None:
    """A Finding when ``sql`` touches a tenant table without naming the agency, else None."""
    try:
        tree = parse(sql, vendor)
    except sqlglot.errors.ParseError as exc:  # shown by the test, never skipped
        return Finding(sql, [], where, shape=f"UNPARSED {str(exc)[:200]}")
    if tree is None or isinstance(tree, exp.Insert):
        return None  # an INSERT carries its row's agency_id (or its parent's id) as a value
    tables = sorted({t.name for t in tree.find_all(exp.Table)} & tenant_tables().tenant)
    if not tables or names_the_agency(tree):
        return None
    filters = _filters(tree, _aliases(tree))
    shape = describe(tree, tables, filters)
    for rule in allow:
        if rule.table in tables and (rule.table, rule.column) in filters:
            return Finding(sql, tables, where, allowed=rule, shape=shape)
    return Finding(sql, tables, where, shape=shape)


def describe(tree: exp.Expression, tables: list[str], filters) -> str:
    """``"SELECT timeline_event by timeline_event.project_id"``: the statement's kind, the tenant
    tables it touches and the columns it compares with values (sorted), stable across databases
    and across the values themselves."""
    kind = type(tree).__name__.upper()
    by = sorted(f"{t}.{c}" if t else c for t, c in filters)
    return f"{kind} {','.join(tables)}" + (f" by {','.join(by)}" if by else " (all rows)")

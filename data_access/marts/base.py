"""What a mart is (:class:`Mart`), the filter dimensions a question can carry, and the SQL
helpers the marts' builds and data tests share.

A mart module (``data_access/marts/<name>.py``) holds one :class:`Mart`: the table it writes,
its grain, what it is built from, how it is built, its data tests and which filter dimensions it
can answer. ``data_access.marts`` registers them in build order and routes every reader's
"mart or facts" question (:func:`data_access.marts.can_answer`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from analytics import rules
from data_access import schema

# One data test: its failure message and the statement counting the offending rows.
Check = tuple[str, Callable[[], sa.Select]]

# The filter dimensions a reader's question can carry beyond month and window (every mart has a
# month column). A mart answers a question when it answers every dimension the question carries.
SCOPE = "scope"  # the viewer sees part of the province: some prefectures, cooperatives, branches
OWN_BOOK = "own_book"  # the viewer sees only their own customers (a wealth manager)
ORG = "org"  # an organisation filter: prefectures, cooperatives or branches
TIER = "tier"  # a tier filter
SEGMENT = "segment"  # a segment filter: occupation, industry, age band, gender, risk grade, ...
DIMENSIONS: tuple[str, ...] = (SCOPE, OWN_BOOK, ORG, TIER, SEGMENT)

# What a mart cut by branch and tier answers: any scope of branches, organisation and tier filters.
BY_BRANCH_AND_TIER: frozenset[str] = frozenset({SCOPE, ORG, TIER})
# What a province-wide mart answers: nothing but the whole province, unfiltered.
WHOLE_PROVINCE: frozenset[str] = frozenset()


def _no_checks() -> Iterable[Check]:
    return ()


@dataclass(frozen=True)
class Mart:
    """One derived table of the warehouse (or a group of tables written by one build).

    ``build`` runs inside the refresh transaction on a connection; ``score`` (the model-scored
    marts) runs after it on the build's engine, ``score(engine, train)`` returning its timings.
    A mart has exactly one of the two. A scored mart whose inputs are only the loaded facts
    (not other marts) may also give ``prepare``: ``prepare(engine, train)`` does the part that
    needs no mart (the churn model's training) in a thread while the SQL marts build, and returns
    the step that scores and writes the mart after them (``finish(engine)`` returning the
    timings); refresh then uses it instead of ``score``, for the same rows.
    """

    table: sa.Table
    grain: tuple[str, ...]
    depends_on: tuple[str, ...]
    answers: frozenset[str]
    questions: str
    build: Callable[[Connection], None] | None = None
    score: Callable[[Engine, bool], Mapping[str, float]] | None = None
    prepare: Callable[[Engine, bool], Callable[[Engine], Mapping[str, float]]] | None = None
    checks: Callable[[], Iterable[Check]] = _no_checks
    also_writes: tuple[sa.Table, ...] = ()

    def __post_init__(self) -> None:
        if (self.build is None) == (self.score is None):
            raise ValueError(f"{self.table.name}: give a mart either build or score")
        if self.prepare is not None and self.score is None:
            raise ValueError(f"{self.table.name}: prepare goes with score")
        unknown = set(self.answers) - set(DIMENSIONS)
        if unknown:
            raise ValueError(f"{self.table.name}: unknown dimensions {sorted(unknown)}")
        missing = [c for c in self.grain if c not in self.table.c]
        if missing:
            raise ValueError(f"{self.table.name}: grain columns {missing} are not in the table")

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def tables(self) -> tuple[sa.Table, ...]:
        return (self.table, *self.also_writes)


# ---------------------------------------------------------------- SQL the builds share


def tier_rank(column: sa.ColumnElement) -> sa.ColumnElement:
    return sa.case({t.code: t.rank for t in rules.TIERS}, value=column, else_=-1)


def sum_when(condition: sa.ColumnElement, value: sa.ColumnElement) -> sa.ColumnElement:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, value), else_=0.0)), 0.0)


def count_when(condition: sa.ColumnElement) -> sa.ColumnElement:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def insert(conn: Connection, table: sa.Table, select: sa.Select) -> None:
    """Write ``select``'s rows into ``table``, column by column name."""
    conn.execute(table.insert().from_select([c.name for c in select.selected_columns], select))


# ---------------------------------------------------------------- SQL the data tests share


def open_customers_per_month() -> sa.Subquery:
    """Open customers per month (``month_start``, ``n``), from mart_branch_month_tier."""
    m = schema.mart_branch_month_tier.c
    return (
        sa.select(m.month_start, sa.func.sum(m.count_customers).label("n"))
        .group_by(m.month_start)
        .subquery("open_per_month")
    )


def count_rows(stmt: sa.Select) -> sa.Select:
    return sa.select(sa.func.count()).select_from(stmt.subquery())


def listed_unlike_counted(
    listing: sa.Table, counting: sa.Table, keys: tuple[str, ...], counted: sa.ColumnElement
) -> sa.Select:
    """How many ``keys`` groups of ``counting`` sum ``counted`` to another number than the rows
    ``listing`` has for them (a list mart against the count mart it details)."""
    summed = (
        sa.select(*[counting.c[k] for k in keys], sa.func.sum(counted).label("n"))
        .group_by(*[counting.c[k] for k in keys])
        .subquery("counted")
    )
    listed = (
        sa.select(*[listing.c[k] for k in keys], sa.func.count().label("n"))
        .group_by(*[listing.c[k] for k in keys])
        .subquery("listed")
    )
    return (
        sa.select(sa.func.count())
        .select_from(summed.outerjoin(listed, sa.and_(*[listed.c[k] == summed.c[k] for k in keys])))
        .where(sa.func.coalesce(listed.c.n, 0) != summed.c.n)
    )

"""The marts: one module per mart (its table, grain, sources, build, data tests and the filter
dimensions it answers), registered here in build order, and the one router that tells a reader
whether a mart answers its question or the facts must (:func:`can_answer`).

The registry finds the marts by itself: every module of this package but :data:`HELPERS`
declares one ``MART`` (:func:`discover`). Refresh builds :data:`MARTS` in dependency order, the
data tests run each mart's checks, and tests/test_docs.py holds docs/warehouse.md to the
registry. A new mart is its table in ``data_access.schema`` and its module here: nothing else
registers it.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import sqlalchemy as sa

from data_access import schema
from data_access.filters import Filters
from data_access.marts.base import (
    DIMENSIONS,
    ORG,
    OWN_BOOK,
    SCOPE,
    SEGMENT,
    TIER,
    Check,
    Mart,
)

if TYPE_CHECKING:
    from data_access.segments import SegmentFilters
    from data_access.viewer import Viewer


class MartRegistryError(ValueError):
    """A module of the marts package declares no mart, a mart depends on a table that is neither
    a source table nor a registered mart, two marts write the same table, or the dependencies
    form a cycle."""


# The modules of this package that hold what the marts share rather than a mart.
HELPERS: frozenset[str] = frozenset({"base"})


def discover(
    path: Sequence[str] | None = None, package: str = __name__, helpers: Iterable[str] = HELPERS
) -> tuple[Mart, ...]:
    """The ``MART`` of every module of ``package`` (found on ``path``, default: this package's
    directory) but ``helpers`` and private modules (``_name``), in module-name order; raises
    :class:`MartRegistryError` for a module without a ``MART`` or whose ``MART`` is not a
    :class:`Mart`."""
    if path is None:
        path = __path__
    helpers = set(helpers)
    found: list[Mart] = []
    for info in sorted(pkgutil.iter_modules(path), key=lambda i: i.name):
        if info.name in helpers or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package}.{info.name}")
        mart = getattr(module, "MART", None)
        if not isinstance(mart, Mart):
            raise MartRegistryError(
                f"{module.__name__} declares no MART (a data_access.marts.base.Mart): every "
                f"module of {package} is a mart, except the helpers {sorted(helpers)}"
            )
        found.append(mart)
    return tuple(found)


def ordered(marts: Iterable[Mart], sources: Iterable[str] | None = None) -> tuple[Mart, ...]:
    """``marts`` in an order that builds every mart after the marts it depends on (declaration
    order among the independent ones); raises :class:`MartRegistryError` for a dependency that
    does not exist or a cycle. ``sources``: the table names that are not built (default: the
    source tables of ``data_access.schema``)."""
    marts = tuple(marts)
    if sources is None:
        sources = [t.name for t in schema.SOURCE_TABLES]
    sources = set(sources)
    owner: dict[str, Mart] = {}
    for mart in marts:
        for table in mart.tables:
            if table.name in owner or table.name in sources:
                raise MartRegistryError(f"{table.name} is written by two marts (or is a source)")
            owner[table.name] = mart
    needs: dict[str, set[str]] = {}
    for mart in marts:
        missing = [d for d in mart.depends_on if d not in owner and d not in sources]
        if missing:
            raise MartRegistryError(
                f"{mart.name} depends on {', '.join(missing)}: neither a source table nor a "
                "registered mart"
            )
        needs[mart.name] = {owner[d].name for d in mart.depends_on if d in owner} - {mart.name}
    done: list[Mart] = []
    built: set[str] = set()
    while len(done) < len(marts):
        ready = [m for m in marts if m.name not in built and needs[m.name] <= built]
        if not ready:
            stuck = sorted(m.name for m in marts if m.name not in built)
            raise MartRegistryError(f"the dependencies of {', '.join(stuck)} form a cycle")
        done.append(ready[0])
        built.add(ready[0].name)
    return tuple(done)


# Every mart of the package, each after the marts it is built from.
MARTS: tuple[Mart, ...] = ordered(discover())

_BY_TABLE: dict[str, Mart] = {t.name: m for m in MARTS for t in m.tables}


def mart_of(table: str) -> Mart:
    """The mart that writes ``table`` (a table name)."""
    try:
        return _BY_TABLE[table]
    except KeyError:
        raise KeyError(f"{table} is not written by a registered mart") from None


def question_dimensions(
    viewer: Viewer, filters: Filters | None = None, segment: SegmentFilters | None = None
) -> frozenset[str]:
    """The filter dimensions a reader's question carries: the viewer's scope, the organisation
    and tier filters, the segment filter."""
    filters = filters or Filters()
    carried = set()
    scope = viewer.role_info.scope_level
    if scope == "own_customers":
        carried.add(OWN_BOOK)
    elif scope != "all":
        carried.add(SCOPE)
    if filters.prefecture_ids or filters.cooperative_ids or filters.branch_ids:
        carried.add(ORG)
    if filters.tiers:
        carried.add(TIER)
    if segment is not None and not segment.is_empty():
        carried.add(SEGMENT)
    return frozenset(carried)


def can_answer(
    mart: Mart | sa.Table | str,
    viewer: Viewer,
    filters: Filters | None = None,
    segment: SegmentFilters | None = None,
) -> bool:
    """Whether ``mart`` (or the mart writing the table ``mart``, given or named) answers the
    question of ``viewer`` within ``filters`` and ``segment``: it answers every dimension the
    question carries. Whether it holds the month asked for is the reader's to check."""
    if isinstance(mart, sa.Table):
        mart = mart.name
    if isinstance(mart, str):
        mart = mart_of(mart)
    return question_dimensions(viewer, filters, segment) <= mart.answers


def all_checks() -> list[Check]:
    """Every mart's data tests, in build order."""
    return [check for mart in MARTS for check in mart.checks()]


__all__ = [
    "DIMENSIONS",
    "MARTS",
    "Mart",
    "MartRegistryError",
    "all_checks",
    "can_answer",
    "discover",
    "mart_of",
    "ordered",
    "question_dimensions",
]

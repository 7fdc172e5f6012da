"""The viewer's scope, applied to every warehouse table wherever a statement uses it.

:func:`apply_scope` replaces each warehouse table in a statement (in FROM, joins and subqueries
alike) by the same table filtered to the viewer's rows (a table the viewer sees whole, e.g. any
table for an executive, is left as it is: there is nothing to filter). Query functions therefore
cannot forget the scope, and a table that cannot be scoped for a role yields no rows (default
deny).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement, Select, visitors
from sqlalchemy.sql.elements import ColumnClause, TextClause, True_
from sqlalchemy.sql.selectable import Alias, TableClause
from sqlalchemy.sql.util import ClauseAdapter

from data_access import schema
from data_access.viewer import Viewer

_DENY = sa.false()


_PARENT_KEYS = {"dim_cooperative": "cooperative_id", "dim_prefecture": "prefecture_id"}


class ScopeError(ValueError):
    """A statement the scope cannot vouch for (raw SQL, or a table outside the warehouse schema).

    Refused rather than run: a table the scope does not know would be read unfiltered.
    """


def row_filter(viewer: Viewer, table: sa.Table) -> ColumnElement:
    """The WHERE condition that limits ``table`` to what ``viewer`` may see."""
    level = viewer.role_info.scope_level
    cols = table.c
    if level == "all":
        return sa.true()
    if level == "none":
        return _DENY
    if level in ("prefecture", "cooperative", "branch"):
        key = {
            "prefecture": ("prefecture_id", viewer.prefecture_id),
            "cooperative": ("cooperative_id", viewer.cooperative_id),
            "branch": ("branch_id", viewer.branch_id),
        }[level]
        column_name, value = key
        if value is None:
            return _DENY
        if column_name in cols:
            return cols[column_name] == value
        if "branch_id" in cols:
            branches = sa.select(schema.dim_branch.c.branch_id).where(
                schema.dim_branch.c[column_name] == value
            )
            return cols["branch_id"].in_(branches)
        # The cooperative and prefecture above the viewer's own units (e.g. a branch head sees
        # the names of their own cooperative and prefecture, nothing else of them).
        parent_key = _PARENT_KEYS.get(table.name)
        if parent_key is not None:
            parents = sa.select(schema.dim_branch.c[parent_key]).where(
                schema.dim_branch.c[column_name] == value
            )
            return cols[parent_key].in_(parents)
        return _DENY
    if level == "own_customers":
        staff = viewer.staff_id
        if staff is None:
            return _DENY
        if "rm_staff_id" in cols:
            return cols["rm_staff_id"] == staff
        if "customer_id" in cols:
            own = sa.select(schema.dim_customer.c.customer_id).where(
                schema.dim_customer.c.rm_staff_id == staff
            )
            return cols["customer_id"].in_(own)
        if table is schema.dim_staff:
            return cols["staff_id"] == staff
        if "staff_id" in cols:
            return cols["staff_id"] == staff
        if table in (schema.dim_branch, schema.dim_cooperative, schema.dim_prefecture):
            home = sa.select(schema.dim_staff.c.branch_id).where(
                schema.dim_staff.c.staff_id == staff
            )
            if table is schema.dim_branch:
                return cols["branch_id"].in_(home)
            parent = "cooperative_id" if table is schema.dim_cooperative else "prefecture_id"
            parents = sa.select(schema.dim_branch.c[parent]).where(
                schema.dim_branch.c.branch_id.in_(home)
            )
            return cols[parent].in_(parents)
        return _DENY
    return _DENY


# Tables that describe products, the build or a model carry no customer or branch data: everyone
# sees them. mart_propensity_model describes the province-wide propensity models (AUC, sample
# sizes, holder rate in the training sample), one row per product line.
_UNSCOPED = frozenset({"dim_product", "meta_warehouse", "meta_load", "mart_propensity_model"})


def visible_rows(viewer: Viewer, table: sa.Table) -> ColumnElement:
    """The condition on ``table``'s rows that ``viewer`` sees through :func:`apply_scope`:
    :func:`row_filter`, or every row of a table everyone sees (``_UNSCOPED``).

    The one definition of a viewer's part of the warehouse: ``apply_scope`` filters by it, and
    the scope meta-test (tests/test_scope_meta.py) prunes its per-viewer copies by it.
    """
    if table.name in _UNSCOPED:
        return sa.true()
    return row_filter(viewer, table)


def _check_element(element: object) -> None:
    """Raise :class:`ScopeError` for anything that could read rows the scope cannot filter."""
    if isinstance(element, TextClause):
        raise ScopeError("Raw SQL text cannot be scoped: build the statement with schema tables")
    if isinstance(element, TableClause):
        if not isinstance(element, sa.Table) or element.metadata is not schema.metadata:
            raise ScopeError(
                f"Table {element.name!r} is not a warehouse table of data_access.schema"
            )
    elif (
        isinstance(element, ColumnClause)
        and not isinstance(element, sa.Column)
        and element.table is None
        and not (element.is_literal and element.name == "*")
    ):
        # sa.column()/sa.literal_column() with no table would resolve against any FROM and escape
        # the masking of personal data by source column. Subquery columns have a table; the
        # literal "*" is what count() and exists() render (a selected "*" is refused by masking).
        raise ScopeError(f"Free-standing column {element.name!r}: select columns of schema tables")


def apply_scope(viewer: Viewer, stmt: Select) -> Select:
    """Return ``stmt`` with every warehouse table replaced by its scoped rows.

    Raises :class:`ScopeError` for raw SQL text, tables that are not in ``schema.metadata`` and
    free-standing columns: default deny covers what the scope cannot see into.
    """
    used = set()
    aliases: list[Alias] = []
    for element in visitors.iterate(stmt):
        _check_element(element)
        if isinstance(element, sa.Table):
            used.add(element)
        elif isinstance(element, Alias) and isinstance(element.element, sa.Table):
            aliases.append(element)
    if aliases:
        stmt = _scope_aliases(viewer, stmt, aliases)
    adapter: ClauseAdapter | None = None
    for table in schema.metadata.sorted_tables:
        if table not in used:
            continue
        condition = visible_rows(viewer, table)
        if isinstance(condition, True_):
            continue  # every row (the whole province): nothing to filter, no subquery to add
        scoped = ClauseAdapter(sa.select(table).where(condition).subquery(table.name))
        adapter = scoped if adapter is None else adapter.chain(scoped)
    # One copy of the statement replaces every scoped table (chained adapters), instead of one
    # copy per table: a page's statement joins up to six tables (3.9 s -> 1.7 s of CPU for the
    # 522 statements of three roles' query functions).
    return stmt if adapter is None else adapter.traverse(stmt)


def _scope_aliases(viewer: Viewer, stmt: Select, aliases: list[Alias]) -> Select:
    """Replace each alias of a warehouse table (a self-join's ``cur`` and ``prev``) by the scoped
    rows under the same name; the tables pass that follows would not see through an alias.
    """
    scoped = {}
    for alias in aliases:
        table = alias.element
        condition = visible_rows(viewer, table)
        if isinstance(condition, True_):
            continue  # nothing to filter, as for the table itself
        scoped[alias] = sa.select(table).where(condition).subquery(alias.name)
    if not scoped:
        return stmt

    def replace(element: object) -> object | None:
        if isinstance(element, Alias) and element in scoped:
            return scoped[element]
        table = getattr(element, "table", None)
        if isinstance(element, ColumnClause) and table in scoped:
            return scoped[table].c[element.key]
        return None

    return visitors.replacement_traverse(stmt, {}, replace)

"""The global filters every page shares (period, organisation, tier), as one value object."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement

from data_access import schema


@dataclass(frozen=True)
class Filters:
    """Filters from the sidebar / URL. Empty tuples mean "all that the viewer may see"."""

    month: date | None = None  # the month being looked at (first day); None = latest
    months_back: int = 12  # length of trend windows ending at ``month``
    prefecture_ids: tuple[int, ...] = field(default_factory=tuple)
    cooperative_ids: tuple[int, ...] = field(default_factory=tuple)
    branch_ids: tuple[int, ...] = field(default_factory=tuple)
    tiers: tuple[str, ...] = field(default_factory=tuple)


def org_condition(filters: Filters, branch_column: ColumnElement) -> ColumnElement:
    """Limit a ``branch_id`` column to the prefectures, cooperatives and branches chosen."""
    conditions = []
    b = schema.dim_branch.c
    if filters.branch_ids:
        conditions.append(branch_column.in_(filters.branch_ids))
    if filters.cooperative_ids:
        conditions.append(
            branch_column.in_(
                sa.select(b.branch_id).where(b.cooperative_id.in_(filters.cooperative_ids))
            )
        )
    if filters.prefecture_ids:
        conditions.append(
            branch_column.in_(
                sa.select(b.branch_id).where(b.prefecture_id.in_(filters.prefecture_ids))
            )
        )
    return sa.and_(sa.true(), *conditions)


def tier_condition(filters: Filters, tier_column: ColumnElement) -> ColumnElement:
    if not filters.tiers:
        return sa.true()
    return tier_column.in_(filters.tiers)

"""The wealth-manager league as shown on the Hongyan page and on My branch: one definition.

The Hongyan page compares managers across branches (branch, customers, watchlist and readiness
columns); My branch shows its own managers, so it leaves those out.
"""

from __future__ import annotations

import pandas as pd

from analytics import scorecard_rules as sr
from ui.i18n import name_of
from ui.tables import Column


def level_names(lang: str) -> dict[int, str]:
    """Hongyan level -> its name in ``lang``."""
    return {h.level: name_of(h, lang) for h in sr.HONGYAN_LEVELS}


def with_labels(league: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The league with its level name and "targets met / assessed" text added."""
    met = zip(league["count_targets_met"], league["count_targets_assessed"], strict=True)
    return league.assign(
        level_name=league["hongyan_level"].map(level_names(lang)),
        targets_met=[f"{m}/{a}" for m, a in met],
    )


# Every column of the league, in order; the ones that compare branches' managers are left out
# of a single branch's league (My branch).
_COLUMNS: tuple[Column, ...] = (
    Column("rank", "sc.col_rank", "count", "sc.col_wm_rank_help"),
    Column("full_name", "sc.col_manager", "text"),
    Column("branch_name", "sc.col_branch", "text"),
    Column("level_name", "sc.col_level", "text", "sc.col_level_help"),
    Column("aum_rmb", "sc.col_aum_managed", "money", "sc.col_aum_managed_help"),
    Column("aum_growth_pct", "sc.col_aum_growth", "signed_pct", "sc.col_wm_growth_help"),
    Column("count_customers", "sc.col_customers", "count", "sc.col_customers_help"),
    Column("sales_rmb", "sc.col_sales", "money", "sc.col_sales_help"),
    Column("count_products_sold", "sc.col_products", "count", "sc.col_products_help"),
    Column("count_contacted", "sc.col_contacted", "count", "sc.col_contacted_help"),
    Column("count_watchlist", "sc.col_watchlist", "count", "sc.col_watchlist_help"),
    Column("watchlist_coverage_pct", "sc.col_coverage", "pct", "sc.col_coverage_help"),
    Column("targets_met", "sc.col_targets_met", "text", "sc.col_targets_met_help"),
    Column("ready", "sc.col_ready", "text", "sc.kpi_ready_help"),
)
_ACROSS_BRANCHES_ONLY = frozenset({"branch_name", "count_customers", "count_watchlist", "ready"})


def columns(across_branches: bool) -> list[Column]:
    """The league's columns; ``across_branches`` adds those that compare branches' managers."""
    return [c for c in _COLUMNS if across_branches or c.name not in _ACROSS_BRANCHES_ONLY]

"""One branch in one month, gathered once for the My branch page and the monthly report.

:func:`gather` reads through the data layer (scoped by the viewer) and computes with the
analytics modules; it never touches Streamlit, so the report command runs it too. The page
passes cached query functions (``ui.scorecard_common``), the command the plain ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import ModuleType, SimpleNamespace

import pandas as pd

from analytics import hongyan
from analytics import scorecards as calc
from data_access import branch as branch_q
from data_access import catalog
from data_access import scorecards as score_q
from data_access.filters import Filters
from data_access.viewer import Viewer


@dataclass(frozen=True)
class BranchSummary:
    """Everything the one-screen view and the report show about a branch."""

    branch_id: int
    branch_name_en: str
    branch_name_zh: str
    cooperative_name_en: str
    cooperative_name_zh: str
    month: pd.Timestamp
    totals: pd.DataFrame  # this branch, one row per month
    targets: pd.DataFrame  # target card rows (both periods)
    league: pd.DataFrame  # wealth managers of the branch
    watchlist: pd.DataFrame | None  # one row, or None without churn scores
    six_s_latest: pd.Series | None  # latest scored inspection
    six_s_rows: pd.DataFrame  # its area rows
    six_s_peer_mean: pd.Series | None  # mean S scores of the cooperative's branches
    service: pd.DataFrame  # indexed service months of the cooperative's branches
    service_rank: pd.Series | None  # this branch's ranked row for the month
    count_peers: int

    def name(self, lang: str) -> str:
        return self.branch_name_zh if lang == "zh" else self.branch_name_en

    def cooperative(self, lang: str) -> str:
        return self.cooperative_name_zh if lang == "zh" else self.cooperative_name_en


def plain_queries() -> SimpleNamespace:
    """The uncached query functions (for the command line)."""
    return SimpleNamespace(
        org_units=catalog.org_units,
        six_s_rows=score_q.six_s_rows,
        service_months=score_q.service_months,
        branch_months=score_q.branch_months,
        target_card=score_q.target_card,
        wealth_managers=branch_q.wealth_managers,
        staff_books=branch_q.staff_books,
        staff_sales=branch_q.staff_sales,
        contacts_by_staff=branch_q.contacts_by_staff,
        watchlist_by_branch=branch_q.watchlist_by_branch,
        watchlist_by_manager=branch_q.watchlist_by_manager,
    )


def gather(
    viewer: Viewer, branch_id: int, month: dt.date, q: SimpleNamespace | ModuleType | None = None
) -> BranchSummary:
    """Read and compute the summary of ``branch_id`` for ``month`` as ``viewer`` sees it.

    Raises ``LookupError`` when the branch is not in the viewer's scope.
    """
    q = q or plain_queries()
    org = q.org_units(viewer)
    row = org[org["branch_id"] == branch_id]
    if row.empty:
        raise LookupError(f"branch {branch_id} is not in the viewer's scope")
    info = row.iloc[0]
    one = Filters(month=month, branch_ids=(branch_id,))
    peers = Filters(month=month, cooperative_ids=(int(info["cooperative_id"]),))
    stamp = pd.Timestamp(month)

    rows = q.six_s_rows(viewer, one)
    scored = calc.score_inspections(rows)
    latest = calc.latest_per_branch(scored)
    peer_latest = calc.latest_per_branch(calc.score_inspections(q.six_s_rows(viewer, peers)))
    six_s_latest = latest.iloc[0] if len(latest) else None
    area_rows = (
        rows[rows["inspection_id"] == six_s_latest["inspection_id"]]
        if six_s_latest is not None
        else rows.iloc[0:0]
    )

    service = calc.service_index(q.service_months(viewer, peers))
    ranked = calc.rank_month(service, stamp) if len(service) else service
    mine = ranked[ranked["branch_id"] == branch_id] if len(ranked) else ranked

    months = [m for m in q.branch_months(viewer, one)["month_start"] if m <= stamp]
    base = max(
        [m for m in months if m <= stamp - pd.DateOffset(months=12)] or months[:1] or [stamp]
    )
    managers = q.wealth_managers(viewer, one)
    watch_staff = q.watchlist_by_manager(viewer, one)
    if watch_staff is None:
        watch_staff = pd.DataFrame(
            columns=["rm_staff_id", "count_watchlist", "count_watchlist_contacted"]
        )
    league = hongyan.league(
        managers,
        q.staff_books(viewer, one, (base.date(), stamp.date())),
        q.staff_sales(viewer, one),
        q.contacts_by_staff(viewer, one),
        watch_staff,
        stamp,
        base,
    )
    return BranchSummary(
        branch_id=branch_id,
        branch_name_en=str(info["branch_name_en"]),
        branch_name_zh=str(info["branch_name_zh"]),
        cooperative_name_en=str(info["cooperative_name_en"]),
        cooperative_name_zh=str(info["cooperative_name_zh"]),
        month=stamp,
        totals=q.branch_months(viewer, one),
        targets=q.target_card(viewer, one),
        league=league,
        watchlist=q.watchlist_by_branch(viewer, one),
        six_s_latest=six_s_latest,
        six_s_rows=area_rows,
        six_s_peer_mean=peer_latest[list(calc.S_COLUMNS)].mean() if len(peer_latest) else None,
        service=service,
        service_rank=mine.iloc[0] if len(mine) else None,
        count_peers=int(ranked["branch_id"].nunique()) if len(ranked) else 0,
    )

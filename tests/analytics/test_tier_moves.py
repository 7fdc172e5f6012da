"""Known answers for the tier-migration matrix, its summary, Sankey links and branch rates."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analytics import rules
from analytics import tier_moves as mig

# Ten mass customers (7 stay, 2 up to potential, 1 leave), four potential (1 down, 3 stay),
# one VIP who stays, and two new customers arriving as mass.
CELLS = pd.DataFrame(
    {
        "from_tier": ["mass", "mass", "mass", "potential", "potential", "vip", "new"],
        "to_tier": ["mass", "potential", "left", "mass", "potential", "vip", "mass"],
        "count_customers": [7, 2, 1, 1, 3, 1, 2],
        "aum_from_rmb": [70.0, 90.0, 5.0, 60.0, 300.0, 2e6, 0.0],
    }
)
STARTING = {"mass": 10, "potential": 4, "affluent": 0, "vip": 1, "private": 0}


def test_rows_sum_to_the_starting_tier_counts() -> None:
    table = mig.matrix(CELLS)
    assert list(table.index) == [*rules.TIER_CODES, "new"]
    assert list(table.columns) == [*rules.TIER_CODES, "left"]
    for tier, count in STARTING.items():
        assert table.loc[tier].sum() == count
    assert table.loc["mass", "potential"] == 2
    assert table.loc["new", "mass"] == 2


def test_matrix_keeps_suppressed_cells_blank() -> None:
    cells = CELLS.astype({"count_customers": float})
    cells.loc[5, "count_customers"] = np.nan
    table = mig.matrix(cells)
    assert math.isnan(table.loc["vip", "vip"])
    assert table.loc["affluent", "vip"] == 0


def test_matrix_of_assets() -> None:
    table = mig.matrix(CELLS, "aum_from_rmb")
    assert table.loc["mass"].sum() == 165.0


def test_directions() -> None:
    assert mig.direction("mass", "potential") == "up"
    assert mig.direction("vip", "affluent") == "down"
    assert mig.direction("vip", "vip") == "same"
    assert mig.direction("vip", "left") == "left"
    assert mig.direction("new", "mass") == "new"


def test_summary_rates_are_of_the_starting_base() -> None:
    totals = mig.summary(CELLS)
    assert totals["base"] == 15
    assert (totals["same"], totals["up"], totals["down"], totals["left"], totals["new"]) == (
        11,
        2,
        1,
        1,
        2,
    )
    assert totals["up_rate_pct"] == pytest.approx(2 / 15 * 100)
    assert totals["left_rate_pct"] == pytest.approx(1 / 15 * 100)


def test_sankey_links_point_from_left_nodes_to_right_nodes() -> None:
    links = mig.sankey_links(CELLS)
    nodes = links.attrs["nodes"]
    assert nodes[:4] == [("from", "mass"), ("from", "potential"), ("from", "vip"), ("from", "new")]
    assert nodes[4:] == [("to", "mass"), ("to", "potential"), ("to", "vip"), ("to", "left")]
    first = links.iloc[1]  # mass -> potential
    assert (first["source"], first["target"], first["value"]) == (0, 5, 2.0)
    assert first["direction"] == "up"
    assert links["value"].sum() == CELLS["count_customers"].sum()


def test_branch_rates_use_the_previous_month_as_base() -> None:
    frame = pd.DataFrame(
        {
            "branch_id": [1, 1, 1, 2, 2],
            "month_start": pd.to_datetime(
                ["2026-01-01", "2026-02-01", "2026-04-01", "2026-01-01", "2026-02-01"]
            ),
            "count_customers": [100, 110, 120, 50, 50],
            "count_upgraded": [9, 5, 3, 0, 1],
            "count_downgraded": [9, 2, 0, 0, 4],
        }
    )
    rates = mig.branch_rates(frame)
    # The first month of each branch has no base; April follows a gap (no March): dropped.
    assert len(rates) == 2
    one = rates[rates["branch_id"] == 1].iloc[0]
    assert one["base_customers"] == 100
    assert one["upgrade_rate_pct"] == 5.0
    assert one["downgrade_rate_pct"] == 2.0
    assert one["net_rate_pct"] == 3.0
    two = rates[rates["branch_id"] == 2].iloc[0]
    assert two["downgrade_rate_pct"] == 8.0

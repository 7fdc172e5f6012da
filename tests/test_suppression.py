"""Small-cell suppression: analysts never see an aggregate over fewer than five customers."""

from __future__ import annotations

import math

import pandas as pd

from data_access.suppression import min_group_size, suppress_small_cells
from data_access.viewer import Viewer

ANALYST = Viewer("a", "analyst")
EXECUTIVE = Viewer("e", "executive")


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "branch_id": [1, 2, 3, 4],
            "segment": ["a", "b", "c", "d"],
            "count_customers": [0, 1, 4, 5],
            "aum_rmb": [0.0, 10.0, 40.0, 50.0],
        }
    )


def test_minimum_group_size_per_role() -> None:
    assert min_group_size(ANALYST) == 5
    assert min_group_size(EXECUTIVE) == 1


def test_cells_of_one_to_four_customers_are_blanked_for_analysts() -> None:
    out = suppress_small_cells(_frame(), ANALYST)
    assert out["is_suppressed"].tolist() == [False, True, True, False]
    assert math.isnan(out.loc[1, "count_customers"]) and math.isnan(out.loc[2, "aum_rmb"])
    assert out.loc[3, "count_customers"] == 5 and out.loc[0, "count_customers"] == 0
    assert out["branch_id"].tolist() == [1, 2, 3, 4]  # keys survive
    assert out["segment"].tolist() == ["a", "b", "c", "d"]


def test_executives_see_every_cell() -> None:
    out = suppress_small_cells(_frame(), EXECUTIVE)
    assert not out["is_suppressed"].any()
    assert out["count_customers"].tolist() == [0, 1, 4, 5]


def test_only_the_named_value_columns_are_blanked() -> None:
    frame = _frame().assign(count_holders=[0, 2, 9, 9])
    out = suppress_small_cells(frame, ANALYST, "count_holders", ["aum_rmb"])
    assert out["is_suppressed"].tolist() == [False, True, False, False]
    assert out.loc[1, "count_customers"] == 1  # not named: kept
    assert math.isnan(out.loc[1, "aum_rmb"])

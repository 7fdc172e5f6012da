"""Charts with a row per branch show the extremes once there are too many rows to read."""

from __future__ import annotations

import math

import pandas as pd

from ui import charts, scorecard_charts


def test_a_short_frame_is_charted_whole() -> None:
    frame = pd.DataFrame({"name": list("abc"), "value": [3.0, 1.0, 2.0]})
    assert charts.extremes(frame, "value", limit=4).equals(frame)


def test_a_long_frame_keeps_the_highest_and_lowest_halves() -> None:
    frame = pd.DataFrame({"name": [f"b{i}" for i in range(100)], "value": range(100)})
    shown = charts.extremes(frame, "value", limit=10)
    assert list(shown["value"]) == [99, 98, 97, 96, 95, 4, 3, 2, 1, 0]


def test_missing_values_are_not_mistaken_for_extremes() -> None:
    values = [math.nan] * 5 + list(range(20))
    frame = pd.DataFrame({"value": values})
    shown = charts.extremes(frame, "value", limit=6)
    assert list(shown["value"]) == [19, 18, 17, 2, 1, 0]
    # Fewer valid rows than the limit: every valid row, NaN left out.
    few = pd.DataFrame({"value": [math.nan] * 8 + [5.0, 7.0, 6.0]})
    assert list(charts.extremes(few, "value", limit=6)["value"]) == [7.0, 6.0, 5.0]


def test_the_scatter_marks_the_viewers_branch_in_vermillion() -> None:
    from ui import charts
    from ui.scorecard_charts import scatter_fit

    frame = pd.DataFrame({"branch_id": [1, 2, 3], "x": [1.0, 2.0, 3.0], "y": [2.0, 4.1, 5.9]})
    fig = scatter_fit(frame, "x", "y", None, {1: "A", 2: "B", 3: "C"}, "x", "y", highlight=2)
    marker = fig.data[0].marker
    assert list(marker.color) == [0.0, 1.0, 0.0]
    assert marker.colorscale[0][1] == charts.BLUE and marker.colorscale[-1][1] == charts.VERMILLION
    assert (marker.cmin, marker.cmax, marker.showscale) == (0.0, 1.0, False)
    assert list(fig.data[0].text) == ["A", "B", "C"]


def test_attainment_labels_and_projection_markers_sit_in_separate_lanes() -> None:
    from ui.scorecard_charts import attainment_bars

    card = pd.DataFrame(
        {
            "attainment_pct": [62.04, 95.0],
            "projected_attainment_pct": [63.0, 96.0],  # close to the bars' ends: labels collide
            "light": ["green", "red"],
            "elapsed_pct": [66.0, 66.0],
        }
    )
    fig = attainment_bars(card, ["Deposits", "Customers"], lang="en")
    bars, marks = fig.data
    assert list(bars.text) == ["62.0%", "95.0%"]
    for bar_y, mark_y in zip(bars.y, marks.y, strict=True):
        # The bar (and its label, drawn level with it) ends above the diamond's lane.
        assert bar_y + bars.width / 2 < mark_y - 0.05
    # Each row is still named on the axis and in the hover text.
    assert list(fig.layout.yaxis.ticktext) == ["Deposits", "Customers"]
    assert list(bars.customdata) == list(marks.customdata) == ["Deposits", "Customers"]


def test_count_bars_hover_with_the_count_as_the_app_writes_it() -> None:
    stars = scorecard_charts.star_bars(
        pd.DataFrame({"stars": [4, 5], "count_branches": [12_345, 3]}), lang="zh"
    )
    months = pd.to_datetime(["2026-08-01", "2026-09-01"])
    moved = scorecard_charts.diversion_and_moves(
        pd.DataFrame({"month_start": months, "diversion_pct": [40.0, 42.5]}),
        pd.DataFrame({"month_start": months, "count_moved": [12_345.0, 2.0]}),
        lang="en",
    )
    bars = moved.data[0]
    assert stars.data[0].hovertemplate == "%{x}: %{text}<extra></extra>"
    assert list(stars.data[0].text) == ["1.23万", "3"]
    assert bars.hovertemplate == "%{customdata}<extra>%{fullData.name}</extra>"
    assert list(bars.customdata) == ["12,345", "2"]

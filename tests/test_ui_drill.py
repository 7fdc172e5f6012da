"""ui.drill: the drill-down path, its URL form, and how invalid or single-unit levels resolve."""

from __future__ import annotations

import pandas as pd

from data_access.filters import Filters
from ui import drill

ORG = pd.DataFrame(
    {
        "prefecture_id": [1, 1, 1, 2],
        "prefecture_name_en": ["North", "North", "North", "South"],
        "cooperative_id": [10, 10, 11, 20],
        "cooperative_name_en": ["N-a", "N-a", "N-b", "S-a"],
        "branch_id": [100, 101, 110, 200],
        "branch_name_en": ["B100", "B101", "B110", "B200"],
    }
)


def managers(branch_id: int) -> dict[int, str]:
    return {7: "Li* (7)"} if branch_id == 100 else {}


def resolve(d: drill.Drill, org: pd.DataFrame = ORG) -> drill.Position:
    return drill.resolve(d, org, "en", "Province", managers)


def test_the_url_form_round_trips_and_ignores_junk() -> None:
    d = drill.Drill(prefecture=1, cooperative=10)
    assert drill.to_params(d) == {"drill_prefecture": ["1"], "drill_cooperative": ["10"]}
    assert drill.from_params(drill.to_params(d)) == d
    assert drill.from_params({"drill_branch": ["x"], "drill_staff": ["3", "oops"]}) == drill.Drill(
        staff=3
    )


def test_going_down_clears_the_levels_below_and_up_cuts_back() -> None:
    d = drill.Drill(prefecture=1, cooperative=10, branch=100, staff=7)
    assert d.down_to("cooperative", 11) == drill.Drill(prefecture=1, cooperative=11)
    assert d.up_to("prefecture") == drill.Drill(prefecture=1)
    assert d.up_to("province") == drill.Drill()


def test_resolve_stops_where_there_is_a_choice() -> None:
    position = resolve(drill.Drill())
    assert position.child_level == "prefecture"
    assert [n.name for n in position.path] == ["Province"]
    position = resolve(drill.Drill(prefecture=1))
    assert position.child_level == "cooperative"
    assert position.node.name == "North" and not position.node.implicit


def test_a_single_unit_is_passed_through_without_a_click() -> None:
    position = resolve(drill.Drill(prefecture=2))
    assert [n.level for n in position.path] == ["province", "prefecture", "cooperative", "branch"]
    assert [n.implicit for n in position.path] == [False, False, True, True]
    assert position.child_level == "staff"
    assert position.drill == drill.Drill(prefecture=2)  # implicit levels stay out of the URL


def test_ids_outside_the_view_or_the_parent_are_dropped() -> None:
    position = resolve(drill.Drill(prefecture=1, cooperative=20, branch=200))
    assert position.drill == drill.Drill(prefecture=1)
    assert position.child_level == "cooperative"
    position = resolve(drill.Drill(prefecture=1, cooperative=10, branch=100, staff=99))
    assert position.drill == drill.Drill(prefecture=1, cooperative=10, branch=100)
    position = resolve(drill.Drill(prefecture=1, cooperative=10, branch=100, staff=7))
    assert position.node.level == "staff" and position.node.name == "Li* (7)"


def test_narrow_limits_the_filters_to_the_unit_in_view() -> None:
    filters = Filters(prefecture_ids=(1, 2), tiers=("vip",))
    narrowed = drill.narrow(filters, resolve(drill.Drill(prefecture=1, cooperative=11)))
    assert narrowed.prefecture_ids == (1,)
    assert narrowed.cooperative_ids == (11,)
    assert narrowed.branch_ids == (110,)
    assert narrowed.tiers == ("vip",)
    shown = drill.in_filters(ORG, Filters(branch_ids=(100, 200)))
    assert shown["branch_id"].tolist() == [100, 200]

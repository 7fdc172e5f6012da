"""Drill-down through the organisation, kept in the URL like the filters.

province -> prefecture office -> county cooperative -> branch -> relationship manager. Clicking a
bar of the drill chart goes one level down; the breadcrumb goes back up. The URL holds ids only
(``?drill_prefecture=2&drill_cooperative=7&drill_branch=31&drill_staff=1043``), so a link opens
the same view in either language. A level with a single unit in the viewer's scope (after the
sidebar filters) is passed through on the way down without a click: a branch head starts at
their branch's managers.

Ids the viewer may not see, or that do not belong to the level above, are dropped; the data layer
applies the viewer's scope underneath whatever the URL says.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from data_access.filters import Filters

LEVELS: tuple[str, ...] = ("province", "prefecture", "cooperative", "branch", "staff")
ORG_LEVELS: tuple[str, ...] = ("prefecture", "cooperative", "branch")
PARAMS: dict[str, str] = {level: f"drill_{level}" for level in LEVELS[1:]}
_STATE_KEY = "pcrm_trends_drill"


@dataclass(frozen=True)
class Drill:
    """The drilled unit at each level (None = not drilled that far)."""

    prefecture: int | None = None
    cooperative: int | None = None
    branch: int | None = None
    staff: int | None = None

    def get(self, level: str) -> int | None:
        return getattr(self, level) if level in PARAMS else None

    def down_to(self, level: str, unit_id: int | None) -> Drill:
        """This drill with ``level`` set to ``unit_id`` and every deeper level cleared."""
        values = {name: self.get(name) for name in PARAMS}
        depth = LEVELS.index(level)
        for name in PARAMS:
            if LEVELS.index(name) > depth:
                values[name] = None
        values[level] = unit_id
        return Drill(**values)

    def up_to(self, level: str) -> Drill:
        """This drill cut back to ``level`` (the levels below it cleared)."""
        depth = LEVELS.index(level)
        return Drill(**{n: self.get(n) if LEVELS.index(n) <= depth else None for n in PARAMS})


@dataclass(frozen=True)
class Node:
    """One step of the path from the province down to the unit in view."""

    level: str
    unit_id: int | None
    name: str
    implicit: bool  # passed through because it was the only unit (no click needed)


@dataclass(frozen=True)
class Position:
    """Where the drill stands: the path, the level whose units the drill chart shows, the
    drill cleaned of anything invalid."""

    path: tuple[Node, ...]
    child_level: str
    drill: Drill

    @property
    def node(self) -> Node:
        return self.path[-1]


def _int(values: Sequence[str] | None) -> int | None:
    for value in reversed(list(values or [])):
        try:
            return int(value)
        except (TypeError, ValueError):
            continue
    return None


def from_params(params: dict[str, list[str]]) -> Drill:
    """A drill from URL parameters (lists of strings); junk values are ignored."""
    return Drill(**{level: _int(params.get(name)) for level, name in PARAMS.items()})


def to_params(drill: Drill) -> dict[str, list[str]]:
    """URL parameters for a drill; levels not drilled are left out."""
    return {name: [str(drill.get(level))] for level, name in PARAMS.items() if drill.get(level)}


def in_filters(org: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The organisation rows (``catalog.org_units``) the sidebar filters leave."""
    keep = pd.Series(True, index=org.index)
    for level, ids in (
        ("prefecture", filters.prefecture_ids),
        ("cooperative", filters.cooperative_ids),
        ("branch", filters.branch_ids),
    ):
        if ids:
            keep &= org[f"{level}_id"].isin(ids)
    return org[keep]


def resolve(
    drill: Drill,
    org: pd.DataFrame,
    lang: str,
    province_name: str,
    staff_names: Callable[[int], dict[int, str]],
) -> Position:
    """Walk down from the province along ``drill``, through levels with a single unit.

    ``org`` is the organisation in view (after the sidebar filters); ``staff_names(branch_id)``
    labels the managers of a branch (asked only when the drill reaches a manager); a manager
    who is not one of the branch's is dropped.
    """
    path = [Node("province", None, province_name, implicit=False)]
    clean = Drill()
    shown = org
    for level in ORG_LEVELS:
        ids = list(dict.fromkeys(shown[f"{level}_id"].astype(int)))
        wanted = drill.get(level)
        if wanted in ids:
            chosen, implicit = wanted, False
        elif len(ids) == 1:
            chosen, implicit = ids[0], True
        else:
            return Position(tuple(path), level, clean)
        shown = shown[shown[f"{level}_id"] == chosen]
        name = str(shown[f"{level}_name_{lang}"].iloc[0])
        path.append(Node(level, chosen, name, implicit))
        if not implicit:
            clean = clean.down_to(level, chosen)
    if drill.staff is not None:
        name = staff_names(int(path[-1].unit_id)).get(drill.staff)
        if name is not None:
            path.append(Node("staff", drill.staff, name, implicit=False))
            clean = clean.down_to("staff", drill.staff)
    return Position(tuple(path), "staff", clean)


def narrow(filters: Filters, position: Position) -> Filters:
    """The sidebar filters limited to the unit the drill stands on (managers aside)."""
    changes: dict[str, Any] = {}
    for node in position.path:
        if node.level in ORG_LEVELS:
            changes[f"{node.level}_ids"] = (node.unit_id,)
    return dataclasses.replace(filters, **changes)


# ------------------------------------------------------------------ session and URL


def current() -> Drill:
    """The drill of this session; on a new session, read from the URL."""
    if _STATE_KEY not in st.session_state:
        params = {name: st.query_params.get_all(name) for name in PARAMS.values()}
        st.session_state[_STATE_KEY] = from_params(params)
    return st.session_state[_STATE_KEY]


def store(drill: Drill) -> None:
    """Keep ``drill`` for the session and write it to the URL."""
    st.session_state[_STATE_KEY] = drill
    wanted = to_params(drill)
    for name in PARAMS.values():
        if st.query_params.get_all(name) != wanted.get(name, []):
            if name in wanted:
                st.query_params[name] = wanted[name]
            elif name in st.query_params:
                del st.query_params[name]


def go(drill: Drill) -> None:
    """Callback for the breadcrumb and the drill chart: move to ``drill``."""
    store(drill)


def selected_id(chart_key: str) -> int | None:
    """The unit id (customdata) of the point clicked in the chart with ``chart_key``."""
    event = st.session_state.get(chart_key)
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    for point in points:
        data = point.get("customdata")
        if isinstance(data, list | tuple):
            data = data[0] if data else None
        try:
            return int(data)
        except (TypeError, ValueError):
            continue
    return None


def on_chart_select(chart_key: str, level: str) -> Callable[[], None]:
    """An ``on_select`` callback: drill into the clicked unit at ``level``."""

    def callback() -> None:
        unit_id = selected_id(chart_key)
        if unit_id is not None:
            store(current().down_to(level, unit_id))

    return callback

"""The retention follow-up ("did it work?") as rates, from counts the data layer aggregated.

Input: rows of ``data_access.watchlist.retention_followup`` (watch month, last action type or
``none``, relationship manager, customers, retained). The comparison of contacted with
not-contacted customers is descriptive, not causal: managers choose whom to call, so the two
groups differ before anyone picks up the phone. The page says so next to the numbers.
"""

from __future__ import annotations

import pandas as pd

from analytics import retention_rules

NOT_CONTACTED = "none"


def _rates(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    grouped = (
        frame.groupby(by, dropna=False)[["count_customers", "count_retained"]].sum().reset_index()
    )
    enough = grouped["count_customers"] >= retention_rules.MIN_GROUP_FOR_RATE
    rate = grouped["count_retained"] / grouped["count_customers"].where(enough)
    grouped["retention_rate"] = rate.astype(float)
    return grouped


def contacted_vs_not(frame: pd.DataFrame) -> pd.DataFrame:
    """Per watch month and group (``contacted`` / ``not_contacted``): customers, retained and
    the retention rate (NaN below MIN_GROUP_FOR_RATE customers)."""
    columns = ["watch_month", "group", "count_customers", "count_retained", "retention_rate"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    labelled = frame.assign(
        group=frame["action_type"].map(
            lambda kind: "not_contacted" if kind == NOT_CONTACTED else "contacted"
        )
    )
    return _rates(labelled, ["watch_month", "group"])[columns]


def by_action_type(frame: pd.DataFrame) -> pd.DataFrame:
    """All watch months together, per last action type (``none`` = not contacted)."""
    columns = ["action_type", "count_customers", "count_retained", "retention_rate"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    return _rates(frame, ["action_type"])[columns]


def by_manager(frame: pd.DataFrame) -> pd.DataFrame:
    """Per relationship manager: watchlisted, contacted, retention of each group, contact rate."""
    columns = [
        "rm_staff_id",
        "count_customers",
        "count_contacted",
        "contact_rate",
        "retention_rate_contacted",
        "retention_rate_not_contacted",
    ]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    contacted = frame["action_type"] != NOT_CONTACTED
    parts = []
    for flag, name in ((True, "contacted"), (False, "not_contacted")):
        part = _rates(frame[contacted == flag], ["rm_staff_id"])
        parts.append(
            part.rename(
                columns={
                    "count_customers": f"count_{name}",
                    "count_retained": f"retained_{name}",
                    "retention_rate": f"retention_rate_{name}",
                }
            )
        )
    merged = parts[0].merge(parts[1], on="rm_staff_id", how="outer")
    for column in ("count_contacted", "count_not_contacted"):
        merged[column] = merged[column].fillna(0).astype(int)
    merged["count_customers"] = merged["count_contacted"] + merged["count_not_contacted"]
    merged["contact_rate"] = merged["count_contacted"] / merged["count_customers"]
    return merged.sort_values("count_customers", ascending=False)[columns].reset_index(drop=True)


def headline(frame: pd.DataFrame) -> dict[str, float | int | None]:
    """All watch months together: customers and retention rate of each group, and the gap in
    percentage points (None when a group is too small for a rate)."""
    summary = {"contacted": 0, "not_contacted": 0, "rate_contacted": None, "rate_not": None}
    if frame.empty:
        summary["gap_pts"] = None
        return summary
    contacted = frame["action_type"] != NOT_CONTACTED
    for flag, key, rate_key in (
        (True, "contacted", "rate_contacted"),
        (False, "not_contacted", "rate_not"),
    ):
        part = frame[contacted == flag]
        customers = int(part["count_customers"].sum())
        summary[key] = customers
        if customers >= retention_rules.MIN_GROUP_FOR_RATE:
            summary[rate_key] = float(part["count_retained"].sum()) / customers
    both = summary["rate_contacted"] is not None and summary["rate_not"] is not None
    summary["gap_pts"] = (summary["rate_contacted"] - summary["rate_not"]) * 100 if both else None
    return summary

"""Customer groups (客群): k-means on standardised behaviour features, named from their centres.

The model is fitted on a deterministic sample (see ``data_access.customer_groups``) and kept as
a :class:`GroupSpec` (scaler means and scales, centres): small, frozen and hashable, so the data
layer can assign every customer in SQL and Streamlit can cache on it. Groups are numbered by the
AUM of their centre (0 = smallest balances) and the fit is seeded, so the same data gives the
same groups, the same numbers and the same names on every refresh.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from analytics import segment_rules as sr


@dataclass(frozen=True)
class GroupSpec:
    """A fitted grouping: ``centres`` are in standardised units, one tuple per group."""

    features: tuple[str, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    centres: tuple[tuple[float, ...], ...]

    @property
    def count(self) -> int:
        return len(self.centres)

    def raw_centres(self) -> pd.DataFrame:
        """Centres in the features' own units (years, shares, ln RMB), one row per group."""
        centres = np.asarray(self.centres) * np.asarray(self.scales) + np.asarray(self.means)
        frame = pd.DataFrame(centres, columns=list(self.features))
        frame.index.name = "group_id"
        return frame


def fit_groups(
    sample: pd.DataFrame,
    n_groups: int = sr.CLUSTER_COUNT,
    seed: int = sr.CLUSTER_SEED,
    features: Sequence[str] = sr.CLUSTER_FEATURES,
) -> GroupSpec | None:
    """Fit k-means on ``sample`` (one row per customer, a column per feature).

    Rows are put in ``customer_id`` order first (when present), so the order the database
    returned them in cannot change the result. Returns None when there are fewer distinct
    customers than two per group.
    """
    features = tuple(features)
    frame = sample
    if "customer_id" in frame:
        frame = frame.sort_values("customer_id", kind="mergesort")
    values = frame[list(features)].astype(float).fillna(0.0).to_numpy()
    distinct = len(np.unique(values, axis=0)) if len(values) else 0
    k = min(n_groups, distinct // 2)
    if k < 1:
        return None
    scaler = StandardScaler().fit(values)
    scales = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    scaled = (values - scaler.mean_) / scales
    # One thread: a sample of 10,000 rows is too small for OpenMP to pay, and its threads
    # spin-wait for a core on a busy machine (a branch's groups at 1,000,000 customers: 0.2-1.2
    # s of CPU with two threads, 0.02 s with one; docs/performance.md, issue 19). One thread
    # also adds the chunks' sums in one order, so the centres cannot depend on the scheduling.
    with threadpool_limits(limits=1, user_api="openmp"):
        model = KMeans(n_clusters=k, random_state=seed, n_init=sr.CLUSTER_N_INIT).fit(scaled)
    centres = model.cluster_centers_
    raw = centres * scales + scaler.mean_
    # Number groups by their centre's balance, then by every other feature: a stable order.
    order = np.lexsort(tuple(raw[:, j] for j in reversed(range(raw.shape[1]))))
    ordered = centres[order]
    return GroupSpec(
        features=features,
        means=tuple(float(v) for v in scaler.mean_),
        scales=tuple(float(v) for v in scales),
        centres=tuple(tuple(round(float(v), 12) for v in row) for row in ordered),
    )


def assign(frame: pd.DataFrame, spec: GroupSpec) -> np.ndarray:
    """The nearest centre for each row (the same rule the data layer runs in SQL)."""
    values = frame[list(spec.features)].astype(float).fillna(0.0).to_numpy()
    scaled = (values - np.asarray(spec.means)) / np.asarray(spec.scales)
    distances = ((scaled[:, None, :] - np.asarray(spec.centres)[None, :, :]) ** 2).sum(axis=2)
    return distances.argmin(axis=1)


# ------------------------------------------------------------------ names


def name_parts(centre: Mapping[str, float]) -> tuple[str, str, str]:
    """Age, channel and role words for a centre in raw units (codes; labels are in the UI).

    ``("young", "mobile_first", "savers")`` reads "young mobile-first savers".
    """
    age = next((code for code, below in sr.NAME_AGE if centre["age"] < below), sr.NAME_AGE_ELSE)
    # Back from the log scale, rounded so a value exactly at a threshold meets it.
    txns = round(float(np.expm1(centre["log_txns"])), 6)
    if txns < sr.LOW_ACTIVITY_TXNS:
        channel = "low_activity"
    elif centre["mobile_share"] >= sr.MOBILE_FIRST_SHARE:
        channel = "mobile_first"
    else:
        channel = "counter_going"
    aum = round(float(np.expm1(centre["log_aum"])), 2)
    loan = round(float(np.expm1(centre["log_loan"])), 2)
    if loan >= sr.BORROWER_LOAN_RMB:
        role = "borrowers"
    elif centre["invest_share"] >= sr.INVESTOR_SHARE:
        role = "investors"
    elif aum >= sr.WEALTHY_AUM_RMB:
        role = "wealthy_savers"
    elif aum >= sr.SAVER_AUM_RMB:
        role = "savers"
    else:
        role = "small_balances"
    return age, channel, role


def group_names(spec: GroupSpec) -> list[tuple[str, str, str, int]]:
    """Name parts per group plus an ordinal (1, 2, ...) that tells apart groups named alike.

    The ordinal is 0 when the name is unique.
    """
    raw = spec.raw_centres()
    parts = [name_parts(raw.loc[g].to_dict()) for g in range(spec.count)]
    totals = {p: parts.count(p) for p in parts}
    seen: dict[tuple[str, str, str], int] = {}
    out = []
    for p in parts:
        if totals[p] == 1:
            out.append((*p, 0))
        else:
            seen[p] = seen.get(p, 0) + 1
            out.append((*p, seen[p]))
    return out


# ------------------------------------------------------------------ one policy per class


def _holds(value: float, op: str, threshold: float) -> bool:
    if value is None or pd.isna(value):
        return False
    if op == "<":
        return value < threshold
    if op == ">=":
        return value >= threshold
    raise ValueError(f"Unknown comparison {op!r} in an action rule")


def suggest_actions(card: Mapping[str, float]) -> list[str]:
    """Action codes for a group card, by the rules of ``segment_rules.ACTION_RULES``."""
    actions = []
    for rule in sr.ACTION_RULES:
        conditions = ((rule.metric, rule.op, rule.threshold), *rule.also)
        if all(_holds(card.get(m), op, th) for m, op, th in conditions):
            actions.append(rule.code)
        if len(actions) == sr.MAX_ACTIONS:
            break
    return actions or [sr.DEFAULT_ACTION]


def typical_products(products: pd.DataFrame, summary: pd.DataFrame) -> dict[int, list[str]]:
    """Per group, the product categories that set it apart, most distinctive first.

    A category qualifies when at least ``TYPICAL_MIN_SHARE`` of the group holds it; qualifying
    categories are ranked by lift (share in the group / share in all groups), so a debit card
    that everyone holds does not crowd out what is special about the group.
    """
    if products.empty:
        return {}
    sizes = summary.set_index("group_id")["count_customers"]
    frame = products.dropna(subset=["count_holders"]).copy()
    frame["size"] = frame["group_id"].map(sizes)
    frame = frame.dropna(subset=["size"])
    frame["share"] = frame["count_holders"] / frame["size"]
    overall = frame.groupby("category")["count_holders"].sum() / sizes.sum()
    frame["lift"] = frame["share"] / frame["category"].map(overall)
    frame = frame[frame["share"] >= sr.TYPICAL_MIN_SHARE]
    ranked = frame.sort_values(["group_id", "lift", "category"], ascending=[True, False, True])
    return {
        int(group_id): list(rows["category"].head(sr.TYPICAL_PRODUCTS))
        for group_id, rows in ranked.groupby("group_id")
    }


def group_cards(summary: pd.DataFrame, products: pd.DataFrame, churn: pd.DataFrame) -> pd.DataFrame:
    """One "one policy per class" card per group.

    ``summary``: ``group_id, count_customers, aum_rmb`` and sums ``sum_<metric>`` for
    ``age, mobile_share, invest_share, txns, loan_rmb, core_products``; ``products``:
    ``group_id, category, count_holders``; ``churn``: ``group_id, count_base, count_left``.
    Returns per group: size and AUM (with shares of the total), averages in the card's units
    (``avg_aum_rmb``, ``avg_age``, ``mobile_share_pct``, ``invest_share_pct``, ``avg_txns``,
    ``avg_loan_rmb``, ``avg_core_products``), ``churn_rate_pct``, ``typical_products`` (category
    codes, most held first) and ``actions`` (action codes). Suppressed groups (NaN counts) keep
    their row with NaN metrics and no actions.
    """
    cards = summary[["group_id", "count_customers", "aum_rmb"]].copy()
    n = summary["count_customers"]
    total_n, total_aum = n.sum(), summary["aum_rmb"].sum()
    cards["customer_share_pct"] = n / total_n * 100 if total_n else np.nan
    cards["aum_share_pct"] = summary["aum_rmb"] / total_aum * 100 if total_aum else np.nan
    cards["avg_aum_rmb"] = summary["aum_rmb"] / n
    cards["avg_age"] = summary["sum_age"] / n
    cards["mobile_share_pct"] = summary["sum_mobile_share"] / n * 100
    cards["invest_share_pct"] = summary["sum_invest_share"] / n * 100
    cards["avg_txns"] = summary["sum_txns"] / n
    cards["avg_loan_rmb"] = summary["sum_loan_rmb"] / n
    cards["avg_core_products"] = summary["sum_core_products"] / n
    rates = churn.set_index("group_id")
    cards["churn_rate_pct"] = cards["group_id"].map(
        (rates["count_left"] / rates["count_base"] * 100).to_dict()
    )
    typical = typical_products(products, summary)
    cards["typical_products"] = [typical.get(int(g), []) for g in cards["group_id"]]
    cards["actions"] = [
        suggest_actions(row) if pd.notna(row["count_customers"]) else []
        for row in cards.to_dict("records")
    ]
    return cards


__all__ = [
    "GroupSpec",
    "assign",
    "fit_groups",
    "group_cards",
    "group_names",
    "name_parts",
    "suggest_actions",
    "typical_products",
]

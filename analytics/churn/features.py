"""Churn features: pure functions of a customer-month panel (and holdings, customers, contacts).

Every feature at cut-off T is computed from months <= T only: the panel is cut at T before
anything is pivoted, holdings are taken as they stood at T's month end (opened by then, not yet
closed; renewals only for deposits that had matured by then), and contacts up to T's month end.
``tests/analytics/test_churn_features.py`` proves it by changing everything after T.

Money ratios use a floor in the denominator (RATIO_FLOOR_RMB) so that a customer with 3 RMB is
not "up 900%"; the trees see raw levels as well, so nothing is lost by the floor.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from analytics import rules
from analytics.churn.panel import MonthPanel, add_months, as_month, month_end, panel_window

# Months of history the features look at (T-11 .. T).
FEATURE_MONTHS: int = 12
RATIO_FLOOR_RMB: float = 100.0
# Term holdings maturing within these many days of the cut-off's month end.
MATURITY_HORIZONS_DAYS: tuple[int, ...] = (30, 90)
NO_MATURITY_DAYS: float = 999.0

# The reader may hand the sum of the spend_* columns (the features use only the total).
SPEND_TOTAL = "spend_total_rmb"
TXN_COLUMNS: tuple[str, ...] = ("count_txn_counter", "count_txn_self_service", "count_txn_mobile")
PANEL_COLUMNS: tuple[str, ...] = (
    "customer_id",
    "month_start",
    *rules.ASSET_COLUMNS,
    "aum_rmb",
    "aum_avg_rmb",
    "loan_rmb",
    *TXN_COLUMNS,
    "count_mobile_logins",
    "inflow_rmb",
    "outflow_rmb",
    "transfer_out_other_bank_rmb",
    *rules.SPEND_COLUMNS,
    "count_products",
    "count_core_products",
    "tier_code",
    "months_below_floor",
    "is_active",
    "is_closed",
)
CUSTOMER_COLUMNS: tuple[str, ...] = (
    "customer_id",
    "birth_year",
    "gender",
    "occupation",
    "risk_grade",
    "opened_on",
    "has_payroll",
    "branch_type",
)
HOLDING_COLUMNS: tuple[str, ...] = (
    "customer_id",
    "asset_class",
    "opened_on",
    "closed_on",
    "maturity_on",
    "amount_rmb",
    "is_renewed",
)
CONTACT_COLUMNS: tuple[str, ...] = ("customer_id", "contacted_on")

CATEGORICAL_FEATURES: tuple[str, ...] = (
    "tier_code",
    "occupation",
    "gender",
    "risk_grade",
    "branch_type",
)
_CLASS_CODES = tuple(a.code for a in rules.ASSET_CLASSES)
NUMERIC_FEATURES: tuple[str, ...] = (
    # balance level, trend and volatility
    "aum_rmb",
    "log_aum",
    "aum_avg_6m_rmb",
    "aum_end_to_month_avg",
    "aum_change_1m",
    "aum_change_3m",
    "aum_change_6m",
    "aum_vs_avg_6m",
    "aum_slope_6m",
    "aum_volatility_6m",
    "aum_months_falling_3m",
    *(f"share_{c}" for c in _CLASS_CODES),
    *(f"change_3m_{c}" for c in _CLASS_CODES),
    "demand_volatility_6m",
    "log_loan",
    # term holdings
    *(f"maturing_{d}d_rmb" for d in MATURITY_HORIZONS_DAYS),
    *(f"maturing_{d}d_share" for d in MATURITY_HORIZONS_DAYS),
    "days_to_next_maturity",
    "next_maturity_rmb",
    "matured_not_renewed_3m_rmb",
    "matured_renewed_3m_rmb",
    # products
    "count_products",
    "count_core_products",
    "products_change_3m",
    "products_change_6m",
    # activity and channels
    "txn_3m",
    "txn_prev_3m",
    "txn_log_ratio",
    "months_since_active",
    "mobile_share_3m",
    "mobile_share_change",
    "counter_share_3m",
    "logins_3m",
    "logins_prev_3m",
    "months_since_login",
    "ever_mobile_login",
    # flows and spending
    "net_flow_3m_share",
    "outflow_3m_share",
    "transfer_out_3m_rmb",
    "transfer_out_3m_share",
    "transfer_out_prev_3m_rmb",
    "spend_3m_rmb",
    "spend_log_ratio",
    # the customer
    "tenure_months",
    "age",
    "has_payroll",
    "tier_rank",
    "months_below_floor",
    "contacts_3m",
    "contacts_12m",
)
FEATURES: tuple[str, ...] = NUMERIC_FEATURES + CATEGORICAL_FEATURES


def _share(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    return numerator / np.maximum(np.nan_to_num(denominator, nan=0.0), RATIO_FLOOR_RMB)


def _change(now: np.ndarray, before: np.ndarray) -> np.ndarray:
    """Relative change now vs before; NaN without a before, floored denominator."""
    out = (now - before) / np.maximum(before, RATIO_FLOOR_RMB)
    return np.clip(out, -1.0, 10.0)


def _window_sum(matrix: np.ndarray, start: int, stop: int) -> np.ndarray:
    return np.nansum(matrix[:, start:stop], axis=1)


def _months_since(flags: np.ndarray) -> np.ndarray:
    """Months since the last True in each row (0 = the last column); FEATURE_MONTHS if none."""
    m = flags.shape[1]
    last = np.where(flags.any(axis=1), m - 1 - np.argmax(flags[:, ::-1], axis=1), -1)
    return np.where(last >= 0, m - 1 - last, FEATURE_MONTHS).astype(float)


def _nan_std(matrix: np.ndarray) -> np.ndarray:
    counts = (~np.isnan(matrix)).sum(axis=1)
    mean = np.nansum(matrix, axis=1) / np.maximum(counts, 1)
    var = np.nansum((matrix - mean[:, None]) ** 2, axis=1) / np.maximum(counts - 1, 1)
    return np.where(counts >= 2, np.sqrt(var), np.nan)


def _nan_mean(matrix: np.ndarray) -> np.ndarray:
    counts = (~np.isnan(matrix)).sum(axis=1)
    return np.where(counts > 0, np.nansum(matrix, axis=1) / np.maximum(counts, 1), np.nan)


def _slope(matrix: np.ndarray) -> np.ndarray:
    """Least-squares slope per row over its non-missing columns (per month)."""
    x = np.arange(matrix.shape[1], dtype=float)[None, :].repeat(len(matrix), axis=0)
    ok = ~np.isnan(matrix)
    n = ok.sum(axis=1)
    xm = np.where(ok, x, 0.0).sum(axis=1) / np.maximum(n, 1)
    ym = np.where(ok, matrix, 0.0).sum(axis=1) / np.maximum(n, 1)
    dx = np.where(ok, x - xm[:, None], 0.0)
    dy = np.where(ok, matrix - ym[:, None], 0.0)
    den = (dx * dx).sum(axis=1)
    return np.where((n >= 2) & (den > 0), (dx * dy).sum(axis=1) / np.maximum(den, 1e-9), np.nan)


def panel_features(
    panel: pd.DataFrame | MonthPanel, cutoff: dt.date, customer_ids: np.ndarray | None = None
) -> pd.DataFrame:
    """Balance, product, activity, channel, flow and spending features at ``cutoff``.

    One row per customer with an open row at ``cutoff``. Only the FEATURE_MONTHS months up to
    ``cutoff`` are pivoted (or sliced out of a :class:`MonthPanel`), so rows after ``cutoff``
    cannot reach any feature. ``customer_ids`` (sorted) restricts the rows computed.
    """
    cutoff = as_month(cutoff)
    grid = panel_window(panel, add_months(cutoff, -(FEATURE_MONTHS - 1)), cutoff, customer_ids)
    t = FEATURE_MONTHS - 1
    at_t = grid.present[:, t] & ~grid.flags("is_closed")[:, t]
    out: dict[str, np.ndarray] = {}

    aum = grid.values("aum_rmb")
    now = aum[:, t]
    avg6 = _nan_mean(aum[:, t - 5 :])
    out["aum_rmb"] = now
    out["log_aum"] = np.log1p(np.maximum(now, 0.0))
    out["aum_avg_6m_rmb"] = avg6
    out["aum_end_to_month_avg"] = _change(now, grid.values("aum_avg_rmb")[:, t])
    for k in (1, 3, 6):
        out[f"aum_change_{k}m"] = _change(now, aum[:, t - k])
    out["aum_vs_avg_6m"] = _change(now, avg6)
    out["aum_slope_6m"] = _share(_slope(aum[:, t - 5 :]), avg6)
    steps = np.diff(aum[:, t - 6 :], axis=1) / np.maximum(aum[:, t - 6 : t], RATIO_FLOOR_RMB)
    out["aum_volatility_6m"] = _nan_std(np.clip(steps, -1.0, 10.0))
    out["aum_months_falling_3m"] = (np.diff(aum[:, t - 3 :], axis=1) < 0).sum(axis=1).astype(float)
    for asset in rules.ASSET_CLASSES:
        values = grid.values(asset.column)
        out[f"share_{asset.code}"] = values[:, t] / np.maximum(now, RATIO_FLOOR_RMB)
        out[f"change_3m_{asset.code}"] = _share(values[:, t] - values[:, t - 3], avg6)
    demand = grid.values("demand_deposit_rmb")[:, t - 5 :]
    out["demand_volatility_6m"] = _share(_nan_std(demand), _nan_mean(demand))
    out["log_loan"] = np.log1p(np.maximum(np.nan_to_num(grid.values("loan_rmb")[:, t]), 0.0))

    products = grid.values("count_products")
    out["count_products"] = products[:, t]
    out["count_core_products"] = grid.values("count_core_products")[:, t]
    out["products_change_3m"] = products[:, t] - products[:, t - 3]
    out["products_change_6m"] = products[:, t] - products[:, t - 6]

    txn = sum(grid.values(c, fill=0.0) for c in TXN_COLUMNS)
    mobile = grid.values("count_txn_mobile", fill=0.0)
    counter = grid.values("count_txn_counter", fill=0.0)
    recent, prev = slice(t - 2, t + 1), slice(t - 5, t - 2)
    txn3, txn_prev = txn[:, recent].sum(axis=1), txn[:, prev].sum(axis=1)
    out["txn_3m"] = txn3
    out["txn_prev_3m"] = txn_prev
    out["txn_log_ratio"] = np.log((txn3 + 1.0) / (txn_prev + 1.0))
    out["months_since_active"] = _months_since(grid.flags("is_active"))
    mobile3, mobile_prev = mobile[:, recent].sum(axis=1), mobile[:, prev].sum(axis=1)
    out["mobile_share_3m"] = mobile3 / np.maximum(txn3, 1.0)
    out["mobile_share_change"] = out["mobile_share_3m"] - mobile_prev / np.maximum(txn_prev, 1.0)
    out["counter_share_3m"] = counter[:, recent].sum(axis=1) / np.maximum(txn3, 1.0)
    logins = grid.values("count_mobile_logins", fill=0.0)
    out["logins_3m"] = logins[:, recent].sum(axis=1)
    out["logins_prev_3m"] = logins[:, prev].sum(axis=1)
    out["months_since_login"] = _months_since(logins > 0)
    out["ever_mobile_login"] = (logins > 0).any(axis=1).astype(float)

    inflow = grid.values("inflow_rmb", fill=0.0)
    outflow = grid.values("outflow_rmb", fill=0.0)
    transfer = grid.values("transfer_out_other_bank_rmb", fill=0.0)
    out["net_flow_3m_share"] = _share(
        inflow[:, recent].sum(axis=1) - outflow[:, recent].sum(axis=1), avg6
    )
    out["outflow_3m_share"] = _share(outflow[:, recent].sum(axis=1), avg6)
    out["transfer_out_3m_rmb"] = transfer[:, recent].sum(axis=1)
    out["transfer_out_3m_share"] = _share(out["transfer_out_3m_rmb"], avg6)
    out["transfer_out_prev_3m_rmb"] = transfer[:, prev].sum(axis=1)
    if SPEND_TOTAL in grid.columns:
        spend = grid.values(SPEND_TOTAL, fill=0.0)
    else:
        spend = sum(grid.values(c, fill=0.0) for c in rules.SPEND_COLUMNS)
    spend3, spend_prev = spend[:, recent].sum(axis=1), spend[:, prev].sum(axis=1)
    out["spend_3m_rmb"] = spend3
    out["spend_log_ratio"] = np.log((spend3 + 100.0) / (spend_prev + 100.0))
    out["months_below_floor"] = grid.values("months_below_floor")[:, t]

    out["tier_code"] = grid.labels("tier_code")[:, t]
    frame = pd.DataFrame(out)
    frame.insert(0, "customer_id", grid.customer_ids)
    frame = frame.loc[at_t].reset_index(drop=True)
    rank = {t.code: float(t.rank) for t in rules.TIERS}
    frame["tier_rank"] = frame["tier_code"].map(rank).astype(float)
    return frame


def holding_features(
    holdings: pd.DataFrame | None, customer_ids: np.ndarray, cutoff: dt.date
) -> pd.DataFrame:
    """Term holdings (time deposits, wealth products) as they stood at ``cutoff``'s month end.

    ``holdings`` has HOLDING_COLUMNS (rows without a maturity date are ignored). Returns one row
    per customer in ``customer_ids`` (zeros when the customer holds none).
    """
    end = pd.Timestamp(month_end(as_month(cutoff)))
    result = pd.DataFrame(index=pd.Index(customer_ids, name="customer_id"))
    for d in MATURITY_HORIZONS_DAYS:
        result[f"maturing_{d}d_rmb"] = 0.0
    result["days_to_next_maturity"] = NO_MATURITY_DAYS
    result["next_maturity_rmb"] = 0.0
    result["next_maturity_class"] = None
    result["matured_not_renewed_3m_rmb"] = 0.0
    result["matured_renewed_3m_rmb"] = 0.0
    if holdings is None or holdings.empty:
        return result.reset_index()
    h = holdings.loc[holdings["maturity_on"].notna()]
    opened = pd.to_datetime(h["opened_on"])
    closed = pd.to_datetime(h["closed_on"])
    maturity = pd.to_datetime(h["maturity_on"])
    known = opened <= end
    open_at_end = known & (closed.isna() | (closed > end))
    days = (maturity - end).dt.days
    amount = pd.to_numeric(h["amount_rmb"], errors="coerce").fillna(0.0)
    ids = h["customer_id"]

    upcoming = open_at_end & (days > 0)
    for d in MATURITY_HORIZONS_DAYS:
        soon = upcoming & (days <= d)
        result[f"maturing_{d}d_rmb"] = (
            amount[soon].groupby(ids[soon]).sum().reindex(result.index, fill_value=0.0)
        )
    nxt = pd.DataFrame(
        {"customer_id": ids[upcoming], "days": days[upcoming], "amount": amount[upcoming]}
    )
    nxt["asset_class"] = h.loc[upcoming, "asset_class"].to_numpy()
    nxt = nxt.sort_values(["customer_id", "days", "amount"], ascending=[True, True, False])
    nxt = nxt.drop_duplicates("customer_id").set_index("customer_id").reindex(result.index)
    result["days_to_next_maturity"] = nxt["days"].fillna(NO_MATURITY_DAYS).astype(float)
    result["next_maturity_rmb"] = nxt["amount"].fillna(0.0).astype(float)
    result["next_maturity_class"] = nxt["asset_class"].to_numpy()

    recent = known & (maturity <= end) & (maturity > end - pd.Timedelta(days=91))
    renewed = h["is_renewed"].astype("boolean").fillna(False).astype(bool)
    for name, mask in (
        ("matured_not_renewed_3m_rmb", recent & ~renewed),
        ("matured_renewed_3m_rmb", recent & renewed),
    ):
        result[name] = amount[mask].groupby(ids[mask]).sum().reindex(result.index, fill_value=0.0)
    return result.reset_index()


def customer_features(customers: pd.DataFrame | None, frame: pd.DataFrame, cutoff) -> pd.DataFrame:
    """Add tenure, age, payroll, occupation, gender, risk grade and branch type to ``frame``."""
    cutoff = as_month(cutoff)
    if customers is None or customers.empty:
        for name in ("tenure_months", "age", "has_payroll"):
            frame[name] = np.nan
        for name in ("occupation", "gender", "risk_grade", "branch_type"):
            frame[name] = None
        return frame
    c = customers.drop_duplicates("customer_id").set_index("customer_id")
    c = c.reindex(frame["customer_id"])
    opened = pd.to_datetime(c["opened_on"])
    frame["tenure_months"] = (
        (cutoff.year - opened.dt.year) * 12 + (cutoff.month - opened.dt.month)
    ).to_numpy(dtype=float)
    frame["age"] = (cutoff.year - pd.to_numeric(c["birth_year"], errors="coerce")).to_numpy(float)
    payroll = c["has_payroll"] if "has_payroll" in c else pd.Series(np.nan, index=c.index)
    frame["has_payroll"] = pd.to_numeric(payroll, errors="coerce").to_numpy(dtype=float)
    for name in ("occupation", "gender", "risk_grade", "branch_type"):
        frame[name] = c[name].to_numpy() if name in c else None
    return frame


def contact_features(
    contacts: pd.DataFrame | None, frame: pd.DataFrame, cutoff: dt.date
) -> pd.DataFrame:
    """Contacts (callbacks, visits, offers) received in the 3 and 12 months up to the cut-off."""
    end = pd.Timestamp(month_end(as_month(cutoff)))
    if contacts is None or contacts.empty:
        frame["contacts_3m"] = 0.0
        frame["contacts_12m"] = 0.0
        return frame
    when = pd.to_datetime(contacts["contacted_on"])
    for name, days in (("contacts_3m", 91), ("contacts_12m", 365)):
        mask = (when <= end) & (when > end - pd.Timedelta(days=days))
        counts = contacts.loc[mask].groupby("customer_id").size()
        frame[name] = counts.reindex(frame["customer_id"], fill_value=0).to_numpy(dtype=float)
    return frame


def build_features(
    panel: pd.DataFrame | MonthPanel,
    cutoff: dt.date,
    customers: pd.DataFrame | None = None,
    holdings: pd.DataFrame | None = None,
    contacts: pd.DataFrame | None = None,
    customer_ids: np.ndarray | None = None,
) -> pd.DataFrame:
    """All churn features at ``cutoff``: ``customer_id``, ``cutoff``, FEATURES (and helpers).

    One row per customer open at ``cutoff`` (among ``customer_ids``, sorted, when given).
    ``panel`` is a long customer-month table with PANEL_COLUMNS (``spend_total_rmb`` may stand
    in for the spend columns) or a :class:`MonthPanel` pivot of one. Columns beyond FEATURES
    (``next_maturity_class``) feed the plain-word reasons only.
    """
    cutoff = as_month(cutoff)
    frame = panel_features(panel, cutoff, customer_ids)
    held = holding_features(holdings, frame["customer_id"].to_numpy(), cutoff)
    frame = frame.merge(held, on="customer_id", how="left")
    for d in MATURITY_HORIZONS_DAYS:
        frame[f"maturing_{d}d_share"] = frame[f"maturing_{d}d_rmb"] / np.maximum(
            frame["aum_rmb"], RATIO_FLOOR_RMB
        )
    frame = customer_features(customers, frame, cutoff)
    frame = contact_features(contacts, frame, cutoff)
    frame.insert(1, "cutoff", pd.Timestamp(cutoff))
    return frame

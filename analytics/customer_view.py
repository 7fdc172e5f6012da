"""What the customer view computes from one customer's rows: grace state, product fit, habits.

Pure functions on the frames ``data_access.customers`` returns (one customer: a few dozen rows).
Thresholds come from ``analytics.rules`` and the grace rule from ``analytics.tiers``.
"""

from __future__ import annotations

import pandas as pd

from analytics import rules, tiers
from catalogue import basis as bases
from catalogue import codes

CHANNELS: tuple[str, ...] = codes.CHANNEL.codes


def tier_history(months: pd.DataFrame, basis: str = bases.TIER_END) -> pd.DataFrame:
    """Month, raw and effective tier, months below the floor and the grace state per month of
    one customer, with the balance the tier is judged on the tier ``basis`` (``basis_rmb``:
    ``analytics.tiers.tier_measure``), the effective tier's floor (``floor_rmb``) and the floor
    minus that balance (``needed_rmb``: what brings the customer back to the floor when below)."""
    columns = [
        "month_start",
        "aum_rmb",
        "basis_rmb",
        "raw_tier_code",
        "tier_code",
        "floor_rmb",
        "needed_rmb",
        "months_below_floor",
        "grace_state",
    ]
    if months.empty:
        return pd.DataFrame(columns=columns)
    wanted = ["month_start", "aum_rmb", "raw_tier_code", "tier_code", "months_below_floor"]
    if "aum_avg_rmb" in months:
        wanted.append("aum_avg_rmb")
    frame = months[wanted].sort_values("month_start").reset_index(drop=True)
    frame["basis_rmb"] = tiers.tier_measure(frame.assign(customer_id=0), basis)
    frame["floor_rmb"] = frame["tier_code"].map(rules.TIER_FLOORS_RMB).astype(float)
    frame["needed_rmb"] = frame["floor_rmb"] - frame["basis_rmb"]
    frame["grace_state"] = tiers.grace_state(frame["months_below_floor"].to_numpy())
    return frame[columns]


def months_until_downgrade(months_below_floor: int) -> int | None:
    """Months left before the grace rule downgrades the customer (None when not below)."""
    if months_below_floor <= 0:
        return None
    return max(rules.DOWNGRADE_AFTER_MONTHS - int(months_below_floor), 0)


def assets_long(months: pd.DataFrame) -> pd.DataFrame:
    """Month, asset class code and balance: one row per month and class, for a stacked chart."""
    rows = [
        {"month_start": row["month_start"], "asset_class": asset.code, "aum_rmb": row[asset.column]}
        for _, row in months.iterrows()
        for asset in rules.ASSET_CLASSES
    ]
    return pd.DataFrame(rows, columns=["month_start", "asset_class", "aum_rmb"])


def open_holdings(holdings: pd.DataFrame) -> pd.DataFrame:
    if holdings.empty:
        return holdings
    return holdings[holdings["is_open"].fillna(False).astype(bool)]


def core_products_held(holdings: pd.DataFrame) -> pd.DataFrame:
    """One row per core category (五花大绑) in rule order: held now or not, and by which product."""
    held = open_holdings(holdings)
    rows = []
    for category in rules.CORE_PRODUCT_CATEGORIES:
        mine = held[held["category"] == category] if not held.empty else held
        rows.append(
            {
                "category": category,
                "is_held": not mine.empty,
                "product_codes": ", ".join(sorted(mine["product_code"].unique()))
                if not mine.empty
                else "",
            }
        )
    return pd.DataFrame(rows, columns=["category", "is_held", "product_codes"])


def is_assessed(grade: object) -> bool:
    """Whether a customer's risk grade is known (NULL and the unassessed code are not)."""
    return isinstance(grade, str) and grade in rules.RISK_GRADES


def assessment_status(grade: object, assessed_on: object, as_of: object) -> str:
    """``unassessed`` (never, 未评估), ``valid`` or ``expired``: an assessment is valid for
    ``rules.RISK_ASSESSMENT_VALID_MONTHS`` from its date up to ``as_of`` (a day)."""
    if not is_assessed(grade) or assessed_on is None or pd.isna(assessed_on):
        return "unassessed"
    if as_of is None or pd.isna(as_of):
        return "valid"
    ends = pd.Timestamp(assessed_on) + pd.DateOffset(months=rules.RISK_ASSESSMENT_VALID_MONTHS)
    return "valid" if pd.Timestamp(as_of) < ends else "expired"


def grade_limit(grade: object) -> int:
    """The highest product risk level (R*n*) that suits a customer grade: *m* for C*m*, 1 for a
    customer never assessed (only R1 products need no assessment)."""
    return int(str(grade)[1:]) if is_assessed(grade) else 1


def _grade_number(grade: object) -> int | None:
    if not isinstance(grade, str) or len(grade) < 2 or not grade[1:].isdigit():
        return None
    return int(grade[1:])


def risk_fit(customer_grade: str | None, holdings: pd.DataFrame) -> pd.DataFrame:
    """Each open holding with a product risk grade against the customer's risk grade.

    Suitability (适当性) as regulators draw it: a product of risk R*n* suits a customer graded C*m*
    when n <= m. ``fit`` is ``within`` or ``above`` (the product is riskier than the customer's
    grade); products without a risk grade (cards, services) are left out. A customer never
    assessed (no grade, 未评估) may hold only R1 products: anything riskier is ``above``.
    """
    held = open_holdings(holdings)
    columns = ["product_code", "name_en", "name_zh", "product_risk_grade", "amount_rmb", "fit"]
    if held.empty:
        return pd.DataFrame(columns=columns)
    limit = grade_limit(customer_grade)
    graded = held[held["product_risk_grade"].notna()].copy()
    levels = graded["product_risk_grade"].map(_grade_number)
    graded["fit"] = [
        "within" if limit is None or level is None or level <= limit else "above"
        for level in levels
    ]
    return graded[columns].reset_index(drop=True)


def spending_mix(months: pd.DataFrame, last_n: int = 12) -> pd.DataFrame:
    """Card spending by category over the last ``last_n`` months: amount and share (percent)."""
    recent = months.sort_values("month_start").tail(last_n)
    rows = []
    for (code, _, _), column in zip(rules.SPEND_CATEGORIES, rules.SPEND_COLUMNS, strict=True):
        rows.append(
            {"category": code, "spend_rmb": float(recent[column].sum()) if len(recent) else 0.0}
        )
    frame = pd.DataFrame(rows, columns=["category", "spend_rmb"])
    total = frame["spend_rmb"].sum()
    frame["share_pct"] = frame["spend_rmb"] / total * 100 if total > 0 else 0.0
    return frame


def channel_long(months: pd.DataFrame) -> pd.DataFrame:
    """Month, channel and transaction count: one row per month and channel."""
    rows = [
        {
            "month_start": row["month_start"],
            "channel": channel,
            "count": int(row[f"count_txn_{channel}"]),
        }
        for _, row in months.iterrows()
        for channel in CHANNELS
    ]
    return pd.DataFrame(rows, columns=["month_start", "channel", "count"])


def channel_shares(months: pd.DataFrame, last_n: int = 12) -> dict[str, float]:
    """Share (percent) of each channel in the last ``last_n`` months' transactions."""
    recent = months.sort_values("month_start").tail(last_n)
    totals = {c: float(recent[f"count_txn_{c}"].sum()) if len(recent) else 0.0 for c in CHANNELS}
    whole = sum(totals.values())
    return {c: (v / whole * 100 if whole else 0.0) for c, v in totals.items()}

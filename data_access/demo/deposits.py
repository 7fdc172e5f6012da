"""大额存单 balances and the interest paid on deposits, added to the month facts once the holdings
are drawn: the time deposit a customer holds at a month end decides whether the balance is a
大额存单 and which rate it earns.

Interest is the month's interest expense on the daily-average balance at the product's annual
rate, a day's interest being the annual rate / 360 (rules.INTEREST_DAY_COUNT), as a core system
accrues it (利息支出); 存款付息率 divides it back by the daily average, annualised.
"""

from __future__ import annotations

import calendar as cal

import numpy as np
import pyarrow as pa

from analytics import rules
from data_access.demo.monthly import ChunkMonths, Context
from data_access.demo.products import Catalogue

# Annual rates (estimate: the listed rates of rural cooperatives in 2025-2026, after the 2024-2025
# cuts of the large banks' rates that rural banks follow with a small premium; docs/demo-data.md).
DEMAND_RATE = 0.0015
TIME_RATES: dict[str, float] = {
    "TD-03M": 0.0100,
    "TD-06M": 0.0120,
    "TD-12M": 0.0140,
    "TD-24M": 0.0150,
    "TD-36M": 0.0180,
    "TD-60M": 0.0185,
    "CD-12M": 0.0165,
    "CD-36M": 0.0205,
    "TD-LC-12M": 0.0115,
    "TD-NOTICE-7D": 0.0080,
}
LARGE_CD_CODES: tuple[str, ...] = ("CD-12M", "CD-36M")
TERMS: tuple[int, ...] = (3, 6, 12, 24, 36, 60)


def held_product(rows, months: int, n: int) -> np.ndarray:
    """(M, n) the product id of the time deposit held at each month end (0 for none), from the
    chunk's time-deposit holdings (open from their opening month to the month they end)."""
    td = next(r for r in rows if r.category == "time_deposit")
    start = np.clip(td.open_m, 0, months)
    end = np.clip(td.end_m, 0, months)
    length = np.maximum(end - start, 0)
    row = np.repeat(np.arange(len(td.customer)), length)
    offset = np.arange(len(row)) - np.repeat(np.cumsum(length) - length, length)
    product = np.zeros((months, n), dtype=np.int64)
    product[start[row] + offset, td.customer[row]] = np.asarray(td.product, dtype=np.int64)[row]
    return product


def deposit_columns(
    ctx: Context, pop, facts: ChunkMonths, rows, catalogue: Catalogue
) -> dict[str, np.ndarray]:
    """The 大额存单 month-end balance and daily average and the interest paid on each deposit line
    (months x customers, not yet cut to the customers' open months)."""
    months, n = facts.alive.shape
    product = held_product(rows, months, n)
    rate_of = np.zeros(len(catalogue.frame) + 1)
    for code, rate in TIME_RATES.items():
        rate_of[catalogue.id(code)] = rate
    # A month without a time deposit at its end (matured and not renewed, or closed) earned the
    # rate of the customer's usual term on what its daily average still held.
    usual = np.select(
        [pop.td_term == t for t in TERMS], [TIME_RATES[f"TD-{t:02d}M"] for t in TERMS], 0.014
    )
    time_rate = np.where(product > 0, rate_of[product], usual[None, :])
    is_cd = np.isin(product, [catalogue.id(c) for c in LARGE_CD_CODES])
    days = np.array([cal.monthrange(m.year, m.month)[1] for m in ctx.window], dtype=np.float64)
    share_of_year = (days / rules.INTEREST_DAY_COUNT)[:, None]
    demand_col, time_col = rules.DEPOSIT_CLASS_COLUMNS
    demand_avg = facts.averages[demand_col]
    time_avg = facts.averages[time_col]
    time_interest = np.round(time_avg * time_rate * share_of_year, 2)
    return {
        "demand_deposit_interest_rmb": np.round(demand_avg * DEMAND_RATE * share_of_year, 2),
        "time_deposit_interest_rmb": time_interest,
        "large_cd_rmb": np.where(is_cd, facts.assets[time_col], 0.0),
        "large_cd_avg_rmb": np.where(is_cd, time_avg, 0.0),
        "large_cd_interest_rmb": np.where(is_cd, time_interest, 0.0),
    }


def with_deposit_columns(ctx: Context, pop, facts: ChunkMonths, rows, catalogue) -> pa.Table:
    """The chunk's month facts with the 大额存单 and interest columns added."""
    table = facts.table
    for column, values in deposit_columns(ctx, pop, facts, rows, catalogue).items():
        table = table.append_column(column, pa.array(values[facts.alive]))
    return table

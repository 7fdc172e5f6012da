"""Tier fields the extract left blank, computed with the grace rule of analytics.tiers.

A core-banking system knows balances, not our tiers. ``fact_customer_month`` rows may leave
``raw_tier_code``, ``tier_code`` and ``months_below_floor`` all blank; the loader then computes
them on the organisation's tier basis (``settings.tier_basis``: the month-end ``aum_rmb``, or the
day-weighted mean of the last three months' ``aum_avg_rmb``), customer by customer in month
order, exactly as the demo generator does. The grace rule carries state from month to month, so
a row continues from the customer's previous row: an earlier row of the extract, or in month mode
the live warehouse's previous month; on the three-month basis a month-mode load also reads the
live warehouse's daily averages of the two months before it. Rows whose tier fields are filled
keep them (and seed the state of the next month).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa

from analytics import rules, tiers
from catalogue import basis as bases
from data_access import settings
from data_access.extracts.live import Live
from data_access.extracts.staging import Scratch, StagedFile, ident

_RANK = {t.code: t.rank for t in rules.TIERS}
FILLED_VIEW = "load_fact_customer_month"


def _previous_month(month: dt.date) -> dt.date:
    return (month.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def blank_rows(scratch: Scratch, staged: StagedFile) -> int:
    return scratch.sql(f"SELECT count(*) FROM {staged.src} WHERE tier_code IS NULL")[0][0]


def _months_before(month: dt.date, count: int) -> list[dt.date]:
    """The ``count`` months before ``month``, earliest first."""
    months = [_previous_month(month)]
    while len(months) < count:
        months.insert(0, _previous_month(months[0]))
    return months if count > 0 else []


def _history(scratch: Scratch, staged: StagedFile) -> pd.DataFrame:
    """Every row of each customer that has at least one blank row, in month order."""
    reader = scratch.con.sql(
        f"SELECT customer_id, month_start, aum_rmb, aum_avg_rmb, tier_code, months_below_floor "
        f"FROM {staged.src} WHERE customer_id IN "
        f"(SELECT customer_id FROM {staged.src} WHERE tier_code IS NULL) "
        f"ORDER BY customer_id, month_start"
    )
    return reader.to_arrow_table().to_pandas()


def measure(history: pd.DataFrame, basis: str, earlier: pd.DataFrame | None = None) -> np.ndarray:
    """The balance each row of ``history`` is judged on (``analytics.tiers.tier_measure``).

    ``earlier`` holds the daily averages of months before the history (customer_id,
    month_start, aum_avg_rmb: the live warehouse's, in month mode); they count in a row's
    several-month average but get no tier of their own.
    """
    frame = history.reset_index(drop=True)
    if earlier is None or not len(earlier) or bases.check_tier_basis(basis).months == 1:
        return tiers.tier_measure(frame, basis)
    columns = ["customer_id", "month_start", "aum_rmb", "aum_avg_rmb"]
    before = earlier.assign(aum_rmb=np.nan, month_start=pd.to_datetime(earlier["month_start"]))
    before = before[before["customer_id"].isin(frame["customer_id"])]
    combined = pd.concat(
        [
            frame[columns].assign(
                row=np.arange(len(frame)), month_start=pd.to_datetime(frame["month_start"])
            ),
            before[columns].assign(row=-1),
        ],
        ignore_index=True,
    ).sort_values(["customer_id", "month_start"], kind="stable", ignore_index=True)
    values = tiers.tier_measure(combined, basis)
    mine = combined["row"].to_numpy() >= 0
    result = np.empty(len(frame))
    result[combined["row"].to_numpy()[mine]] = values[mine]
    return result


def compute(
    history: pd.DataFrame,
    seed: pd.DataFrame | None = None,
    basis: str = bases.TIER_END,
    earlier: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Fill blank tiers in ``history`` (customer_id, month_start, aum_rmb, aum_avg_rmb,
    tier_code, months_below_floor; sorted by customer and month) on the tier ``basis``.

    ``seed`` holds the state before the first row (customer_id, tier_code, months_below_floor);
    ``earlier`` the daily averages of the months before it (see :func:`measure`).
    Returns the blank rows with their computed ``raw_tier_code``, ``tier_code`` and
    ``months_below_floor``.
    """
    frame = history.reset_index(drop=True)
    codes, _ = pd.factorize(frame["customer_id"])
    step = frame.groupby(codes).cumcount().to_numpy()
    raw = tiers.raw_tier_rank(measure(frame, basis, earlier))
    given = frame["tier_code"].notna().to_numpy()
    given_rank = frame["tier_code"].map(_RANK).fillna(0).to_numpy(dtype=np.int64)
    given_below = frame["months_below_floor"].fillna(0).to_numpy(dtype=np.int64)
    customers = codes.max() + 1 if len(codes) else 0
    state_rank = np.zeros(customers, dtype=np.int64)
    state_below = np.zeros(customers, dtype=np.int64)
    has_state = np.zeros(customers, dtype=bool)
    if seed is not None and len(seed):
        position = pd.Index(frame["customer_id"].drop_duplicates()).get_indexer(seed["customer_id"])
        known = position >= 0
        state_rank[position[known]] = seed["tier_code"].map(_RANK).to_numpy()[known]
        state_below[position[known]] = seed["months_below_floor"].to_numpy()[known]
        has_state[position[known]] = True
    effective = np.zeros(len(frame), dtype=np.int64)
    below = np.zeros(len(frame), dtype=np.int64)
    for k in range(int(step.max()) + 1 if len(step) else 0):
        rows = np.flatnonzero(step == k)
        who = codes[rows]
        eff, mb = tiers.step_grace(state_rank[who], state_below[who], raw[rows], ~has_state[who])
        eff = np.where(given[rows], given_rank[rows], eff)
        mb = np.where(given[rows], given_below[rows], mb)
        effective[rows], below[rows] = eff, mb
        state_rank[who], state_below[who], has_state[who] = eff, mb, True
    blank = ~given
    return pd.DataFrame(
        {
            "customer_id": frame["customer_id"].to_numpy()[blank],
            "month_start": frame["month_start"].to_numpy()[blank],
            "raw_tier_code": tiers.tier_codes(raw[blank]).astype(str),
            "tier_code": tiers.tier_codes(effective[blank]).astype(str),
            "months_below_floor": below[blank].astype(np.int16),
        }
    )


def fill_tiers(
    scratch: Scratch, staged: StagedFile, live: Live | None, months: list[dt.date]
) -> str | None:
    """Compute blank tiers into scratch; return the view to load from (None if none blank)."""
    if not blank_rows(scratch, staged):
        return None
    history = _history(scratch, staged)
    basis = settings.tier_basis()
    seed = earlier = None
    if live is not None and months:
        seed = live.tier_state(_previous_month(min(months))).to_pandas()
        span = bases.check_tier_basis(basis).months - 1
        earlier = live.daily_averages(_months_before(min(months), span)).to_pandas()
    filled = compute(history, seed, basis, earlier)
    scratch.execute(
        "CREATE TABLE tier_fill (customer_id BIGINT, month_start DATE, raw_tier_code VARCHAR, "
        "tier_code VARCHAR, months_below_floor SMALLINT)"
    )
    scratch.insert_arrow("tier_fill", pa.Table.from_pandas(filled, preserve_index=False))
    columns = []
    for name in staged.spec.column_names:
        if name in ("raw_tier_code", "tier_code", "months_below_floor"):
            columns.append(f"coalesce(s.{ident(name)}, t.{ident(name)}) AS {ident(name)}")
        else:
            columns.append(f"s.{ident(name)}")
    scratch.execute(
        f"CREATE VIEW {FILLED_VIEW} AS SELECT {', '.join(columns)} FROM {staged.src} s "
        "LEFT JOIN tier_fill t USING (customer_id, month_start)"
    )
    return FILLED_VIEW

"""Effective customers, dormant accounts and wakings: the rule on arrays with known answers, the
mart against the rule on the demo (DuckDB and PostgreSQL), the settings that configure it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from analytics import effective as rule_of
from catalogue.effective import DEFAULT_RULE, EffectiveRule
from data_access import schema as s
from data_access import settings
from data_access.warehouse import Warehouse

RULE = EffectiveRule(min_avg_rmb=1_000, active_months=3, dormant_months=4)


def _cols(*columns: list) -> np.ndarray:
    """Month x customer array from one list of months per customer."""
    return np.array(columns).T


def test_effective_by_the_balance_line_or_a_recent_transaction() -> None:
    average = _cols([999, 1_000, 5, 5, 5, 5], [0, 0, 0, 0, 0, 0])
    active = _cols([0, 0, 1, 0, 0, 0], [0, 0, 0, 0, 0, 1])
    alive = _cols([1, 1, 1, 1, 1, 0], [1, 1, 1, 1, 1, 1])
    got = rule_of.effective(average, active, alive, RULE)
    # customer 0: under the line, then at it, then a transaction keeps them effective for three
    # months (this one and two more), then closed; customer 1 only by their last transaction.
    assert got[:, 0].tolist() == [False, True, True, True, True, False]
    assert got[:, 1].tolist() == [False] * 5 + [True]
    balance_only = EffectiveRule(1_000, 0, 4)
    assert rule_of.effective(average, active, alive, balance_only)[:, 0].tolist() == [
        False,
        True,
        False,
        False,
        False,
        False,
    ]
    assert rule_of.newly_effective(got)[:, 0].tolist() == [False, True] + [False] * 4
    assert rule_of.newly_effective(got)[:, 1].tolist() == [False] * 5 + [True]


def test_dormant_after_months_in_a_row_without_a_transaction_and_woken_by_one() -> None:
    active = _cols([1, 0, 0, 0, 0, 0, 1, 0], [0, 0, 0, 1, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0])
    alive = _cols([1] * 8, [1] * 8, [0, 0, 1, 1, 1, 1, 1, 1])
    asleep = rule_of.dormant(active, alive, RULE)
    assert asleep[:, 0].tolist() == [False] * 4 + [True, True, False, False]
    assert asleep[:, 1].tolist() == [False] * 7 + [True]  # a transaction in month 4 resets
    assert asleep[:, 2].tolist() == [False] * 5 + [True] * 3  # counted from opening
    woke = rule_of.woken(active, alive, RULE)
    assert woke[:, 0].tolist() == [False] * 6 + [True, False]
    assert not woke[:, 1:].any()


def _facts(warehouse: Warehouse) -> pd.DataFrame:
    f = s.fact_customer_month.c
    with warehouse.reader().connect() as conn:
        return pd.read_sql(
            sa.select(
                f.customer_id,
                f.month_start,
                f.branch_id,
                f.tier_code,
                f.aum_avg_rmb,
                f.is_active,
                f.is_closed,
            ),
            conn,
        )


def _by_rule(facts: pd.DataFrame, rule: EffectiveRule) -> pd.DataFrame:
    """The mart's counts computed from the facts by analytics.effective on arrays."""
    months = sorted(facts["month_start"].unique())
    customers = sorted(facts["customer_id"].unique())
    m = facts["month_start"].map({v: i for i, v in enumerate(months)}).to_numpy()
    c = facts["customer_id"].map({v: i for i, v in enumerate(customers)}).to_numpy()
    shape = (len(months), len(customers))

    def grid(values, fill) -> np.ndarray:
        out = np.full(shape, fill, dtype=np.asarray(values).dtype)
        out[m, c] = values
        return out

    alive = grid((~facts["is_closed"]).to_numpy(), False)
    active = grid(facts["is_active"].to_numpy(), False)
    average = grid(facts["aum_avg_rmb"].to_numpy(), 0.0)
    eff = rule_of.effective(average, active, alive, rule)
    out = facts[["branch_id", "month_start", "tier_code"]].assign(
        count_effective=eff[m, c],
        count_effective_new=rule_of.newly_effective(eff)[m, c],
        count_dormant=rule_of.dormant(active, alive, rule)[m, c],
        count_dormant_woken=rule_of.woken(active, alive, rule)[m, c],
    )
    return out.groupby(["branch_id", "month_start", "tier_code"], as_index=False).sum()


@pytest.mark.parametrize("name", ["demo_duckdb", "demo_pg"])
def test_the_mart_counts_what_the_rule_counts(request: pytest.FixtureRequest, name: str) -> None:
    warehouse: Warehouse = request.getfixturevalue(name)
    keys = ["branch_id", "month_start", "tier_code"]
    with warehouse.reader().connect() as conn:
        mart = pd.read_sql(sa.select(s.mart_effective_month), conn)
    expected = _by_rule(_facts(warehouse), settings.effective_rule())
    got = mart.sort_values(keys).reset_index(drop=True)
    expected = expected.sort_values(keys).reset_index(drop=True)
    got["month_start"] = pd.to_datetime(got["month_start"])
    expected["month_start"] = pd.to_datetime(expected["month_start"])
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    totals = got[[c for c in got.columns if c.startswith("count_")]].sum()
    assert totals["count_effective"] > 0 and totals["count_dormant_woken"] > 0
    assert totals["count_dormant"] > 0 and totals["count_effective_new"] > 0


def test_the_rule_is_read_from_the_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert settings.effective_rule() == DEFAULT_RULE
    monkeypatch.setenv("PCRM_EFFECTIVE_MIN_AVG_RMB", "5000")
    monkeypatch.setenv("PCRM_EFFECTIVE_ACTIVE_MONTHS", "0")
    assert settings.effective_rule() == EffectiveRule(5_000, 0, DEFAULT_RULE.dormant_months)
    monkeypatch.setenv("PCRM_EFFECTIVE_ACTIVE_MONTHS", "-1")
    with pytest.raises(settings.SettingsError, match="effective_active_months is '-1'.*at least 0"):
        settings.effective_rule()

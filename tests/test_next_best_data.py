"""Next best product on DuckDB and PostgreSQL: the marts refresh writes (mart_propensity_model,
mart_next_best) against hand-written SQL and a scikit-learn fit of their own, and the scoped
reads the pages make (campaign list, a customer's suggestions)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from analytics import cross_sell_rules as xr
from analytics import propensity
from data_access import cross_sell, query
from data_access.churn_data import read_frame as engine_frame
from data_access.filters import Filters
from data_access.warehouse import Warehouse
from tests.test_customers_data import as_of_month, first_branches, warehouse_sql

# Holds ``:c`` open at the end of the month before ``:end`` (the first day of the next month).
_HOLDS = """
    EXISTS (SELECT 1 FROM fact_product_holding h JOIN dim_product p USING (product_id)
            WHERE h.customer_id = f.customer_id AND p.category = :c
              AND h.opened_on < :end AND (h.closed_on IS NULL OR h.closed_on >= :end))
"""


@pytest.fixture(params=["demo_duckdb", "demo_pg"])
def warehouse(request: pytest.FixtureRequest) -> Warehouse:
    found = request.getfixturevalue(request.param)
    query.use_warehouse(found)
    return found


def _read(warehouse: Warehouse, table: str, columns: list[str]) -> pd.DataFrame:
    rows = warehouse_sql(warehouse, f"SELECT {', '.join(columns)} FROM {table}")
    return pd.DataFrame(rows, columns=columns)


def _mart(warehouse: Warehouse) -> pd.DataFrame:
    columns = "customer_id month_start target branch_id tier_code aum_rmb probability "
    columns += "suggestion_rank reason_feature reason_direction"
    frame = _read(warehouse, "mart_next_best", columns.split())
    frame["probability"] = frame["probability"].astype(float)
    return frame


def _models(warehouse: Warehouse) -> pd.DataFrame:
    columns = "month_start target has_model auc count_train count_test count_holders base_rate_pct"
    return _read(warehouse, "mart_propensity_model", columns.split()).set_index("target")


def _sample_ids(warehouse: Warehouse, month) -> list[int]:
    rows = warehouse_sql(
        warehouse,
        """
        SELECT customer_id FROM fact_customer_month
        WHERE month_start = :m AND NOT is_closed
        ORDER BY (customer_id * 7919 + 104729) % 1000003, customer_id LIMIT :n
        """,
        m=month,
        n=xr.SAMPLE_SIZE,
    )
    return [int(r[0]) for r in rows]


def test_one_model_row_per_line_with_the_samples_holders(warehouse: Warehouse) -> None:
    month = as_of_month(warehouse)
    models = _models(warehouse)
    assert sorted(models.index) == sorted(xr.TARGETS)
    assert set(models["month_start"]) == {month}
    sample = _sample_ids(warehouse, month)
    end = cross_sell.months_before(month, -1)
    for target, row in models.iterrows():
        (holders,) = warehouse_sql(
            warehouse,
            f"""
            SELECT count(*) FROM fact_customer_month f
            WHERE f.month_start = :m AND NOT f.is_closed AND {_HOLDS}
              AND f.customer_id IN (
                SELECT customer_id FROM fact_customer_month
                WHERE month_start = :m AND NOT is_closed
                ORDER BY (customer_id * 7919 + 104729) % 1000003, customer_id LIMIT :n)
            """,
            m=month,
            c=target,
            end=end,
            n=xr.SAMPLE_SIZE,
        )[0]
        assert int(row["count_holders"]) == holders, target
        assert int(row["count_train"]) + int(row["count_test"]) == len(sample), target
        assert float(row["base_rate_pct"]) == pytest.approx(100.0 * holders / len(sample))
        if row["has_model"]:
            assert 0.5 < float(row["auc"]) <= 1.0, target
        else:
            assert pd.isna(row["auc"]), target
    assert int(models["has_model"].sum()) >= 3


def test_every_open_customer_is_scored_for_each_modelled_line_not_held(
    warehouse: Warehouse,
) -> None:
    month = as_of_month(warehouse)
    mart = _mart(warehouse)
    models = _models(warehouse)
    assert set(mart["month_start"]) == {month}
    end = cross_sell.months_before(month, -1)
    for target in xr.TARGETS:
        scored = set(mart.loc[mart["target"] == target, "customer_id"].astype(int))
        if not models.loc[target, "has_model"]:
            assert not scored, target
            continue
        lacking = {
            int(r[0])
            for r in warehouse_sql(
                warehouse,
                f"""
                SELECT f.customer_id FROM fact_customer_month f
                WHERE f.month_start = :m AND NOT f.is_closed AND NOT {_HOLDS}
                """,
                m=month,
                c=target,
                end=end,
            )
        }
        assert scored == lacking, target
    facts = pd.DataFrame(
        warehouse_sql(
            warehouse,
            "SELECT customer_id, branch_id, tier_code, aum_rmb FROM fact_customer_month "
            "WHERE month_start = :m",
            m=month,
        ),
        columns=["customer_id", "branch_id", "tier_code", "aum_rmb"],
    )
    joined = mart.merge(facts, on="customer_id", suffixes=("", "_fact"))
    assert len(joined) == len(mart)
    assert (joined["branch_id"] == joined["branch_id_fact"]).all()
    assert (joined["tier_code"] == joined["tier_code_fact"]).all()
    np.testing.assert_allclose(joined["aum_rmb"], joined["aum_rmb_fact"].astype(float))
    # Ranks follow the probability within each customer, 1 .. n.
    ordered = mart.sort_values(["customer_id", "suggestion_rank"])
    for _, part in ordered.groupby("customer_id"):
        assert part["suggestion_rank"].tolist() == list(range(1, len(part) + 1))
        assert part["probability"].is_monotonic_decreasing
    assert set(mart["reason_direction"]) <= set(propensity.REASON_DIRECTIONS)


def test_the_marts_equal_a_fit_of_our_own(warehouse: Warehouse) -> None:
    """Fit the models again from the training sample and compare AUCs and probabilities."""
    month = as_of_month(warehouse)
    engine = warehouse.reader()
    try:
        sample = engine_frame(engine, cross_sell.training_sample_select(month))
    finally:
        engine.dispose()
    assert sample["customer_id"].tolist() == _sample_ids(warehouse, month)  # the documented order
    fitted = propensity.fit_models(sample, cross_sell.FEATURES)
    models = _models(warehouse)
    mart = _mart(warehouse)
    features = sample.set_index("customer_id")
    for target, model in fitted.models.items():
        assert bool(models.loc[target, "has_model"]) == (model.pipeline is not None), target
        if model.pipeline is None:
            continue
        assert float(models.loc[target, "auc"]) == pytest.approx(model.auc, abs=1e-9)
        # The AUC is the held-out one: recompute it from the split by customer id.
        test = propensity.is_test(sample["customer_id"])
        label = sample[f"holds_{target}"].astype(float).to_numpy() > 0.5
        refit = make_pipeline(
            StandardScaler(), LogisticRegression(C=xr.REGULARISATION_C, max_iter=1000)
        ).fit(sample.loc[~test, list(model.features)].astype(float).to_numpy(), label[~test])
        held_out = refit.predict_proba(
            sample.loc[test, list(model.features)].astype(float).to_numpy()
        )[:, 1]
        assert float(models.loc[target, "auc"]) == pytest.approx(
            roc_auc_score(label[test], held_out), abs=1e-9
        )
        rows = mart[mart["target"] == target].head(50)
        x = features.loc[rows["customer_id"], list(model.features)].astype(float).to_numpy()
        np.testing.assert_allclose(
            rows["probability"], model.pipeline.predict_proba(x)[:, 1], rtol=1e-7
        )


def test_campaign_list_is_the_marts_top_n_masked_and_scoped(warehouse: Warehouse, viewers) -> None:
    month = as_of_month(warehouse)
    executive = viewers(warehouse)["executive"]
    target = "mobile_banking"
    listed = cross_sell.campaign_list(executive, Filters(month=month), target, limit=30)
    expected = warehouse_sql(
        warehouse,
        """
        SELECT n.customer_id, c.full_name, n.probability FROM mart_next_best n
        JOIN dim_customer c USING (customer_id)
        WHERE n.month_start = :m AND n.target = :t
        ORDER BY n.probability DESC, n.customer_id LIMIT 30
        """,
        m=month,
        t=target,
    )
    assert listed["customer_id"].tolist() == [int(r[0]) for r in expected]
    np.testing.assert_allclose(listed["probability"].astype(float), [float(r[2]) for r in expected])
    assert all(
        shown != name and shown[0] == name[0]
        for shown, name in zip(listed["full_name"], [r[1] for r in expected], strict=True)
    )
    head = viewers(warehouse)["branch_head"]
    branch_a = first_branches(warehouse, 1)[0]
    mine = cross_sell.campaign_list(head, Filters(month=month), target, limit=1000)
    assert len(mine) > 0 and set(mine["branch_id"].astype(int)) == {branch_a}
    (count,) = warehouse_sql(
        warehouse,
        "SELECT count(*) FROM mart_next_best WHERE month_start = :m AND target = :t "
        "AND branch_id = :b",
        m=month,
        t=target,
        b=branch_a,
    )[0]
    assert len(mine) == min(count, 1000)
    with pytest.raises(ValueError):
        cross_sell.campaign_list(executive, Filters(), "caviar")
    with pytest.raises(ValueError):
        cross_sell.campaign_list(executive, Filters(), "debit_card")  # not a modelled line


def test_a_customers_suggestions_are_their_top_lines_with_lift(
    warehouse: Warehouse, viewers
) -> None:
    month = as_of_month(warehouse)
    executive = viewers(warehouse)["executive"]
    (customer,) = warehouse_sql(
        warehouse,
        "SELECT min(customer_id) FROM mart_next_best WHERE suggestion_rank = :k",
        k=xr.TOP_SUGGESTIONS,
    )[0]
    found = cross_sell.customer_suggestions(executive, customer)
    rows = warehouse_sql(
        warehouse,
        """
        SELECT n.target, n.probability, m.base_rate_pct, n.reason_feature, n.reason_direction
        FROM mart_next_best n JOIN mart_propensity_model m USING (month_start, target)
        WHERE n.customer_id = :c AND n.month_start = :m AND n.suggestion_rank <= :k
        ORDER BY n.suggestion_rank
        """,
        c=customer,
        m=month,
        k=xr.TOP_SUGGESTIONS,
    )
    assert len(rows) == xr.TOP_SUGGESTIONS
    assert found["target"].tolist() == [r[0] for r in rows]
    np.testing.assert_allclose(found["probability_pct"], [float(r[1]) * 100 for r in rows])
    np.testing.assert_allclose(
        found["lift"], [float(r[1]) * 100 / float(r[2]) for r in rows], rtol=1e-9
    )
    assert found["reason_direction"].tolist() == [r[4] for r in rows]
    # Out of scope: the branch head of another branch sees nothing of this customer.
    (branch,) = warehouse_sql(
        warehouse, "SELECT branch_id FROM dim_customer WHERE customer_id = :c", c=customer
    )[0]
    head = viewers(warehouse)["branch_head"]
    if head.branch_id != branch:
        assert cross_sell.customer_suggestions(head, customer).empty


def test_the_scored_month_falls_back_to_the_latest(warehouse: Warehouse, viewers) -> None:
    month = as_of_month(warehouse)
    executive = viewers(warehouse)["executive"]
    assert cross_sell.scored_month(executive) == month
    assert cross_sell.scored_month(executive, month) == month
    earlier = cross_sell.months_before(month, 3)
    assert cross_sell.scored_month(executive, earlier) == month  # nothing scored before
    models = cross_sell.propensity_models(viewers(warehouse)["branch_head"], month)
    assert models["target"].tolist() == list(xr.TARGETS)  # model metadata: visible to all

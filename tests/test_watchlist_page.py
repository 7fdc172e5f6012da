"""The watchlist page in AppTest: ranking and totals against raw SQL, scope per persona, the
customer in the URL opening its case, and a recorded callback showing in the history."""

from __future__ import annotations

import datetime as dt
import functools

import pandas as pd
import pytest

from analytics import retention_rules
from data_access import app_store
from data_access.viewer import Viewer
from data_access.warehouse import Warehouse
from tests.conftest import viewers_for
from tests.test_app_shell import (
    count_page_runs,
    first_branches,
    format_in,
    new_app,
    open_page,
    texts,
    warehouse_sql,
)
from tests.test_numbers_on_screen import offenders, shown_cells, shown_text
from ui import formatting as fmt
from ui import watchlist_view
from ui.i18n import name_of, translate

PAGE = "pages/watchlist.py"


_open = functools.partial(open_page, PAGE)


def _table(at) -> pd.DataFrame:
    frames = [d.value for d in at.dataframe if "Rank" in d.value.columns]
    assert frames, "the watchlist table is not shown"
    return frames[0]


def _month(warehouse: Warehouse) -> dt.date:
    (month,) = warehouse_sql(warehouse, "SELECT max(month_start) FROM mart_churn_score")[0]
    return pd.Timestamp(month).date()


def test_the_executive_sees_the_province_ranked_by_value_at_risk(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    at = _open("executive")
    month = _month(demo_duckdb)
    top = warehouse_sql(
        demo_duckdb,
        "SELECT customer_id FROM mart_churn_score WHERE month_start = :m "
        "ORDER BY expected_assets_at_risk_rmb DESC, customer_id LIMIT 25",
        m=month,
    )
    table = _table(at)
    assert table["Customer no."].tolist() == [r[0] for r in top]
    assert table["Name"].str.contains(r"\*").all()
    assert (table["Customer view"] == [f"customer?customer={r[0]}" for r in top]).all()
    watched, risk = warehouse_sql(
        demo_duckdb,
        "SELECT count(*), sum(expected_assets_at_risk_rmb) FROM mart_churn_score "
        "WHERE month_start = :m AND score_band IN ('high', 'medium')",
        m=month,
    )[0]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["On the watchlist 预警客户"] == fmt.count(watched, "en")
    assert metrics["Value at risk 风险资产"] == fmt.money(risk, "en")
    # Viewing the list is on record with the customers shown.
    audit = app_store.recent_audit(event="customer_list", url=app_store_url)
    assert app_store.parse_customer_ids(audit["customer_ids"][0]) == [r[0] for r in top]


def test_a_branch_head_sees_only_their_branch(demo_duckdb: Warehouse, app_store_url: str) -> None:
    branch = first_branches(demo_duckdb, 1)[0]
    at = _open("branch_head", branch)
    table = _table(at)
    month = _month(demo_duckdb)
    own = {
        r[0]
        for r in warehouse_sql(
            demo_duckdb,
            "SELECT customer_id FROM mart_churn_score WHERE month_start = :m AND branch_id = :b",
            m=month,
            b=branch,
        )
    }
    assert set(table["Customer no."]) <= own
    assert len(table) == min(25, len(own))


def test_a_wealth_manager_sees_only_their_own_customers(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    manager: Viewer = viewers_for(demo_duckdb)["wealth_manager"]
    at = new_app().switch_page(PAGE)
    at.session_state["pcrm_viewer"] = manager
    at.run()
    assert not at.exception, at.exception
    table = _table(at)
    own = {
        r[0]
        for r in warehouse_sql(
            demo_duckdb,
            "SELECT customer_id FROM mart_churn_score WHERE month_start = :m AND rm_staff_id = :s",
            m=_month(demo_duckdb),
            s=manager.staff_id,
        )
    }
    assert set(table["Customer no."]) <= own and len(table) > 0


def test_a_recorded_callback_appears_in_the_history(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    branch = first_branches(demo_duckdb, 1)[0]
    month = _month(demo_duckdb)
    (customer,) = warehouse_sql(
        demo_duckdb,
        "SELECT customer_id FROM mart_churn_score WHERE month_start = :m AND branch_id = :b "
        "ORDER BY expected_assets_at_risk_rmb DESC LIMIT 1",
        m=month,
        b=branch,
    )[0]
    at = _open("branch_head", branch, params={"wl_customer": str(customer)})
    assert "No contact recorded yet." in texts(at)
    at.selectbox(key="wl_form_type").set_value("callback")
    at.selectbox(key="wl_form_outcome").set_value("follow_up")
    at.text_input(key="wl_form_next").input("renewal form at the branch")
    at.text_area(key="wl_form_note").input("deposit of 80,000 matures next week")
    at.button(key="FormSubmitter:wl_action_form-Save").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["Saved to the contact history and the audit log."]
    history = [d.value for d in at.dataframe if "Recorded by" in d.value.columns]
    assert history and history[0]["Note"].tolist() == ["deposit of 80,000 matures next week"]
    assert history[0]["Action"].tolist() == ["Phone callback"]
    # The list's rows are cached warehouse reads; the status comes from the app store on every
    # rerun, so the action shows at once (the customer is the branch's first by value at risk).
    table = _table(at)
    assert table.loc[table["Customer no."] == customer, "Status"].tolist() == ["Contacted"]
    audit = app_store.recent_audit(event="contact_record", url=app_store_url)
    assert app_store.parse_customer_ids(audit["customer_ids"][0]) == [customer]
    at.multiselect(key="wl_status").set_value(["contacted"]).run()
    assert not at.exception, at.exception
    assert _table(at)["Customer no."].tolist() == [customer]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_retention_form_redraws_its_case_or_the_list_never_the_page(
    lang: str, demo_duckdb: Warehouse, app_store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    branch = first_branches(demo_duckdb, 1)[0]
    (customer,) = warehouse_sql(
        demo_duckdb,
        "SELECT customer_id FROM mart_churn_score WHERE month_start = :m AND branch_id = :b "
        "ORDER BY expected_assets_at_risk_rmb DESC LIMIT 1",
        m=_month(demo_duckdb),
        b=branch,
    )[0]
    format_in(lang, monkeypatch)
    runs = count_page_runs(monkeypatch)
    list_runs: list[int] = []  # runs of the list tab (its controls are drawn first)
    real_controls = watchlist_view.criteria_controls

    def controls(*args, **kwargs):
        list_runs.append(1)
        return real_controls(*args, **kwargs)

    monkeypatch.setattr(watchlist_view, "criteria_controls", controls)
    at = _open("branch_head", branch, params={"wl_customer": str(customer), "lang": lang})
    before = (len(runs), len(list_runs))

    def submit():
        button = next(b for b in at.button if b.key.startswith("FormSubmitter:wl_action_form"))
        button.click().run()
        assert not at.exception, at.exception

    # Refused (a closed case needs no follow-up date): the case panel alone, with the reason.
    at.selectbox(key="wl_form_status").set_value("retained")
    at.date_input(key="wl_form_follow_up").set_value(dt.date.today() + dt.timedelta(days=7))
    submit()
    assert (len(runs), len(list_runs)) == before, "more than the case panel ran"
    reason = "a closed case (retained or lost) needs no follow-up date"
    assert [e.value for e in at.error] == [translate("wl.form_invalid", lang, reason=reason)]
    assert not app_store.recent_audit(event="contact_record", url=app_store_url).shape[0]
    # Recorded: the list tab again (the row's status changes), still not the page.
    at.selectbox(key="wl_form_status").set_value("contacted")
    at.date_input(key="wl_form_follow_up").set_value(None)
    submit()
    assert (len(runs), len(list_runs)) == (before[0], before[1] + 1)
    assert [s.value for s in at.success] == [translate("wl.form_saved", lang)]
    table = next(d.value for d in at.dataframe if translate("wl.col_rank", lang) in d.value.columns)
    row = table[table[translate("wl.col_customer_id", lang)] == customer]
    contacted = next(s for s in retention_rules.STATUSES if s[0] == "contacted")
    assert row[translate("wl.col_status", lang)].tolist() == [name_of(contacted, lang)]


def test_the_follow_up_tab_explains_itself_in_chinese(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    assert "预警客户" in texts(_open("executive", params={"lang": "zh"}))
    at = _open("executive", params={"lang": "zh", "wl_tab": "followup"})
    shown = texts(at)
    assert "这不是因果效应" in shown
    # Its tables write rates in percent and counts as counts, never a raw float.
    by_type = next(d for d in at.dataframe if translate("wl.fu_col_type", "zh") in d.value.columns)
    rates = shown_cells(by_type)[translate("wl.fu_col_rate", "zh")]
    assert len(rates) and all(r.endswith("%") or r == "—" for r in rates)
    assert not [text for _, text in shown_text(at) if offenders(text)]


def test_the_analyst_reads_a_case_without_assigning_or_recording_it(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    """Roles without the capabilities to assign a case or record a contact are shown neither
    control (the data layer would refuse them), only the note that they read the list."""
    month = _month(demo_duckdb)
    (customer,) = warehouse_sql(
        demo_duckdb,
        "SELECT customer_id FROM mart_churn_score WHERE month_start = :m "
        "ORDER BY expected_assets_at_risk_rmb DESC LIMIT 1",
        m=month,
    )[0]
    at = _open("analyst", params={"wl_customer": str(customer)})
    keys = {widget.key for widget in at.selectbox}
    assert f"wl_assign_{customer}" not in keys and "wl_form_type" not in keys
    assert any("Your role reads the watchlist" in c.value for c in at.caption)
    at = _open("executive", params={"wl_customer": str(customer)})
    assert {f"wl_assign_{customer}", "wl_form_type"} <= {widget.key for widget in at.selectbox}

"""The customer view in AppTest: search within scope, the customer in the URL, denied ids,
audited openings, and a recorded contact showing in the history.

Expected values come from raw SQL on the warehouse (not the data layer), formatted with
ui.formatting.
"""

from __future__ import annotations

import functools
import json

import pandas as pd
import pytest

from analytics import rules, tiers
from data_access import app_store, auth_store, customers
from data_access.viewer import Viewer
from data_access.warehouse import Warehouse
from tests.test_app_shell import (
    count_page_runs,
    first_branches,
    format_in,
    open_page,
    texts,
    warehouse_sql,
)
from ui import downloads, exports
from ui import formatting as fmt
from ui.i18n import translate

PAGE = "pages/customer.py"


_open = functools.partial(open_page, PAGE)


def _customer_of(warehouse: Warehouse, branch_id: int) -> tuple:
    """An open customer of ``branch_id`` with a mobile: id, full name, mobile, ID number."""
    return warehouse_sql(
        warehouse,
        """
        SELECT customer_id, full_name, mobile, id_number FROM dim_customer
        WHERE branch_id = :b AND closed_on IS NULL AND mobile IS NOT NULL
        ORDER BY customer_id LIMIT 1
        """,
        b=branch_id,
    )[0]


def _search(at, text: str):
    at.text_input(key="cust_search").input(text).run()
    assert not at.exception, at.exception
    return at


def _options(at) -> list[int]:
    """Customer ids offered by the result picker (options read ``<id> · <name> · ...``)."""
    picks = [s for s in at.selectbox if s.key == "cust_pick"]
    return [int(str(o).split(" · ")[0]) for o in picks[0].options] if picks else []


def test_the_customer_in_the_url_opens_with_masked_profile_and_is_audited(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    branch_a = first_branches(demo_duckdb, 1)[0]
    customer_id, name, mobile, _ = _customer_of(demo_duckdb, branch_a)
    at = _open("executive", params={"customer": str(customer_id)})
    shown = texts(at)
    assert f"{name[0]}{'*' * (len(name) - 1)} · Customer no. {customer_id}" in shown
    assert name not in shown and mobile not in shown
    (aum,) = warehouse_sql(
        demo_duckdb,
        """
        SELECT aum_rmb FROM fact_customer_month WHERE customer_id = :c
        ORDER BY month_start DESC LIMIT 1
        """,
        c=customer_id,
    )[0]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Financial assets 金融资产"] == fmt.money(aum, "en")
    assert all(m.proto.help for m in at.metric)
    views = app_store.recent_audit(url=app_store_url, event="customer_view")
    assert app_store.parse_customer_ids(views.iloc[0]["customer_ids"]) == [customer_id]
    # A rerun of the same view is one opening, not two.
    at.run()
    assert len(app_store.recent_audit(url=app_store_url, event="customer_view")) == 1


def test_a_customer_outside_scope_in_the_url_is_not_found_and_audited(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    branch_a, branch_b = first_branches(demo_duckdb, 2)
    other, name, _, _ = _customer_of(demo_duckdb, branch_b)
    at = _open("branch_head", branch_a, params={"customer": str(other)})
    assert "Customer not found or not permitted" in texts(at)
    assert not at.metric and not at.tabs
    assert name not in texts(at)
    denied = app_store.recent_audit(url=app_store_url, event="access_denied")
    assert app_store.parse_customer_ids(denied.iloc[0]["customer_ids"]) == [other]
    assert app_store.recent_audit(url=app_store_url, event="customer_view").empty
    # Nonsense in the URL is the same answer, never an error.
    at = _open("branch_head", branch_a, params={"customer": "1 OR 1=1"})
    assert "Customer not found or not permitted" in texts(at)


def test_a_branch_head_cannot_find_another_branchs_customer(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    branch_a, branch_b = first_branches(demo_duckdb, 2)
    other, _, mobile, id_number = _customer_of(demo_duckdb, branch_b)
    at = _open("branch_head", branch_a)
    for text in (str(other), mobile, id_number):
        _search(at, text)
        assert other not in _options(at), text
    # The same searches as the executive do find the customer.
    at = _open("executive")
    for text in (str(other), mobile, id_number):
        _search(at, text)
        assert other in _options(at), text


def _searches(url: str) -> list[dict]:
    rows = app_store.recent_audit(100, url, event="customer_search")
    return [json.loads(d) for d in rows["detail"][::-1]]


def test_a_masked_search_by_name_is_refused_with_a_hint_and_audited(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    branch_a = first_branches(demo_duckdb, 1)[0]
    customer_id, name, mobile, _ = _customer_of(demo_duckdb, branch_a)
    at = _search(_open("branch_head", branch_a), name)
    assert not _options(at)
    hint = at.warning[0].value
    assert "search only by the customer number, the full 18-character ID number" in hint
    assert "first unmask personal data in the sidebar" in hint  # a branch head may unmask
    _search(at, mobile[-4:] if int(mobile[-4:]) != customer_id else mobile[-5:])
    assert customer_id not in _options(at)  # digits are a customer number, not a mobile's end
    _search(at, mobile)
    assert _options(at) == [customer_id]
    assert name not in " ".join(str(o) for o in at.selectbox(key="cust_pick").options)
    at.selectbox(key="cust_pick").set_value(customer_id).run()
    assert at.query_params["customer"] in (str(customer_id), [str(customer_id)])
    searched = _searches(app_store_url)
    assert [s["kind"] for s in searched][::2] == ["not_allowed", "number+mobile"]
    assert len(searched) == 3  # the rerun that opened the customer was not another search
    logged = app_store.recent_audit(100, app_store_url).to_string()
    assert name not in logged and mobile not in logged  # only keyed hashes of the texts
    # The executive may not unmask by default: the hint does not send them to the sidebar.
    at = _search(_open("executive"), name)
    assert "search only by the customer number" in at.warning[0].value
    assert "unmask" not in at.warning[0].value


def test_after_unmasking_a_branch_head_finds_by_name_in_full(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    branch_a = first_branches(demo_duckdb, 1)[0]
    customer_id, name, mobile, _ = _customer_of(demo_duckdb, branch_a)
    at = _open("branch_head", branch_a)
    at.text_input(key="pcrm_unmask_reason").input("客户来电核实身份信息")
    at.button(key="pcrm_unmask_grant").click().run()
    _search(at, name)
    assert customer_id in _options(at)
    shown = " ".join(str(o) for o in at.selectbox(key="cust_pick").options)
    assert f"{customer_id} · {name} · {mobile}" in shown
    assert _searches(app_store_url)[-1]["kind"] == "name"


def test_searches_beyond_the_limit_are_refused_with_a_message(
    demo_duckdb: Warehouse, app_store_url: str, monkeypatch
) -> None:
    monkeypatch.setenv("PCRM_SEARCH_LIMIT_PER_MINUTE", "2")
    branch_a = first_branches(demo_duckdb, 1)[0]
    customer_id, _, mobile, id_number = _customer_of(demo_duckdb, branch_a)
    at = _open("branch_head", branch_a)
    for text in (str(customer_id), mobile):
        assert customer_id in _options(_search(at, text))
    _search(at, id_number)
    assert not _options(at)
    assert "you have searched 2 times in the last minute" in at.error[0].value
    assert "您在一分钟内已查找2次，已达上限" in translate("cust.search_rate_limited", "zh", limit=2)
    assert _searches(app_store_url)[-1]["refused"] == "rate_limit"


def _record_note(branch_id: int, customer_id: int, note: str) -> None:
    # Recorded as the branch's demo persona: a record of anyone else would withhold the personas.
    head = Viewer(f"demo:branch-head:{branch_id}", "branch_head", branch_id=branch_id)
    customers.record_contact(
        customers.Contact(customer_id, "callback", "follow_up", note=note), by=head
    )


def test_contact_notes_are_masked_on_the_page_and_in_the_export_until_unmasked(
    demo_duckdb: Warehouse, app_store_url: str, monkeypatch
) -> None:
    branch_a = first_branches(demo_duckdb, 1)[0]
    customer_id, *_ = _customer_of(demo_duckdb, branch_a)
    note = "新手机13912345678，身份证62010219900101123X"
    _record_note(branch_a, customer_id, note)
    exported: dict[str, str] = {}
    real_file_pair = exports.file_pair

    def recording_file_pair(frame, context, **kwargs) -> None:
        exported[kwargs["key"]] = downloads.to_csv_bytes(frame).decode("utf-8-sig")
        real_file_pair(frame, context, **kwargs)

    monkeypatch.setattr(exports, "file_pair", recording_file_pair)
    at = _open("branch_head", branch_a, params={"customer": str(customer_id)})
    history = next(df.value for df in at.dataframe if "note" in df.value.columns)
    masked = "新手机139****5678，身份证620***********123X"
    assert history["note"].tolist() == [masked]
    assert masked in exported["customer_contacts"] and note not in exported["customer_contacts"]
    at.text_input(key="pcrm_unmask_reason").input("客户来电核实身份信息")
    at.button(key="pcrm_unmask_grant").click().run()
    history = next(df.value for df in at.dataframe if "note" in df.value.columns)
    assert history["note"].tolist() == [note]
    assert note in exported["customer_contacts"]


def test_a_recorded_contact_shows_in_the_history(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    branch_a = first_branches(demo_duckdb, 1)[0]
    customer_id, *_ = _customer_of(demo_duckdb, branch_a)
    at = _open("branch_head", branch_a, params={"customer": str(customer_id)})
    assert "No contact recorded yet." in texts(at)
    at.selectbox(key="cust_ct_type").set_value("retention_offer")
    at.selectbox(key="cust_ct_outcome").set_value("accepted")
    at.text_area(key="cust_ct_note").input("到期续存，已接受三年定期")
    at.button(key="cust_ct_save").click().run()
    assert not at.exception, at.exception
    history = next(df.value for df in at.dataframe if "note" in df.value.columns)
    assert history["note"].tolist() == ["到期续存，已接受三年定期"]
    assert history["contact_type"].tolist() == ["Retention offer"]
    recorded = app_store.recent_audit(url=app_store_url, event="contact_record")
    assert app_store.parse_customer_ids(recorded.iloc[0]["customer_ids"]) == [customer_id]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_saving_a_contact_redraws_the_contacts_panel_alone(
    lang: str, demo_duckdb: Warehouse, app_store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    branch_a = first_branches(demo_duckdb, 1)[0]
    customer_id, *_ = _customer_of(demo_duckdb, branch_a)
    format_in(lang, monkeypatch)
    runs = count_page_runs(monkeypatch)
    rechecks: list[str] = []
    real_recheck = auth_store.recheck_account

    def recheck(viewer, *args, **kwargs):
        rechecks.append(viewer.user_id)
        return real_recheck(viewer, *args, **kwargs)

    monkeypatch.setattr(auth_store, "recheck_account", recheck)
    at = _open("branch_head", branch_a, params={"customer": str(customer_id), "lang": lang})
    page_runs, checks = len(runs), len(rechecks)
    at.selectbox(key="cust_ct_type").set_value("callback")
    at.selectbox(key="cust_ct_outcome").set_value("follow_up")
    at.text_area(key="cust_ct_note").input("下周三带身份证来网点续存")
    at.button(key="cust_ct_save").click().run()
    assert not at.exception, at.exception
    assert len(runs) == page_runs, "the page ran again: only the contacts panel should"
    assert len(rechecks) == checks + 1, "the account is re-read before the history is shown"
    assert not at.title  # what this run drew is the panel alone
    history = next(df.value for df in at.dataframe if "note" in df.value.columns)
    assert history["note"].tolist() == ["下周三带身份证来网点续存"]
    assert [toast.value for toast in at.toast] == [translate("cust.contact_saved", lang)]
    recorded = app_store.recent_audit(url=app_store_url, event="contact_record")
    assert app_store.parse_customer_ids(recorded.iloc[0]["customer_ids"]) == [customer_id]


@pytest.mark.parametrize("persona", ["executive", "analyst", "branch_head"])
def test_every_section_renders_for_each_persona_in_both_languages(
    persona: str, demo_duckdb: Warehouse, app_store_url: str
) -> None:
    branch_a = first_branches(demo_duckdb, 1)[0]
    (customer_id,) = warehouse_sql(
        demo_duckdb,
        """
        SELECT customer_id FROM fact_customer_month
        WHERE branch_id = :b AND NOT is_closed
        ORDER BY aum_rmb DESC, customer_id LIMIT 1
        """,
        b=branch_a,
    )[0]
    for lang in ("en", "zh"):
        at = _open(persona, branch_a, params={"customer": str(customer_id), "lang": lang})
        assert len(at.tabs) == 6
        assert len(at.get("plotly_chart")) >= 3
        if lang == "zh":
            assert "客户号" in texts(at)


@pytest.mark.parametrize(
    ("lang", "basis", "name"),
    [
        ("en", "avg3", "3-month daily average"),
        ("zh", "avg3", "近三个月日均"),
        ("en", "end", "month-end balance"),
        ("zh", "end", "月末余额"),
    ],
)
def test_the_tier_explanation_measures_on_the_tier_basis(
    demo_duckdb: Warehouse, app_store_url: str, monkeypatch, lang: str, basis: str, name: str
) -> None:
    """A customer in the 保级期: the tier line names the basis, its value and what is needed (the
    floor minus that value), as analytics.tiers computes it from the customer's months."""
    monkeypatch.setenv("PCRM_TIER_BASIS", basis)
    branch_a = first_branches(demo_duckdb, 1)[0]
    (customer_id, tier) = warehouse_sql(
        demo_duckdb,
        """
        SELECT customer_id, tier_code FROM fact_customer_month
        WHERE branch_id = :b AND NOT is_closed AND months_below_floor > 0
          AND month_start = (SELECT as_of_month FROM meta_warehouse)
        ORDER BY customer_id LIMIT 1
        """,
        b=branch_a,
    )[0]
    history = pd.DataFrame(
        warehouse_sql(
            demo_duckdb,
            "SELECT customer_id, month_start, aum_rmb, aum_avg_rmb FROM fact_customer_month "
            "WHERE customer_id = :c ORDER BY month_start",
            c=customer_id,
        ),
        columns=["customer_id", "month_start", "aum_rmb", "aum_avg_rmb"],
    )
    value = float(tiers.tier_measure(history, basis)[-1])
    floor = rules.TIER_FLOORS_RMB[tier]
    at = _open("branch_head", branch_a, params={"customer": str(customer_id), "lang": lang})
    assert not at.exception, at.exception
    shown = texts(at)
    line = translate(
        "cust.tier_basis_now",
        lang,
        basis=name,
        value=fmt.money(value, lang),
        floor=fmt.money(floor, lang),
    )
    assert line in shown
    assert basis == "end" or floor > value  # in the 保级期 on the basis its tier was judged on
    if floor > value:
        assert translate("cust.tier_needed", lang, needed=fmt.money(floor - value, lang)) in shown


def test_an_opening_records_unmasked_filters_and_session(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    branch_a = first_branches(demo_duckdb, 1)[0]
    customer_id, name, *_ = _customer_of(demo_duckdb, branch_a)
    # The branch head: a role that may unmask (the executive may not, by default).
    at = _open("branch_head", branch_a, params={"customer": str(customer_id), "tier": "vip"})
    masked = json.loads(
        app_store.recent_audit(url=app_store_url, event="customer_view").iloc[0]["detail"]
    )
    session_id = at.session_state["pcrm_session_id"]
    assert masked["unmasked"] is False and masked["session_id"] == session_id
    assert masked["filters"]["tiers"] == ["vip"]
    # Seeing the same customer unmasked is a new view, on record as such.
    at.text_input(key="pcrm_unmask_reason").input("客户来电核实转账信息")
    at.button(key="pcrm_unmask_grant").click().run()
    assert not at.exception, at.exception
    assert name in texts(at)
    views = app_store.recent_audit(url=app_store_url, event="customer_view")
    assert len(views) == 2
    unmasked = json.loads(views.iloc[0]["detail"])
    assert unmasked["unmasked"] is True and unmasked["session_id"] == session_id
    assert app_store.parse_customer_ids(views.iloc[0]["customer_ids"]) == [customer_id]

"""The customer-view, cross-selling and VIP queries on DuckDB and PostgreSQL: scope, masking,
counts against raw SQL, the contact log (next best product: tests/test_next_best_data.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from analytics import rules
from data_access import app_store, cross_sell, customers, query, retention, vip
from data_access.filters import Filters
from data_access.viewer import Viewer
from data_access.warehouse import Warehouse


def warehouse_sql(warehouse: Warehouse, sql: str, **params: object) -> list[tuple]:
    """Hand-written SQL on the warehouse, outside the data layer (no scope, no masking)."""
    engine = warehouse.reader()
    try:
        with engine.connect() as conn:
            if not warehouse.is_duckdb:
                conn.execute(sa.text(f'SET search_path TO "{warehouse.pg_schema}"'))
            return [tuple(row) for row in conn.execute(sa.text(sql), params)]
    finally:
        engine.dispose()


def first_branches(warehouse: Warehouse, n: int) -> list[int]:
    rows = warehouse_sql(
        warehouse, "SELECT branch_id FROM dim_branch ORDER BY branch_id LIMIT :n", n=n
    )
    return [int(r[0]) for r in rows]


def as_of_month(warehouse: Warehouse) -> dt.date:
    return warehouse_sql(warehouse, "SELECT as_of_month FROM meta_warehouse")[0][0]


@pytest.fixture(params=["demo_duckdb", "demo_pg"])
def warehouse(request: pytest.FixtureRequest) -> Warehouse:
    found = request.getfixturevalue(request.param)
    query.use_warehouse(found)
    return found


def _other_branch_customer(warehouse: Warehouse) -> tuple[int, int, int, str, str]:
    branch_a, branch_b = first_branches(warehouse, 2)
    customer_id, name, mobile = warehouse_sql(
        warehouse,
        """
        SELECT customer_id, full_name, mobile FROM dim_customer
        WHERE branch_id = :b AND mobile IS NOT NULL ORDER BY customer_id LIMIT 1
        """,
        b=branch_b,
    )[0]
    return branch_a, branch_b, customer_id, name, mobile


def _head(viewers, warehouse: Warehouse, branch_id: int):
    head = viewers(warehouse)["branch_head"]
    assert head.branch_id == branch_id
    return head


def _own_customer(warehouse: Warehouse, branch_id: int) -> tuple[int, str, str, str]:
    """A customer of ``branch_id`` with a mobile: id, full name, mobile, ID number."""
    return warehouse_sql(
        warehouse,
        """
        SELECT customer_id, full_name, mobile, id_number FROM dim_customer
        WHERE branch_id = :b AND mobile IS NOT NULL AND length(full_name) > 1
        ORDER BY customer_id LIMIT 1
        """,
        b=branch_id,
    )[0]


def _granted(viewer: Viewer) -> Viewer:
    return dataclasses.replace(viewer, unmask_until=time.time() + 600)


def test_search_never_crosses_the_scope(warehouse: Warehouse, viewers, settings_store: str) -> None:
    branch_a, _, other, name, mobile = _other_branch_customer(warehouse)
    (id_number,) = warehouse_sql(
        warehouse, "SELECT id_number FROM dim_customer WHERE customer_id = :c", c=other
    )[0]
    head, executive = _head(viewers, warehouse, branch_a), viewers(warehouse)["executive"]
    for text in (str(other), mobile, id_number):
        found = customers.search_customers(head, text)
        assert other not in set(found["customer_id"]), text
        assert set(found["branch_id"]) <= {branch_a}
        hit = customers.search_customers(executive, text, limit=50)
        assert other in set(hit["customer_id"]), text
        assert name not in set(hit["full_name"]) and mobile not in set(hit["mobile"])
    for text in (name, mobile[-4:]):  # with a grant, a branch head still searches only their own
        found = customers.search_customers(_granted(head), text, limit=50)
        assert other not in set(found["customer_id"]), text
    assert customers.search_customers(executive, "   ").empty  # no text: no search
    with pytest.raises(customers.SearchNotAllowed):
        customers.search_customers(executive, "%")


def test_a_masked_viewer_searches_only_by_number_full_id_or_full_mobile(
    warehouse: Warehouse, viewers, settings_store: str
) -> None:
    branch_a = first_branches(warehouse, 1)[0]
    mine, name, mobile, id_number = _own_customer(warehouse, branch_a)
    head = _head(viewers, warehouse, branch_a)
    # Parts of a name or of an ID number are refused outright ...
    for text in (name, name[:1], name[1:], id_number[-6:] + "x", f"{mobile[:3]}****", "王%"):
        with pytest.raises(customers.SearchNotAllowed, match="full ID number or full mobile"):
            customers.search_customers(head, text)
    # ... and digits that are not a full mobile or ID number are only ever a customer number.
    for text in (mobile[-4:], mobile[:7], mobile[3:], id_number[:10], id_number[:17]):
        found = customers.search_customers(head, text)
        assert mine not in set(found["customer_id"]) or int(text) == mine, text
    # The exact full values find the customer (a grouped or full-width mobile too), masked.
    grouped = f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}"
    full_width = mobile.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    for text in (str(mine), mobile, id_number, id_number.lower(), grouped, full_width):
        found = customers.search_customers(head, text)
        assert mine in set(found["customer_id"]), text
        row = found.set_index("customer_id").loc[mine]
        assert row["full_name"] == name[0] + "*" * (len(name) - 1)
        assert row["mobile"] == mobile[:3] + "****" + mobile[7:]


def test_a_viewer_with_an_unmask_grant_also_searches_by_name_and_last_four(
    warehouse: Warehouse, viewers, settings_store: str
) -> None:
    """Only a role that may unmask, while its grant runs, searches by part of a name or the
    mobile's last four digits, and then sees the results in full. The executive may not unmask
    by default, so their grant changes nothing."""
    branch_a = first_branches(warehouse, 1)[0]
    mine, name, mobile, _ = _own_customer(warehouse, branch_a)
    head = _granted(_head(viewers, warehouse, branch_a))
    for text in (name, name[1:], mobile[-4:]):
        found = customers.search_customers(head, text, limit=50)
        assert mine in set(found["customer_id"]), text
        assert set(found["branch_id"]) == {branch_a}
        row = found.set_index("customer_id").loc[mine]
        assert row["full_name"] == name and row["mobile"] == mobile
    executive = _granted(viewers(warehouse)["executive"])
    with pytest.raises(customers.SearchNotAllowed):
        customers.search_customers(executive, name)


def _searches(url: str, user_id: str) -> list[dict]:
    rows = app_store.recent_audit(500, url, user_id=user_id, event="customer_search")
    return [
        {
            "customer_ids": app_store.parse_customer_ids(
                r.customer_ids if isinstance(r.customer_ids, str) else None
            ),
            **json.loads(r.detail),
        }
        for r in rows.iloc[::-1].itertuples()
    ]


def test_every_search_is_audited_with_a_keyed_hash_never_the_text(
    warehouse: Warehouse, viewers, settings_store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = "a test key of at least thirty-two characters"
    monkeypatch.setenv("PCRM_AUDIT_HASH_KEY", key)
    branch_a, _, _, other_name, other_mobile = _other_branch_customer(warehouse)
    mine, name, mobile, _ = _own_customer(warehouse, branch_a)
    head = _head(viewers, warehouse, branch_a)
    assert mine in set(customers.search_customers(head, mobile)["customer_id"])  # a hit
    assert customers.search_customers(head, other_mobile).empty  # a miss
    with pytest.raises(customers.SearchNotAllowed):
        customers.search_customers(head, other_name)  # refused
    customers.search_customers(_granted(head), name)  # a hit with a grant

    def hmac_of(text: str) -> str:
        return hmac.new(key.encode(), text.encode(), hashlib.sha256).hexdigest()

    audited = _searches(settings_store, head.user_id)
    assert [(a["kind"], a.get("hits"), a["unmasked"]) for a in audited] == [
        ("number+mobile", 1, False),
        ("number+mobile", 0, False),
        ("not_allowed", 0, False),
        ("name", audited[3]["hits"], True),
    ]
    assert [a["text_hmac"] for a in audited] == [
        hmac_of(t) for t in (mobile, other_mobile, other_name, name)
    ]
    assert audited[0]["customer_ids"] == [mine] and audited[1]["customer_ids"] == []
    assert mine in audited[3]["customer_ids"]
    raw = app_store.recent_audit(500, settings_store).to_string()
    for text in (mobile, other_mobile, other_name, name):
        assert text not in raw


def test_the_31st_search_in_a_minute_is_refused_across_sessions(
    warehouse: Warehouse, viewers, settings_store: str
) -> None:
    branch_a = first_branches(warehouse, 1)[0]
    mine, *_ = _own_customer(warehouse, branch_a)
    head = _head(viewers, warehouse, branch_a)
    other_tab = _granted(head)  # the same person in another session (and with a grant)
    for number in range(30):
        who = head if number % 2 else other_tab
        assert not customers.search_customers(who, str(mine)).empty
    with pytest.raises(customers.SearchRateLimited) as refused:
        customers.search_customers(head, str(mine))
    assert refused.value.limit == 30
    with pytest.raises(customers.SearchRateLimited):
        customers.search_customers(other_tab, str(mine))
    audited = _searches(settings_store, head.user_id)
    assert len(audited) == 32
    assert [a.get("refused") for a in audited[-2:]] == ["rate_limit", "rate_limit"]
    assert audited[-1]["customer_ids"] == [] and "hits" not in audited[-1]
    # Someone else is not held back.
    assert not customers.search_customers(viewers(warehouse)["executive"], str(mine)).empty


def test_contact_notes_mask_personal_data_for_a_masked_viewer(
    warehouse: Warehouse, viewers, settings_store: str
) -> None:
    branch_a = first_branches(warehouse, 1)[0]
    mine, *_ = _own_customer(warehouse, branch_a)
    head = _head(viewers, warehouse, branch_a)
    note = "客户换了新手机13912345678，身份证62010219900101123X，卡号6228480012345678901"
    customers.record_contact(
        customers.Contact(
            customer_id=mine,
            contact_type="callback",
            outcome="follow_up",
            note=note,
            next_step="回拨 139 1234 5678",
        ),
        by=head,
    )
    masked_note = "客户换了新手机139****5678，身份证620***********123X，卡号622848*********8901"
    for who in (head, viewers(warehouse)["executive"], _granted(viewers(warehouse)["executive"])):
        for read in (customers.contact_history, retention.action_history):
            history = read(who, mine)
            assert history["note"].tolist() == [masked_note], (who.role, read.__name__)
            assert history["next_step"].tolist() == ["回拨 139****5678"]
    for read in (customers.contact_history, retention.action_history):
        history = read(_granted(head), mine)
        assert history["note"].tolist() == [note]
        assert history["next_step"].tolist() == ["回拨 139 1234 5678"]


def test_reads_of_an_out_of_scope_customer_are_empty(warehouse: Warehouse, viewers) -> None:
    branch_a, _, other, _, _ = _other_branch_customer(warehouse)
    head = _head(viewers, warehouse, branch_a)
    assert not customers.customer_in_scope(head, other)
    for read in (
        customers.customer_profile,
        customers.customer_months,
        customers.product_holdings,
        customers.household_members,
        customers.wealth_manager,
        customers.vip_services_used,
        customers.churn_score,
        customers.contact_history,
        cross_sell.customer_suggestions,
    ):
        assert read(head, other).empty, read.__name__
    assert customers.customer_profile(head, "1; DROP TABLE dim_customer").empty


def test_the_profile_is_masked_and_complete(warehouse: Warehouse, viewers) -> None:
    _, _, other, name, mobile = _other_branch_customer(warehouse)
    executive = viewers(warehouse)["executive"]
    profile = customers.customer_profile(executive, other).iloc[0]
    assert profile["full_name"] == name[0] + "*" * (len(name) - 1)
    assert profile["mobile"] == mobile[:3] + "****" + mobile[7:]
    months = customers.customer_months(executive, other)
    (count,) = warehouse_sql(
        warehouse, "SELECT count(*) FROM fact_customer_month WHERE customer_id = :c", c=other
    )[0]
    assert len(months) == count and months["month_start"].is_monotonic_increasing
    household = customers.household_members(executive, other)
    assert other in set(household["customer_id"])


def test_coverage_counts_equal_raw_sql(warehouse: Warehouse, viewers) -> None:
    executive = viewers(warehouse)["executive"]
    month = as_of_month(warehouse)
    counts = cross_sell.core_coverage(executive, Filters(month=month), "branch")
    raw = warehouse_sql(
        warehouse,
        """
        SELECT branch_id, count_core_products, count(*) FROM fact_customer_month
        WHERE month_start = :m AND NOT is_closed GROUP BY 1, 2
        """,
        m=month,
    )
    got = {
        (int(b), int(k)): int(n)
        for b, k, n in zip(
            counts["branch_id"],
            counts["count_core_products"],
            counts["count_customers"],
            strict=True,
        )
    }
    assert got == {(int(b), int(k)): int(n) for b, k, n in raw}
    for dimension in cross_sell.DIMENSIONS:
        frame = cross_sell.core_coverage(executive, Filters(month=month), dimension)
        assert int(frame["count_customers"].sum()) == sum(int(n) for _, _, n in raw)


def test_stickiness_equals_raw_sql(warehouse: Warehouse, viewers) -> None:
    branch_a = first_branches(warehouse, 1)[0]
    head = _head(viewers, warehouse, branch_a)
    month = as_of_month(warehouse)
    pairs = cross_sell.stickiness(head, Filters(month=month, months_back=4))
    raw = warehouse_sql(
        warehouse,
        """
        SELECT a.count_core_products, count(*), sum(CASE WHEN b.is_closed THEN 1 ELSE 0 END)
        FROM fact_customer_month a JOIN fact_customer_month b
          ON b.customer_id = a.customer_id
         AND b.month_start = CAST(a.month_start + INTERVAL '1 month' AS DATE)
        WHERE NOT a.is_closed AND a.branch_id = :b
          AND b.month_start >= :start AND b.month_start <= :m
        GROUP BY 1
        """,
        b=branch_a,
        m=month,
        start=cross_sell.months_before(month, 3),
    )
    got = {
        int(k): (int(n), int(c))
        for k, n, c in zip(
            pairs["count_core_products"], pairs["count_base"], pairs["count_churned"], strict=True
        )
    }
    assert got == {int(k): (int(n), int(c)) for k, n, c in raw}


def _curve(frame) -> dict[int, tuple[int, int]]:
    return {
        int(k): (int(n), int(c))
        for k, n, c in zip(
            frame["count_core_products"], frame["count_base"], frame["count_churned"], strict=True
        )
    }


def test_stickiness_of_all_products_and_of_a_wealth_managers_book(
    warehouse: Warehouse, viewers
) -> None:
    """The executive's curve comes from mart_stickiness, the wealth manager's from the facts
    (the mart has no relationship manager); both equal hand-written SQL."""
    month = as_of_month(warehouse)
    pairs = """
        SELECT LEAST(a.count_products, 8), count(*),
               sum(CASE WHEN b.is_closed THEN 1 ELSE 0 END)
        FROM fact_customer_month a JOIN fact_customer_month b
          ON b.customer_id = a.customer_id
         AND b.month_start = CAST(a.month_start + INTERVAL '1 month' AS DATE)
        WHERE NOT a.is_closed AND b.month_start >= :start AND b.month_start <= :m {extra}
        GROUP BY 1
    """
    start = cross_sell.months_before(month, 5)
    executive = viewers(warehouse)["executive"]
    got = cross_sell.stickiness(executive, Filters(month=month, months_back=6), "products")
    raw = warehouse_sql(warehouse, pairs.format(extra=""), m=month, start=start)
    assert _curve(got) == {int(k): (int(n), int(c)) for k, n, c in raw}
    manager = viewers(warehouse)["wealth_manager"]
    got = cross_sell.stickiness(manager, Filters(month=month, months_back=6), "products")
    raw = warehouse_sql(
        warehouse,
        pairs.format(extra="AND a.rm_staff_id = :s AND b.rm_staff_id = :s"),
        m=month,
        start=start,
        s=manager.staff_id,
    )
    assert _curve(got) == {int(k): (int(n), int(c)) for k, n, c in raw}
    assert sum(n for n, _ in _curve(got).values()) > 0


def test_vip_counts_equal_raw_sql(warehouse: Warehouse, viewers) -> None:
    executive = viewers(warehouse)["executive"]
    month = as_of_month(warehouse)
    by_branch = vip.vip_by_branch(executive, Filters(month=month))
    raw = warehouse_sql(
        warehouse,
        """
        SELECT branch_id, count(*) FROM fact_customer_month
        WHERE month_start = :m AND NOT is_closed AND aum_rmb >= :vip GROUP BY 1
        """,
        m=month,
        vip=rules.VIP_THRESHOLD_RMB,
    )
    assert dict(zip(by_branch["branch_id"], by_branch["count_eligible"], strict=True)) == {
        int(b): int(n) for b, n in raw
    }
    assert (by_branch["count_using"] <= by_branch["count_eligible"]).all()
    listed = vip.vip_customers(executive, Filters(month=month), limit=5)
    assert listed["aum_rmb"].is_monotonic_decreasing
    assert (listed["aum_rmb"] >= rules.VIP_THRESHOLD_RMB).all()


def test_partner_employers_payroll_within_staff(warehouse: Warehouse, viewers) -> None:
    executive = viewers(warehouse)["executive"]
    employers = cross_sell.partner_employers(executive, Filters(month=as_of_month(warehouse)))
    (total,) = warehouse_sql(warehouse, "SELECT count(*) FROM dim_partner_employer")[0]
    assert len(employers) == total
    assert (employers["count_payroll"] <= employers["count_staff_customers"]).all()
    assert (employers["count_exclusive_holders"] <= employers["count_staff_customers"]).all()


def test_contacts_are_recorded_once_and_only_within_scope(
    demo_duckdb: Warehouse, viewers, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    store = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("PCRM_APP_DB_URL", store)
    query.use_warehouse(demo_duckdb)
    try:
        branch_a, _, other, _, _ = _other_branch_customer(demo_duckdb)
        head = _head(viewers, demo_duckdb, branch_a)
        (mine,) = warehouse_sql(
            demo_duckdb,
            "SELECT min(customer_id) FROM dim_customer WHERE branch_id = :b",
            b=branch_a,
        )[0]
        contact = customers.Contact(
            customer_id=mine,
            contact_type="callback",
            outcome="follow_up",
            note="到期提醒",
            next_step="visit",
            next_step_on=dt.date(2026, 10, 8),
            contact_id="c0ffee00-0000-4000-8000-000000000001",
        )
        customers.record_contact(contact, by=head)
        customers.record_contact(contact, by=head)  # a resubmitted form
        history = customers.contact_history(head, mine)
        assert history["contact_id"].tolist() == [contact.contact_id]
        assert int(history["branch_id"].iloc[0]) == branch_a
        with pytest.raises(PermissionError):
            customers.record_contact(
                customers.Contact(customer_id=other, contact_type="callback", outcome="reached"),
                by=head,
            )
        with pytest.raises(ValueError):
            customers.record_contact(
                customers.Contact(customer_id=mine, contact_type="bribe", outcome="reached"),
                by=head,
            )
        audited = app_store.recent_audit(url=store, event="contact_record")
        assert len(audited) == 2  # both submissions are on record; the row is stored once
    finally:
        app_store.dispose_engines()

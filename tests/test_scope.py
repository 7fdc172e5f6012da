"""Who sees what: query.read_frame on a tiny hand-built warehouse, on DuckDB and PostgreSQL.

The organisation (ids chosen so that a leak shows up as a foreign number):

    prefecture 1 -> cooperative 10 -> branches 100, 101
    prefecture 2 -> cooperative 20 -> branch 200

    customer  home branch  relationship manager (rm_staff_id)
    1         100          1001 (wealth manager at 100)
    2         100          1001
    3         100          1002 (wealth manager at 101: a customer served from another branch)
    4         101          1002
    5         200          2001
    6         200          none

Every customer has two rows in fact_customer_month.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from catalogue import roles
from data_access import masking, query, schema
from data_access.scope import ScopeError
from data_access.viewer import Viewer
from data_access.warehouse import Warehouse

MONTHS = (dt.date(2026, 7, 1), dt.date(2026, 8, 1))
PREFECTURES = [(1, "Lanzhou", "兰州"), (2, "Dingxi", "定西")]
COOPERATIVES = [(10, 1), (20, 2)]
BRANCHES = [(100, 10, 1), (101, 10, 1), (200, 20, 2)]
STAFF = [
    (1000, 100, "branch_head"),
    (1001, 100, "wealth_manager"),
    (1002, 101, "wealth_manager"),
    (2000, 200, "branch_head"),
    (2001, 200, "wealth_manager"),
]
CUSTOMERS = [(1, 100, 1001), (2, 100, 1001), (3, 100, 1002), (4, 101, 1002), (5, 200, 2001)]
CUSTOMERS += [(6, 200, None)]
ALL_CUSTOMERS = {c for c, _, _ in CUSTOMERS}
ALL_BRANCHES = {b for b, _, _ in BRANCHES}

fcm, dc, db = schema.fact_customer_month, schema.dim_customer, schema.dim_branch


def id_number(customer_id: int) -> str:
    return f"62010219800101{customer_id:04d}"


def mobile(customer_id: int) -> str:
    return f"1381234{customer_id:04d}"


def card(customer_id: int) -> str:
    return f"622848001234567{customer_id:04d}"


def aum(customer_id: int, month_index: int) -> float:
    return 10_000.0 * customer_id + month_index


def populate(engine: sa.Engine) -> None:
    """Create every warehouse table and insert the tiny organisation above."""
    schema.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(
            sa.insert(schema.dim_prefecture),
            [
                {"prefecture_id": p, "name_en": en, "name_zh": zh, "population_10k": 100.0}
                for p, en, zh in PREFECTURES
            ],
        )
        conn.execute(
            sa.insert(schema.dim_cooperative),
            [
                {
                    "cooperative_id": c,
                    "prefecture_id": p,
                    "name_en": f"Cooperative {c}",
                    "name_zh": f"农村信用联社{c}",
                    "legal_form": "credit_union",
                }
                for c, p in COOPERATIVES
            ],
        )
        conn.execute(
            sa.insert(db),
            [
                {
                    "branch_id": b,
                    "cooperative_id": c,
                    "prefecture_id": p,
                    "name_en": f"Branch {b}",
                    "name_zh": f"网点{b}",
                    "branch_type": "township",
                    "opened_on": dt.date(2001, 1, 1),
                    "count_staff": 6,
                }
                for b, c, p in BRANCHES
            ],
        )
        conn.execute(
            sa.insert(schema.dim_staff),
            [
                {
                    "staff_id": s,
                    "branch_id": b,
                    "full_name": f"员工{s}",
                    "role": role,
                    "hired_on": dt.date(2010, 3, 1),
                    "role_since": dt.date(2018, 1, 1),
                }
                for s, b, role in STAFF
            ],
        )
        conn.execute(
            sa.insert(schema.dim_household),
            [
                {"household_id": c, "branch_id": b, "is_farm_household": True, "village_zh": "村"}
                for c, b, _ in CUSTOMERS
            ],
        )
        conn.execute(
            sa.insert(dc),
            [
                {
                    "customer_id": c,
                    "branch_id": b,
                    "rm_staff_id": rm,
                    "household_id": c,
                    "gender": "F",
                    "birth_year": 1980,
                    "occupation": "farmer",
                    "risk_grade": "C2",
                    "opened_on": dt.date(2015, 5, 1),
                    "full_name": f"王小{c}",
                    "id_number": id_number(c),
                    "mobile": mobile(c),
                    "card_number": card(c),
                }
                for c, b, rm in CUSTOMERS
            ],
        )
        zero = {col.name: 0 for col in fcm.columns}
        conn.execute(
            sa.insert(fcm),
            [
                zero
                | {
                    "customer_id": c,
                    "month_start": month,
                    "branch_id": b,
                    "rm_staff_id": rm,
                    "aum_rmb": aum(c, i),
                    "raw_tier_code": "mass",
                    "tier_code": "mass",
                    "is_active": True,
                    "is_new": False,
                    "is_closed": False,
                }
                for c, b, rm in CUSTOMERS
                for i, month in enumerate(MONTHS)
            ],
        )
        conn.execute(
            sa.insert(schema.meta_warehouse),
            [
                {
                    "version_id": "tiny-1",
                    "built_at": dt.datetime(2026, 9, 1, 6, 0),
                    "source": "test",
                    "is_demo": False,
                    "first_month": MONTHS[0],
                    "as_of_month": MONTHS[-1],
                    "count_customers": len(CUSTOMERS),
                }
            ],
        )


@pytest.fixture(scope="module", params=["duckdb", pytest.param("postgresql", marks=pytest.mark.pg)])
def tiny(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """The tiny warehouse, once per module and backend."""
    if request.param == "duckdb":
        path: Path = tmp_path_factory.mktemp("scope") / "tiny.duckdb"
        engine = sa.create_engine(f"duckdb:///{path}")
        populate(engine)
        engine.dispose()
        yield Warehouse(f"duckdb:///{path}")
        return
    warehouse = Warehouse(
        request.getfixturevalue("pg_url"), pg_schema=f"pcrm_t_{uuid.uuid4().hex[:8]}"
    )
    try:
        with warehouse.build() as engine:
            populate(engine)
        yield warehouse
    finally:
        warehouse.drop()


@pytest.fixture
def wh(tiny: Warehouse) -> Warehouse:
    query.use_warehouse(tiny)
    return tiny


def viewer(role: str, **org) -> Viewer:
    return Viewer(f"t-{role}", role, **org)


# role, organisation, customers they may see, branches (dim_branch rows) they may see
SCOPES = [
    ("executive", {}, ALL_CUSTOMERS, ALL_BRANCHES),
    ("analyst", {}, ALL_CUSTOMERS, ALL_BRANCHES),
    ("prefecture_manager", {"prefecture_id": 1}, {1, 2, 3, 4}, {100, 101}),
    ("prefecture_manager", {"prefecture_id": 2}, {5, 6}, {200}),
    ("cooperative_manager", {"cooperative_id": 10}, {1, 2, 3, 4}, {100, 101}),
    ("cooperative_manager", {"cooperative_id": 20}, {5, 6}, {200}),
    ("branch_head", {"branch_id": 100, "staff_id": 1000}, {1, 2, 3}, {100}),
    ("branch_head", {"branch_id": 101}, {4}, {101}),
    ("branch_head", {"branch_id": 200, "staff_id": 2000}, {5, 6}, {200}),
    ("wealth_manager", {"branch_id": 100, "staff_id": 1001}, {1, 2}, {100}),
    ("wealth_manager", {"branch_id": 101, "staff_id": 1002}, {3, 4}, {101}),
    ("wealth_manager", {"branch_id": 200, "staff_id": 2001}, {5}, {200}),
    ("admin", {}, set(), set()),
    # A manager whose organisation is not set sees nothing (default deny).
    ("branch_head", {}, set(), set()),
    ("wealth_manager", {"branch_id": 100}, set(), set()),
]
SCOPE_IDS = [f"{role}-{'-'.join(map(str, org.values())) or 'all'}" for role, org, _, _ in SCOPES]


@pytest.mark.parametrize(("role", "org", "customers", "branches"), SCOPES, ids=SCOPE_IDS)
def test_rows_of_each_table(wh, role, org, customers, branches) -> None:
    who = viewer(role, **org)
    facts = query.read_frame(who, sa.select(fcm.c.customer_id, fcm.c.branch_id, fcm.c.aum_rmb))
    assert set(facts["customer_id"]) == customers
    assert len(facts) == 2 * len(customers)
    assert facts["aum_rmb"].sum() == sum(aum(c, 0) + aum(c, 1) for c in customers)
    assert set(query.read_frame(who, sa.select(dc.c.customer_id))["customer_id"]) == customers
    assert set(query.read_frame(who, sa.select(db.c.branch_id))["branch_id"]) == branches


@pytest.mark.parametrize(("role", "org", "customers", "branches"), SCOPES, ids=SCOPE_IDS)
def test_joins_and_subqueries_are_scoped(wh, role, org, customers, branches) -> None:
    who = viewer(role, **org)
    joined = query.read_frame(
        who,
        sa.select(fcm.c.customer_id, dc.c.full_name, db.c.name_en)
        .select_from(fcm)
        .join(dc, dc.c.customer_id == fcm.c.customer_id)
        .join(db, db.c.branch_id == dc.c.branch_id),
    )
    # A join can only return customers whose every part is visible.
    assert set(joined["customer_id"]) <= customers

    count_facts = sa.select(sa.func.count()).select_from(fcm).scalar_subquery()
    assert query.read_scalar(who, sa.select(count_facts)) == 2 * len(customers)

    in_subquery = sa.select(dc.c.customer_id).where(
        dc.c.customer_id.in_(sa.select(fcm.c.customer_id).where(fcm.c.aum_rmb > 0))
    )
    assert set(query.read_frame(who, in_subquery)["customer_id"]) == customers

    cte = sa.select(fcm.c.customer_id).where(fcm.c.month_start == MONTHS[1]).cte("latest")
    assert set(query.read_frame(who, sa.select(cte.c.customer_id))["customer_id"]) == customers

    union = sa.union_all(sa.select(fcm.c.customer_id), sa.select(dc.c.customer_id)).subquery()
    assert set(query.read_frame(who, sa.select(union.c.customer_id))["customer_id"]) == customers


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (viewer("executive"), {100: 6, 101: 2, 200: 4}),
        (viewer("cooperative_manager", cooperative_id=10), {100: 6, 101: 2}),
        (viewer("branch_head", branch_id=100), {100: 6}),
        (viewer("wealth_manager", branch_id=101, staff_id=1002), {101: 2}),
    ],
    ids=["executive", "cooperative", "branch", "wealth_manager"],
)
def test_correlated_scalar_subquery(wh, who: Viewer, expected: dict[int, int]) -> None:
    per_branch = (
        sa.select(sa.func.count())
        .select_from(fcm)
        .where(fcm.c.branch_id == db.c.branch_id)
        .scalar_subquery()
    )
    frame = query.read_frame(who, sa.select(db.c.branch_id, per_branch.label("n_rows")))
    assert dict(zip(frame["branch_id"], frame["n_rows"], strict=True)) == expected


def test_asking_for_another_branch_returns_nothing(wh) -> None:
    head = viewer("branch_head", branch_id=100)
    other = sa.select(fcm).where(fcm.c.branch_id == 200)
    assert query.read_frame(head, other).empty
    assert query.read_frame(head, sa.select(dc).where(dc.c.customer_id == 5)).empty
    their_sum = sa.select(sa.func.sum(fcm.c.aum_rmb)).where(fcm.c.customer_id == 5)
    assert query.read_scalar(head, their_sum) is None


def test_wealth_manager_sees_only_themself_among_staff(wh) -> None:
    manager = viewer("wealth_manager", branch_id=101, staff_id=1002)
    staff = query.read_frame(manager, sa.select(schema.dim_staff.c.staff_id))
    assert list(staff["staff_id"]) == [1002]


def test_products_and_build_metadata_are_visible_to_every_role(wh) -> None:
    for role in roles.ROLES:
        who = viewer(role, branch_id=100, staff_id=1001, cooperative_id=10, prefecture_id=1)
        meta = query.read_frame(who, sa.select(schema.meta_warehouse.c.version_id))
        assert list(meta["version_id"]) == ["tiny-1"]


def test_personal_data_comes_back_masked(wh) -> None:
    pii = sa.select(dc.c.customer_id, dc.c.full_name, dc.c.id_number, dc.c.mobile, dc.c.card_number)
    for who in (viewer("executive"), viewer("analyst"), viewer("branch_head", branch_id=100)):
        frame = query.read_frame(who, pii).set_index("customer_id")
        for c in frame.index:
            row = frame.loc[c]
            assert row["full_name"] == "王**"
            assert row["id_number"] == id_number(c)[:3] + "*" * 11 + id_number(c)[-4:]
            assert row["mobile"] == f"138****{c:04d}"
            assert row["card_number"] == card(c)[:6] + "*" * 9 + card(c)[-4:]


def test_unmask_grant_is_time_limited(wh) -> None:
    pii = sa.select(dc.c.customer_id, dc.c.id_number).where(dc.c.customer_id == 1)
    granted = Viewer("t-head", "branch_head", branch_id=100, unmask_until=time.time() + 300)
    expired = dataclasses.replace(granted, unmask_until=time.time() - 1)
    assert query.read_frame(granted, pii)["id_number"].tolist() == [id_number(1)]
    assert query.read_frame(expired, pii)["id_number"].tolist() == [
        id_number(1)[:3] + "*" * 11 + id_number(1)[-4:]
    ]


def test_unknown_role_is_rejected() -> None:
    with pytest.raises(ValueError, match="Unknown role"):
        Viewer("t-x", "superuser")


def test_role_with_an_unknown_scope_level_sees_nothing(wh, monkeypatch) -> None:
    odd = roles.Role("auditor", "Auditor", "审计", "everything", 1, frozenset())
    monkeypatch.setitem(roles.ROLES, "auditor", odd)
    who = Viewer("t-auditor", "auditor")
    assert query.read_frame(who, sa.select(fcm.c.customer_id)).empty
    assert query.read_frame(who, sa.select(db.c.branch_id)).empty


# ------------------------------------------------------------------ fixed gaps (issue 8)


def test_labelled_personal_data_is_masked_too(wh) -> None:
    stmt = sa.select(dc.c.id_number.label("idn"), dc.c.mobile.label("phone"))
    frame = query.read_frame(viewer("executive"), stmt.where(dc.c.customer_id == 1))
    assert frame["idn"].tolist() != [id_number(1)]
    assert frame["phone"].tolist() != [mobile(1)]


def test_branch_head_sees_their_own_cooperative(wh) -> None:
    head = viewer("branch_head", branch_id=100)
    coops = query.read_frame(head, sa.select(schema.dim_cooperative.c.cooperative_id))
    assert coops["cooperative_id"].tolist() == [10]


def test_table_outside_the_schema_metadata_cannot_escape_the_scope(wh) -> None:
    head = viewer("branch_head", branch_id=100)
    where = None if wh.is_duckdb else wh.pg_schema
    sneaky = sa.select(sa.column("customer_id")).select_from(sa.table("dim_customer", schema=where))
    try:
        frame = query.read_frame(head, sneaky)
    except Exception:
        return  # refusing the statement is a correct answer
    assert set(frame["customer_id"]) <= {1, 2, 3}


def test_roles_without_the_permission_cannot_unmask(wh) -> None:
    analyst = Viewer("t-analyst", "analyst", unmask_until=time.time() + 300)
    frame = query.read_frame(analyst, sa.select(dc.c.id_number).where(dc.c.customer_id == 1))
    assert frame["id_number"].tolist() != [id_number(1)]


def _masked_id(customer_id: int) -> str:
    return id_number(customer_id)[:3] + "*" * 11 + id_number(customer_id)[-4:]


def test_only_cooperative_and_branch_roles_unmask_by_default(wh) -> None:
    """Minimum necessity: the province and prefecture offices ignore a grant unless the
    unmask_roles setting names them."""
    until = time.time() + 300
    pii = sa.select(dc.c.customer_id, dc.c.id_number).where(dc.c.customer_id == 1)
    granted = {
        "executive": Viewer("t-exec", "executive", unmask_until=until),
        "prefecture_manager": Viewer(
            "t-pref", "prefecture_manager", prefecture_id=1, unmask_until=until
        ),
        "wealth_manager": Viewer(
            "t-wm", "wealth_manager", branch_id=100, staff_id=1001, unmask_until=until
        ),
        "cooperative_manager": Viewer(
            "t-coop", "cooperative_manager", cooperative_id=10, unmask_until=until
        ),
        "branch_head": Viewer("t-head", "branch_head", branch_id=100, unmask_until=until),
    }
    shown = {
        role: query.read_frame(who, pii)["id_number"].tolist() for role, who in granted.items()
    }
    assert shown == {
        "executive": [_masked_id(1)],
        "prefecture_manager": [_masked_id(1)],
        "wealth_manager": [_masked_id(1)],
        "cooperative_manager": [id_number(1)],
        "branch_head": [id_number(1)],
    }


def test_the_unmask_roles_setting_widens_it(wh, monkeypatch) -> None:
    executive = Viewer("t-exec", "executive", unmask_until=time.time() + 300)
    pii = sa.select(dc.c.id_number).where(dc.c.customer_id == 5)
    monkeypatch.setenv("PCRM_UNMASK_ROLES", "cooperative_manager,branch_head,executive")
    assert query.read_frame(executive, pii)["id_number"].tolist() == [id_number(5)]
    assert query.read_scalar(executive, pii) == id_number(5)
    monkeypatch.setenv("PCRM_UNMASK_ROLES", "branch_head")
    coop = Viewer("t-coop", "cooperative_manager", cooperative_id=10, unmask_until=time.time() + 9)
    one = sa.select(dc.c.id_number).where(dc.c.customer_id == 1)
    assert query.read_frame(coop, one)["id_number"].tolist() == [_masked_id(1)]


@pytest.mark.parametrize(
    ("setting", "error"),
    [("branch_head,analyst", "analyst may never unmask"), ("cashier", "unknown role 'cashier'")],
)
def test_the_unmask_roles_setting_refuses_roles_that_may_never_unmask(
    wh, monkeypatch, setting: str, error: str
) -> None:
    monkeypatch.setenv("PCRM_UNMASK_ROLES", setting)
    head = Viewer("t-head", "branch_head", branch_id=100, unmask_until=time.time() + 300)
    with pytest.raises(ValueError, match=error):
        query.read_frame(head, sa.select(dc.c.id_number))


def test_a_grant_unmasks_only_customers_in_the_viewers_scope(wh) -> None:
    """The scope filters the rows before anything is unmasked: a branch head's grant shows their
    own branch's customers in full, and another branch's customer not at all, named or not."""
    head = Viewer("t-head", "branch_head", branch_id=100, unmask_until=time.time() + 300)
    pii = sa.select(dc.c.customer_id, dc.c.id_number, dc.c.mobile).order_by(dc.c.customer_id)
    frame = query.read_frame(head, pii)
    assert frame["customer_id"].tolist() == [1, 2, 3]
    assert frame["id_number"].tolist() == [id_number(c) for c in (1, 2, 3)]
    other = pii.where(sa.or_(dc.c.customer_id == 5, dc.c.mobile == mobile(5)))
    assert query.read_frame(head, other).empty
    assert query.read_scalar(head, sa.select(dc.c.mobile).where(dc.c.customer_id == 5)) is None


MASKED_ID = id_number(1)[:3] + "*" * 11 + id_number(1)[-4:]


def test_personal_data_is_masked_through_subqueries_ctes_unions_and_aliases(wh) -> None:
    who = viewer("executive")
    one = dc.c.customer_id == 1
    sub = sa.select(dc.c.id_number.label("a"), dc.c.customer_id).where(one).subquery()
    cte = sa.select(dc.c.id_number.label("b")).where(one).cte("c")
    alias = dc.alias("someone")
    union = sa.union_all(
        sa.select(schema.dim_staff.c.full_name.label("n")).where(
            schema.dim_staff.c.staff_id == 1000
        ),
        sa.select(dc.c.id_number.label("n")).where(one),
    )
    assert query.read_frame(who, sa.select(sub.c.a))["a"].tolist() == [MASKED_ID]
    assert query.read_frame(who, sa.select(cte.c.b))["b"].tolist() == [MASKED_ID]
    aliased = sa.select(alias.c.id_number.label("x")).where(alias.c.customer_id == 1)
    assert query.read_frame(who, aliased)["x"].tolist() == [MASKED_ID]
    assert MASKED_ID in query.read_frame(who, union)["n"].tolist()
    assert query.read_scalar(who, sa.select(dc.c.id_number).where(one)) == MASKED_ID


@pytest.mark.parametrize(
    "expression",
    [
        sa.func.substr(dc.c.id_number, 7, 8),
        sa.func.max(dc.c.mobile),
        sa.cast(dc.c.mobile, sa.BigInteger),
        dc.c.full_name + "先生",
    ],
    ids=["substr", "max", "cast", "concat"],
)
def test_output_computed_from_personal_data_is_refused(wh, expression) -> None:
    with pytest.raises(masking.PersonalDataError):
        query.read_frame(viewer("executive"), sa.select(expression.label("x")))
    inner = sa.select(expression.label("x")).subquery()
    with pytest.raises(masking.PersonalDataError):
        query.read_frame(viewer("executive"), sa.select(inner.c.x))


def test_counts_and_null_tests_of_personal_data_are_allowed(wh) -> None:
    stmt = sa.select(
        sa.func.count(dc.c.mobile).label("with_mobile"),
        sa.func.count(sa.case((dc.c.mobile.is_(None), 1))).label("without"),
    )
    frame = query.read_frame(viewer("executive"), stmt)
    assert frame.iloc[0].tolist() == [6, 0]


def test_filtering_on_personal_data_returns_masked_rows_in_scope(wh) -> None:
    stmt = sa.select(dc.c.customer_id, dc.c.mobile).where(dc.c.mobile == mobile(5))
    assert query.read_frame(viewer("branch_head", branch_id=100), stmt).empty
    frame = query.read_frame(viewer("executive"), stmt)
    assert frame["mobile"].tolist() == [mobile(5)[:3] + "****" + mobile(5)[-4:]]


def test_staff_names_are_not_personal_data(wh) -> None:
    stmt = sa.select(schema.dim_staff.c.full_name).where(schema.dim_staff.c.staff_id == 1000)
    assert query.read_frame(viewer("executive"), stmt)["full_name"].tolist() == ["员工1000"]


@pytest.mark.parametrize(
    "stmt",
    [
        sa.select(sa.text("customer_id FROM dim_customer")),
        sa.select(sa.literal_column("full_name")).select_from(dc),
        sa.select(sa.column("id_number").label("x")).select_from(dc),
        sa.select(sa.literal_column("*")).select_from(dc),
    ],
    ids=["text", "literal-column", "free-column", "star"],
)
def test_raw_sql_and_free_columns_are_refused(wh, stmt) -> None:
    with pytest.raises((ScopeError, masking.PersonalDataError)):
        query.read_frame(viewer("executive"), stmt)


def test_branch_head_sees_their_own_prefecture_only(wh) -> None:
    head = viewer("branch_head", branch_id=200)
    found = query.read_frame(head, sa.select(schema.dim_prefecture.c.prefecture_id))
    assert found["prefecture_id"].tolist() == [2]
    coops = query.read_frame(head, sa.select(schema.dim_cooperative.c.cooperative_id))
    assert coops["cooperative_id"].tolist() == [20]


def test_viewers_helper_places_each_role(wh, viewers) -> None:
    """The shared ``viewers`` fixture, on the tiny organisation (ties go to the lowest id)."""
    built = viewers(wh)
    assert set(built) == set(roles.ROLES)
    head = built["branch_head"]
    assert (head.branch_id, head.cooperative_id, head.prefecture_id) == (100, 10, 1)
    assert head.staff_id == 1000
    assert built["cooperative_manager"].cooperative_id == 10
    assert built["prefecture_manager"].prefecture_id == 1
    manager = built["wealth_manager"]
    assert (manager.staff_id, manager.branch_id) == (1001, 100)
    own = query.read_frame(manager, sa.select(dc.c.customer_id))
    assert set(own["customer_id"]) == {1, 2}
    for role, who in built.items():
        assert who.role == role and who.unmask_until is None


def test_an_aliased_table_is_scoped_like_the_table(wh) -> None:
    head = viewer("branch_head", branch_id=100)
    customers = dc.alias("c")
    frame = query.read_frame(head, sa.select(customers.c.customer_id))
    assert set(frame["customer_id"]) == {1, 2, 3}
    # A self-join of two aliases: each side holds the branch's rows only.
    cur, prev = fcm.alias("cur"), fcm.alias("prev")
    pairs = sa.select(cur.c.customer_id, prev.c.customer_id.label("other")).join_from(
        cur, prev, cur.c.customer_id == prev.c.customer_id
    )
    joined = query.read_frame(head, pairs)
    assert not joined.empty
    assert set(joined["customer_id"]) | set(joined["other"]) <= {1, 2, 3}
    # The executive's self-join still sees everyone.
    everyone = query.read_frame(viewer("executive"), pairs)
    assert set(everyone["customer_id"]) == ALL_CUSTOMERS

"""The code lists (catalogue/codes.py): well formed, bound to real columns, and the one source of
the data tests' accepted values.

A new text column of the warehouse or the app store must be classified here: held by a code list,
checked against rule-owned codes (``data_tests.RULE_VALUES``), or listed below as free text or as
codes another module owns; a column a code list names must exist.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from analytics import rules
from catalogue import codes
from data_access import app_store, data_tests, schema
from data_access.warehouse import Warehouse

# Text that is not a code: names, identifiers, hashes, personal data, notes.
FREE_TEXT: frozenset[str] = frozenset(
    {
        *(f"{t}.{c}" for t in ("dim_branch", "dim_cooperative") for c in ("name_en", "name_zh")),
        *(
            f"{t}.{c}"
            for t in ("dim_partner_employer", "dim_prefecture", "dim_product")
            for c in ("name_en", "name_zh")
        ),  # fmt: skip
        "dim_customer.full_name",
        "dim_customer.id_number",
        "dim_customer.mobile",
        "dim_customer.card_number",
        "dim_household.village_zh",
        "dim_product.product_code",
        "dim_staff.full_name",
        "fact_6s_inspection.inspector_name",
        "mart_churn_score.model_version",
        "mart_propensity_model.model_version",
        "meta_load.load_id",
        "meta_load.table_name",
        "meta_load.file_name",
        "meta_load.sha256",
        "meta_table_rows.table_name",
        "meta_warehouse.version_id",
        "app_secret.name",
        "app_secret.value",
        "app_user.user_id",
        "app_user.display_name",
        "app_user.password_hash",
        "audit_log.user_id",
        "audit_log.warehouse_version",
        "audit_log.prev_hash",
        "audit_log.event_hash",
        "contact_log.contact_id",
        "contact_log.user_id",
        "contact_log.next_step",
        "retention_case.last_contact_id",
        "retention_case.updated_by",
        "saved_view.view_id",
        "saved_view.user_id",
        "saved_view.name",
        "saved_view.page",
        "sso_session.user_id",
    }
)

# Codes with a home other than a code list, and where that is.
OWNED_ELSEWHERE: dict[str, str] = {
    "mart_churn_score.reason_codes": "a list of analytics.churn.reasons codes",
    "mart_group_centre.feature": "analytics.clustering features",
    "mart_next_best.reason_feature": "analytics.propensity features",
    "mart_propensity_model.reason": "analytics.propensity (why a line has no model)",
    "mart_segment_month.segment": "the codes of the row's dimension (several lists)",
    "meta_load.mode": "data_access.extracts.load.MODES",
    "meta_warehouse.source": "how the version was built (demo / load)",
    "app_user.role": "catalogue.roles",
    "audit_log.role": "catalogue.roles",
    "audit_log.event": "data_access.app_store audit events",
    "sso_session.end_reason": "data_access.auth_store",
}


def _text_columns(metadata: sa.MetaData) -> set[str]:
    return {
        f"{table.name}.{column.name}"
        for table in metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, sa.String) and not isinstance(column.type, sa.Text)
    }


def _column_exists(metadata: sa.MetaData, name: str) -> bool:
    table, column = name.split(".")
    return table in metadata.tables and column in metadata.tables[table].c


def test_each_list_has_unique_codes_and_both_names() -> None:
    assert codes.CODE_LISTS, "no code lists"
    for name, code_list in codes.CODE_LISTS.items():
        assert code_list.name == name
        assert code_list.codes, name
        assert len(set(code_list.codes)) == len(code_list.codes), f"{name}: duplicate codes"
        for entry in code_list:
            assert entry.code.strip() == entry.code and entry.code, f"{name}: {entry!r}"
            assert entry.name_en.strip(), f"{name}.{entry.code}: no English name"
            assert entry.name_zh.strip(), f"{name}.{entry.code}: no Chinese name"
        names = [e.name_en for e in code_list], [e.name_zh for e in code_list]
        assert all(len(set(n)) == len(n) for n in names), f"{name}: two codes share a name"


def test_a_column_belongs_to_at_most_one_list() -> None:
    seen: dict[str, str] = {}
    for code_list in codes.CODE_LISTS.values():
        for column in (*code_list.columns, *code_list.app_columns):
            assert column not in seen, f"{column} in {seen.get(column)} and {code_list.name}"
            seen[column] = code_list.name
            assert codes.list_of_column(column) is code_list


def test_every_column_a_list_names_exists() -> None:
    for code_list in codes.CODE_LISTS.values():
        for column in (*code_list.columns, *code_list.named_columns()):
            assert _column_exists(schema.metadata, column), f"{code_list.name}: {column}"
        for column in code_list.app_columns:
            assert _column_exists(app_store.metadata, column), f"{code_list.name}: {column}"


def test_every_coded_column_is_in_the_registry() -> None:
    listed = {
        column
        for code_list in codes.CODE_LISTS.values()
        for column in (*code_list.columns, *code_list.app_columns)
    }
    rule_owned = {f"{c.table.name}.{c.name}" for c, _ in data_tests.RULE_VALUES}
    classified = listed | rule_owned | FREE_TEXT | set(OWNED_ELSEWHERE)
    text = _text_columns(schema.metadata) | _text_columns(app_store.metadata)
    assert sorted(text - classified) == [], "classify these columns (code list or not)"
    assert sorted(classified - text - rule_owned) == [], "classified columns that do not exist"
    assert "dim_product.category" in listed


def test_the_data_tests_check_every_listed_warehouse_column() -> None:
    checked = {(f"{c.table.name}.{c.name}", values) for c, values in data_tests.ACCEPTED_VALUES}
    for code_list in codes.CODE_LISTS.values():
        for column in code_list.columns:
            assert (column, code_list.codes) in checked, column


def test_lookups() -> None:
    assert codes.PRODUCT_CATEGORY["precious_metal"].name("zh") == "贵金属"
    assert codes.PRODUCT_CATEGORY.label("precious_metal", "en") == "Precious metals"
    assert codes.PRODUCT_CATEGORY.label("unheard_of", "en") == "unheard_of"
    assert codes.PRODUCT_CATEGORY.code("wealth") == "wealth"
    try:
        codes.PRODUCT_CATEGORY.code("precious_metals")
    except KeyError as error:
        assert "product_category" in str(error) and "precious_metal," in str(error)
    else:
        raise AssertionError("a misspelt code was accepted")
    assert codes.ASSET_CLASS["wealth"] is codes.PRODUCT_CATEGORY["wealth"]
    assert codes.code_list("tier") is codes.TIER


def _category_failures(conn: sa.Connection) -> list[str]:
    failures = []
    for message, build in data_tests.all_checks():
        if message.startswith("dim_product.category:") and conn.execute(build()).scalar():
            failures.append(message)
    return failures


def _misspell_a_category(conn: sa.Connection) -> None:
    p = schema.dim_product.c
    first = sa.select(sa.func.min(p.product_id)).scalar_subquery()
    conn.execute(
        sa.update(schema.dim_product).where(p.product_id == first).values(category="Precious metal")
    )


def _assert_caught(engine: sa.Engine) -> None:
    """The clean warehouse passes the category check; one misspelt category fails it (inside a
    transaction that is rolled back: the demo warehouses are shared by the session)."""
    with engine.connect() as conn:
        assert _category_failures(conn) == []
        _misspell_a_category(conn)
        assert _category_failures(conn) == [
            f"dim_product.category: values outside {', '.join(codes.PRODUCT_CATEGORY.codes)}"
        ]
        conn.rollback()


def test_a_misspelt_category_fails_a_data_test_duckdb(demo_duckdb: Warehouse, tmp_path) -> None:
    copy = Warehouse(f"duckdb:///{tmp_path / 'w.duckdb'}")
    copy.path.write_bytes(demo_duckdb.path.read_bytes())
    engine = sa.create_engine(copy.url)
    try:
        _assert_caught(engine)
    finally:
        engine.dispose()


def test_a_misspelt_category_fails_a_data_test_postgres(demo_pg: Warehouse) -> None:
    engine = sa.create_engine(
        demo_pg.url, connect_args={"options": f"-csearch_path={demo_pg.pg_schema}"}
    ).execution_options(schema_translate_map={None: demo_pg.pg_schema})
    try:
        _assert_caught(engine)
    finally:
        engine.dispose()


# ------------------------------------------------------------------ labels on screen

# Label keys ``<prefix><code>`` the pages build, and the code list each names.
LABEL_PREFIXES: tuple[tuple[str, codes.CodeList], ...] = (
    ("cust.gender_", codes.GENDER),
    ("cust.channel_", codes.CHANNEL),
    ("xsell.target_", codes.PRODUCT_CATEGORY),
    ("seg.gender_", codes.GENDER),
    ("seg.risk_", codes.RISK_GRADE),
    ("seg.channel_", codes.CHANNEL),
    ("seg.product_", codes.PRODUCT_CATEGORY),
    ("sc.s_", codes.SIX_S),
    ("cm.path_", codes.CHURN_PATH),
)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_codes_label_on_screen_is_the_catalogues_name(lang: str) -> None:
    from ui import i18n, scorecard_charts, segment_labels, watchlist_view

    # The catalogue's name with its level markers ({@branch}) resolved, as on screen.
    for prefix, code_list in LABEL_PREFIXES:
        for entry in code_list:
            assert i18n.translate(prefix + entry.code, lang) == i18n.name_of(entry, lang), (
                prefix + entry.code
            )
    for dimension, code_list in (
        ("tier", codes.TIER),
        ("occupation", codes.OCCUPATION),
        ("industry", codes.INDUSTRY_CLASS),
        ("branch_type", codes.BRANCH_TYPE),
    ):
        for entry in code_list:
            assert segment_labels.label(dimension, entry.code, lang) == i18n.name_of(entry, lang)
    assert codes.PRODUCT_CATEGORY.codes == segment_labels.PRODUCT_CATEGORIES
    for entry in codes.SIX_S_AREA:
        assert i18n.name_of(scorecard_charts.AREA_NAMES[entry.code], lang) == entry.name(lang)
    for entry in codes.SCORE_BAND:
        assert i18n.name_of(watchlist_view.BAND_NAMES[entry.code], lang) == entry.name(lang)
    for tier in rules.TIERS:
        assert i18n.name_of(tier, lang) == codes.TIER[tier.code].name(lang)


def test_one_name_per_product_category_across_pages() -> None:
    """The cross-selling suggestions and the segment holdings name a product line alike (they
    once read "Precious metals" and "Precious metal")."""
    from ui import i18n

    for entry in codes.PRODUCT_CATEGORY:
        for lang in ("en", "zh"):
            assert (
                i18n.translate(f"xsell.target_{entry.code}", lang)
                == i18n.translate(f"seg.product_{entry.code}", lang)
                == entry.name(lang)
            )

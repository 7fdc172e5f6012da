"""ui/tables.py: every cell of a table reads as ui.formatting writes it, per language, while the
values underneath stay numbers (so columns sort by value); exports keep numbers numeric."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.test_numbers_on_screen import shown_cells
from ui import formatting as fmt
from ui import i18n, tables
from ui.tables import Column


def _script(lang: str) -> None:
    import pandas as pd
    import streamlit as st

    from ui import tables
    from ui.tables import Column

    frame = pd.DataFrame(
        {
            "name": ["Dongcheng", None],
            "aum_rmb": [1_361_000.0, float("nan")],
            "count_customers": [12_345.0, 7.0],
            "share_pct": [12.345, None],
            "score": [87.46, 100.0],
            "change": [3.0, -1.0],
            "month_start": [pd.Timestamp("2026-09-01"), pd.NaT],
            "branch_id": [101.0, 102.0],
        }
    )
    columns = [
        Column("name", "trends.col_part", "text"),
        Column("aum_rmb", "trends.col_aum", "money"),
        Column("count_customers", "trends.col_customers", "count"),
        Column("share_pct", "trends.col_share_change", "pct"),
        Column("score", "sc.col_overall", "points"),
        Column("change", "sc.col_change", "signed_count", measure="户"),
        Column("month_start", "trends.col_month", "month"),
        Column("branch_id", "cust.branch", "id"),
    ]
    shown, config = tables.display(frame, columns, lang)
    st.dataframe(shown, column_config=config, hide_index=True)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            [
                ["Dongcheng", "¥1.36 M", "12,345", "12.3%", "87.5", "+3", "Sep 2026", "101"],
                ["—", "—", "7", "—", "100.0", "-1", "—", "102"],
            ],
        ),
        (
            "zh",
            [
                ["Dongcheng", "136万元", "1.23万", "12.3%", "87.5", "+3户", "2026年9月", "101"],
                ["—", "—", "7", "—", "100.0", "-1户", "—", "102"],
            ],
        ),
    ],
)
def test_cells_read_as_the_formatters_write_them(lang: str, expected: list[list[str]]) -> None:
    at = AppTest.from_function(_script, args=(lang,)).run()
    assert not at.exception, at.exception
    table = at.dataframe[0]
    assert shown_cells(table).values.tolist() == expected
    # Underneath, the numbers stay numbers: a click on the header sorts by value.
    assert table.value["aum_rmb"].iloc[0] == pytest.approx(1_361_000.0)


def test_exports_keep_numbers_numeric_with_units_in_the_headers() -> None:
    frame = pd.DataFrame({"aum_rmb": [1_361_000.456], "share_pct": [12.346], "n": [3]})
    out = tables.export_frame(
        frame,
        [
            Column("aum_rmb", "trends.col_aum", "money"),
            Column("share_pct", "trends.col_share_change", "pct"),
            Column("n", "trends.col_customers", "count"),
        ],
        "en",
    )
    assert list(out.columns) == [
        "AUM 金融资产 (RMB)",
        "Share of change (%)",
        "Customers (all) 客户总数",
    ]
    assert out.iloc[0].tolist() == [1_361_000.46, 12.35, 3]


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown kind"):
        Column("x", "trends.col_aum", "rmb")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "7 Dec 2026 18:52:27"), ("zh", "2026年12月7日 18:52:27")],
)
def test_a_timestamp_reads_to_the_second_without_its_microseconds(lang: str, expected: str) -> None:
    column = Column("occurred_at", "audit.col_time", "timestamp")
    written = tables.cell_formatter(column, lang)
    assert written(pd.Timestamp("2026-12-07 18:52:27.486875")) == expected
    assert written(pd.NaT) == "—"
    assert written(None) == "—"


def _league(rows: int) -> tuple[pd.DataFrame, list[Column]]:
    frame = pd.DataFrame(
        {
            "aum_rmb": [1_361_000.0 + 1_000.0 * i for i in range(rows)],
            "count_customers": [i % 50 for i in range(rows)],
            "share_pct": [None if i % 7 == 0 else i / 10 for i in range(rows)],
        }
    )
    columns = [
        Column("aum_rmb", "trends.col_aum", "money"),
        Column("count_customers", "trends.col_customers", "count"),
        Column("share_pct", "trends.col_share_change", "pct"),
    ]
    return frame, columns


def test_a_table_keeps_its_values_under_texts_without_pandas_per_cell_rendering(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """pandas' Styler renders every cell to HTML attributes (about 30 µs a cell); the table
    hands Streamlit the texts it wrote instead, and they read exactly as the formatters write
    them, over values that stay numbers (a click on a header sorts by value)."""
    from pandas.io.formats.style import Styler
    from streamlit import dataframe_util
    from streamlit.elements.lib.pandas_styler_utils import marshall_styler
    from streamlit.proto.ArrowData_pb2 import ArrowData

    def per_cell(*args, **kwargs):
        raise AssertionError("pandas' per-cell Styler rendering was used")

    monkeypatch.setattr(Styler, "_translate", per_cell)
    rows = tables.SORTED_BY_VALUE_CELLS // 3
    frame, columns = _league(rows)
    for lang in ("en", "zh"):
        shown, _ = tables.display(frame, columns, lang)
        assert isinstance(shown, Styler)
        proto = ArrowData()
        marshall_styler(proto, shown, "league")
        cells = dataframe_util.convert_arrow_bytes_to_pandas_df(proto.styler.display_values)
        _assert_written(cells, frame, lang)
        assert shown.data["aum_rmb"].dtype == "float64"


def test_a_long_table_is_shown_as_its_texts() -> None:
    """Past SORTED_BY_VALUE_CELLS cells (a 2,000-row league) the table is its texts alone,
    each cell still as the formatters write it, and says that a header sorts it as text."""
    frame, columns = _league(tables.SORTED_BY_VALUE_CELLS // 3 + 1)
    for lang in ("en", "zh"):
        shown, _ = tables.display(frame, columns, lang)
        assert isinstance(shown, pd.DataFrame)
        _assert_written(shown, frame, lang)


def _long_table_script() -> None:
    from tests.test_ui_tables import _league
    from ui import tables

    frame, columns = _league(tables.SORTED_BY_VALUE_CELLS // 3 + 1)
    tables.show(frame, columns, key="long")


def test_a_long_table_says_its_headers_sort_text() -> None:
    at = AppTest.from_function(_long_table_script).run()
    assert not at.exception, at.exception
    assert [c.value for c in at.caption] == [i18n.translate("table.sorted_as_text", "en")]
    assert shown_cells(at.dataframe[0])["aum_rmb"].iloc[0] == "¥1.36 M"


def _long_table_in(lang: str) -> None:
    import streamlit as st

    from tests.test_ui_tables import _league
    from ui import i18n, tables

    st.query_params[i18n.QUERY_PARAM] = lang
    frame, columns = _league(tables.SORTED_BY_VALUE_CELLS // 3 + 1)
    tables.show(frame.sample(frac=1.0, random_state=7), columns, key="long")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_long_table_sorts_by_value_as_chosen_above_it(lang: str) -> None:
    """A long table's header click sorts text ("¥9.9 K" above "¥1.36 M"), so the table offers
    a sort by value above it: the column, then the direction; "As listed" keeps the page's order."""
    frame, _ = _league(tables.SORTED_BY_VALUE_CELLS // 3 + 1)
    top, bottom = fmt.money(frame["aum_rmb"].max(), lang), fmt.money(frame["aum_rmb"].min(), lang)
    at = AppTest.from_function(_long_table_in, args=(lang,)).run()
    assert not at.exception, at.exception
    listed = shown_cells(at.dataframe[0])["aum_rmb"].tolist()
    assert at.selectbox[0].label == i18n.translate("table.sort_by", lang)
    assert at.selectbox[0].value is None  # the page's own order until the user chooses
    at.selectbox[0].select_index(1).run()  # aum_rmb
    cells = shown_cells(at.dataframe[0])
    assert cells["aum_rmb"].iloc[0] == top
    assert cells["aum_rmb"].iloc[-1] == bottom
    at.toggle[0].set_value(False).run()
    assert shown_cells(at.dataframe[0])["aum_rmb"].iloc[0] == bottom
    at.selectbox[0].select_index(3).run()  # share_pct
    shares = shown_cells(at.dataframe[0])["share_pct"]
    assert shares.iloc[-1] == "—"  # missing values last, either way
    at.selectbox[0].select_index(0).run()
    assert shown_cells(at.dataframe[0])["aum_rmb"].tolist() == listed


def test_sort_rows_puts_missing_values_last_and_keeps_ties_in_order() -> None:
    frame = pd.DataFrame({"v": [2.0, None, 5.0, 2.0], "k": ["a", "b", "c", "d"]})
    assert tables.sort_rows(frame, "v", descending=True)["k"].tolist() == ["c", "a", "d", "b"]
    assert tables.sort_rows(frame, "v", descending=False)["k"].tolist() == ["a", "d", "c", "b"]


def _assert_written(cells: pd.DataFrame, frame: pd.DataFrame, lang: str) -> None:
    assert cells["aum_rmb"].tolist() == [fmt.money(v, lang) for v in frame["aum_rmb"]]
    assert cells["count_customers"].tolist() == [
        fmt.count(v, lang) for v in frame["count_customers"]
    ]
    assert cells["share_pct"].tolist() == [fmt.pct(v, lang) for v in frame["share_pct"]]
    assert cells["share_pct"].iloc[0] == "—"


def test_column_texts_write_each_value_once_and_dash_the_missing() -> None:
    seen: list[object] = []

    def write(value: object) -> str:
        seen.append(value)
        return f"<{value}>"

    values = pd.Series([3.0, None, 3.0, 4.0, float("nan")])
    assert tables.column_texts(values, write) == ["<3.0>", "—", "<3.0>", "<4.0>", "—"]
    assert sorted(seen) == [3.0, 4.0]
    assert tables.column_texts(pd.Series([True, None], dtype=object), None) == ["True", "—"]

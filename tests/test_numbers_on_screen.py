"""Every page, in English and Chinese, shows numbers the one way ``ui.formatting`` writes them:
no "None", "nan" or "NaT" where a value is missing (a dash instead), and no raw float such as
``1361000.0`` or ``89,006,423.3`` in any title, markdown, caption, alert, metric or table cell.

The pages run in AppTest on the demo warehouse (``tests/conftest.py``), each on the tab it opens
with, signed in as a persona that may open it. Table cells are read as the browser shows them
(the Styler's display values of ``ui.tables``; a table without them is read as its raw values).
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

from data_access.warehouse import Warehouse
from tests.test_app_shell import first_branches, open_page, texts, warehouse_sql
from ui.navigation import PAGES

# A number as no formatter of ui.formatting writes it:
#   an ungrouped number of four or more digits with decimals (1361000.0, 2026.0), unless a
#     percentage (a growth of +1234.5% is written so);
#   thousands separators with decimals (89,006,423.3: money is scaled, counts are whole);
#   five or more decimals (0.123456, 12.34567; a model's AUC or Brier score has three or four).
# Text the formatters do write passes: ¥1.36 M, 136万元, 1.20万亿元, 12,345, 12.3%, 87.5,
# 100.0 (points), +2.5 pp, +1户, 0.812 (an AUC), 2026年9月, 1 Sep 2026.
RAW_FLOAT = re.compile(
    r"(?<![\w.,])\d{4,}\.\d+(?![\d%])"
    r"|(?<![\w.,])\d{1,3}(?:,\d{3})+\.\d+"
    r"|(?<![\w.,])\d+\.\d{5,}"
)
# A missing value printed by Python, pandas or Streamlit rather than as a dash.
MISSING = re.compile(r"\b(?:None|nan|NaN|NaT|<NA>)\b")

# (page, persona): each page as someone who may open it.
PERSONA = {"my_branch": "branch_head"}
# The users page is the administrator's, who has no demo persona, and shows no warehouse numbers.
SWEPT = [key for _, key, _, _ in PAGES if key != "users"]


def offenders(text: str) -> list[str]:
    """The raw floats and missing-value words in ``text``."""
    return [m.group(0) for m in RAW_FLOAT.finditer(text)] + [
        m.group(0) for m in MISSING.finditer(text)
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("AUM 1361000.0", ["1361000.0"]),
        ("89,006,423.3 RMB", ["89,006,423.3"]),
        ("rate 0.1234567", ["0.1234567"]),
        ("1,361,000.00", ["1,361,000.00"]),
        ("born 1965.0", ["1965.0"]),
        ("owner None", ["None"]),
        ("nan", ["nan"]),
        ("NaT", ["NaT"]),
        ("¥1.36 M · 136万元 · 1.20万亿元 · ¥1.20 tn · 12,345 · 1.23万", []),
        ("12.3% · +1234.5% · 87.5 · 100.0 · +2.5 pp · +2.5个百分点 · +1户 · -1", []),
        ("AUC 0.812 · Brier 0.0261 · Sep 2026 · 2026年9月 · 1 Sep 2026 · 3.2×", []),
        ("Henan · Nanjing", []),
    ],
)
def test_the_patterns_flag_raw_numbers_and_pass_formatted_ones(text: str, found: list) -> None:
    assert offenders(text) == found


def shown_cells(element) -> pd.DataFrame:
    """A table element's cells as the browser shows them: the Styler's display values when
    the table has them (``ui.tables``), else the values as text."""
    styled = element.proto.arrow_data.styler.display_values
    if styled:
        return dataframe_util.convert_arrow_bytes_to_pandas_df(styled)
    return element.value.astype(str)


def shown_text(at: AppTest) -> list[tuple[str, str]]:
    """(where, text) of everything the run showed: texts, metrics and every table cell."""
    shown = [("text", line) for line in texts(at).splitlines()]
    shown += [("success", str(e.value)) for e in at.success]
    for index, element in enumerate(at.dataframe):
        cells = shown_cells(element)
        for column in cells.columns:
            shown += [(f"table {index} [{column}]", str(v)) for v in cells[column]]
    return shown


def _open(page: str, lang: str, warehouse: Warehouse) -> AppTest:
    persona = PERSONA.get(page, "executive")
    params: dict[str, str] = {"lang": lang}
    if page == "customer":
        # The customer with the most holdings, so every part of the view has rows.
        rows = warehouse_sql(
            warehouse,
            "SELECT customer_id FROM fact_product_holding GROUP BY customer_id "
            "ORDER BY count(*) DESC, customer_id LIMIT 1",
        )
        params["customer"] = str(int(rows[0][0]))
    branch = first_branches(warehouse, 1)[0] if persona == "branch_head" else None
    return open_page(f"pages/{page}.py", persona, branch, params)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", SWEPT)
def test_no_page_shows_a_raw_float_or_a_missing_word(
    page: str, lang: str, demo_duckdb: Warehouse, app_store_url: str
) -> None:
    at = _open(page, lang, demo_duckdb)
    assert not at.exception, at.exception
    found = [(where, text, offenders(text)) for where, text in shown_text(at) if offenders(text)]
    assert not found, found[:12]

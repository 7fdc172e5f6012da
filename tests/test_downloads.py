"""Exports keep their numbers and state the filters that produced them."""

import pandas as pd

from ui.downloads import read_excel_export, to_csv_bytes, to_excel_bytes


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "branch": ["和平镇分社", "Yuzhong County"],
            "aum_rmb": [1234567.89, 0.5],
            "month_start": pd.to_datetime(["2026-09-01", "2026-09-01"]),
        }
    )


def test_csv_has_bom_and_chinese_survives():
    data = to_csv_bytes(_frame())
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(pd.io.common.BytesIO(data), encoding="utf-8-sig")
    assert back["branch"].tolist() == ["和平镇分社", "Yuzhong County"]
    assert back["aum_rmb"].tolist() == [1234567.89, 0.5]


def test_excel_records_filters_then_table():
    context = {"Filters / 筛选": "month=2026-09; tier=vip", "Exported by": "exec"}
    data = to_excel_bytes(_frame(), context)
    read_context, table = read_excel_export(data)
    assert read_context == context
    assert table.columns.tolist() == ["branch", "aum_rmb", "month_start"]
    assert table["branch"].tolist() == ["和平镇分社", "Yuzhong County"]
    assert [float(v) for v in table["aum_rmb"]] == [1234567.89, 0.5]
    assert pd.Timestamp(table["month_start"][0]) == pd.Timestamp("2026-09-01")

"""Tables of the Asset trends page: shown sortable with a definition per column, and exported.

On screen, money is scaled to one unit per table (¥ M / 万元 / 亿元) so the numbers stay
sortable; exports carry full RMB amounts with translated headers, as CSV (UTF-8 with BOM) and as
Excel whose first rows record the filters that produced the table (``ui.downloads``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from data_access.filters import Filters
from data_access.viewer import Viewer
from ui import exports
from ui import formatting as fmt
from ui.i18n import current_lang, t


@dataclass(frozen=True)
class Column:
    """A column of a table: its name in the frame, label and help keys, and its kind."""

    name: str
    label_key: str
    kind: str  # money, count, pct, signed_pct, text, month
    help_key: str | None = None


def _money_unit(frame: pd.DataFrame, columns: Sequence[Column], lang: str) -> tuple[float, str]:
    money = [c.name for c in columns if c.kind == "money" and c.name in frame]
    largest = float(frame[money].abs().max().max()) if money and len(frame) else 0.0
    return fmt.money_unit(0.0 if pd.isna(largest) else largest, lang)


def _display(
    frame: pd.DataFrame, columns: Sequence[Column], lang: str
) -> tuple[pd.DataFrame, dict[str, object]]:
    divisor, unit = _money_unit(frame, columns, lang)
    shown = pd.DataFrame(index=frame.index)
    config: dict[str, object] = {}
    for column in columns:
        label = t(column.label_key)
        help_text = t(column.help_key) if column.help_key else None
        values = frame[column.name]
        if column.kind == "money":
            shown[column.name] = values.astype("float64") / divisor
            config[column.name] = st.column_config.NumberColumn(
                f"{label} ({unit})", help=help_text, format="%.2f"
            )
        elif column.kind in ("pct", "signed_pct"):
            shown[column.name] = values.astype("float64")
            form = "%+.1f%%" if column.kind == "signed_pct" else "%.1f%%"
            config[column.name] = st.column_config.NumberColumn(label, help=help_text, format=form)
        elif column.kind == "count":
            shown[column.name] = values
            config[column.name] = st.column_config.NumberColumn(label, help=help_text, format="%d")
        elif column.kind == "month":
            shown[column.name] = [fmt.month(v, lang) for v in values]
            config[column.name] = st.column_config.TextColumn(label, help=help_text)
        else:
            shown[column.name] = values
            config[column.name] = st.column_config.TextColumn(label, help=help_text)
    return shown, config


def export_frame(frame: pd.DataFrame, columns: Sequence[Column], lang: str) -> pd.DataFrame:
    """The table for download: full amounts in RMB, translated headers with units."""
    out = pd.DataFrame(index=frame.index)
    for column in columns:
        label = t(column.label_key)
        values = frame[column.name]
        if column.kind == "money":
            out[f"{label} ({t('trends.unit_rmb')})"] = values.astype("float64").round(2)
        elif column.kind in ("pct", "signed_pct"):
            out[f"{label} (%)"] = values.astype("float64").round(2)
        elif column.kind == "month":
            out[label] = [fmt.month(v, lang) for v in values]
        else:
            out[label] = values
    return out.reset_index(drop=True)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "table"


def table(
    frame: pd.DataFrame,
    columns: Sequence[Column],
    key: str,
    title: str,
    extra: Mapping[str, object] | None = None,
    *,
    viewer: Viewer,
    filters: Filters,
) -> None:
    """Show ``frame`` with its column definitions and the audited CSV / Excel downloads
    (``ui.exports``); ``extra`` adds rows to the Excel header.
    """
    lang = current_lang()
    shown, config = _display(frame, columns, lang)
    st.dataframe(
        shown,
        column_config=config,
        hide_index=True,
        key=f"{key}_table",
    )
    exports.download_buttons(
        export_frame(frame, columns, lang),
        f"pcrm_{_slug(key)}",
        viewer=viewer,
        filters=filters,
        title=title,
        key=key,
        extra=extra,
    )

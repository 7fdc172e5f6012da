"""Tables of the scorecard pages: sortable on screen, a definition per column, CSV and Excel.

On screen money is scaled to one unit per table (¥ M / 万元) so numbers stay sortable; exports
carry full RMB amounts with translated headers and go through ``ui.exports.download_buttons``
(audited, the Excel file records the filters).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from data_access.filters import Filters
from data_access.viewer import Viewer
from ui import exports
from ui import formatting as fmt
from ui.i18n import current_lang, t
from ui.scorecard_marks import LIGHT_MARK, metric_value_text, stars_text


@dataclass(frozen=True)
class Column:
    """A column: its name in the frame, label and help keys, and its kind.

    Kinds: money, count, pct, signed_pct, points, signed_points, stars, light, text, month,
    date, ratio, metric_value (a target metric's value in its own unit; needs a "metric" column).
    """

    name: str
    label_key: str
    kind: str
    help_key: str | None = None


def light_text(light: object) -> str:
    """🟢 On track / 🟡 Watch / 🔴 Behind, in the current language."""
    if not isinstance(light, str) or light not in LIGHT_MARK:
        return fmt.DASH
    return f"{LIGHT_MARK[light]} {t(f'sc.light_{light}')}"


def light_texts(lights: pd.Series) -> list[str]:
    """:func:`light_text` of a column, translated once per light rather than once per row."""
    texts = {light: light_text(light) for light in LIGHT_MARK}
    return [texts.get(light, fmt.DASH) if isinstance(light, str) else fmt.DASH for light in lights]


def _unit(frame: pd.DataFrame, columns: Sequence[Column], lang: str) -> tuple[float, str]:
    money = [c.name for c in columns if c.kind == "money" and c.name in frame]
    largest = float(frame[money].abs().max().max()) if money and len(frame) else 0.0
    return fmt.money_unit(0.0 if pd.isna(largest) else largest, lang)


def _display(frame: pd.DataFrame, columns: Sequence[Column]) -> tuple[pd.DataFrame, dict]:
    lang = current_lang()
    divisor, unit = _unit(frame, columns, lang)
    shown = pd.DataFrame(index=frame.index)
    config: dict[str, object] = {}
    number = st.column_config.NumberColumn
    for column in columns:
        label = t(column.label_key)
        help_text = t(column.help_key) if column.help_key else None
        values = frame[column.name]
        kind = column.kind
        if kind == "money":
            shown[column.name] = values.astype("float64") / divisor
            config[column.name] = number(f"{label} ({unit})", help=help_text, format="%.2f")
        elif kind in ("pct", "signed_pct", "points", "signed_points", "ratio"):
            shown[column.name] = values.astype("float64")
            form = {
                "pct": "%.1f%%",
                "signed_pct": "%+.1f%%",
                "points": "%.1f",
                "signed_points": "%+.1f",
                "ratio": "%.2f",
            }[kind]
            config[column.name] = number(label, help=help_text, format=form)
        elif kind == "count":
            shown[column.name] = values
            config[column.name] = number(label, help=help_text, format="%d")
        elif kind == "stars":
            shown[column.name] = [stars_text(v) for v in values]
            config[column.name] = st.column_config.TextColumn(label, help=help_text)
        elif kind == "light":
            shown[column.name] = light_texts(values)
            config[column.name] = st.column_config.TextColumn(label, help=help_text)
        elif kind == "metric_value":
            # Rows of different target metrics: each value in its own unit (needs "metric").
            shown[column.name] = [
                metric_value_text(m, v, lang) for m, v in zip(frame["metric"], values, strict=True)
            ]
            config[column.name] = st.column_config.TextColumn(label, help=help_text)
        elif kind in ("month", "date"):
            render = fmt.month if kind == "month" else fmt.date
            shown[column.name] = [render(v, lang) if pd.notna(v) else fmt.DASH for v in values]
            config[column.name] = st.column_config.TextColumn(label, help=help_text)
        else:
            shown[column.name] = values
            config[column.name] = st.column_config.TextColumn(label, help=help_text)
    return shown, config


def export_frame(frame: pd.DataFrame, columns: Sequence[Column]) -> pd.DataFrame:
    """The table for download: full amounts in RMB, translated headers with units."""
    lang = current_lang()
    out = pd.DataFrame(index=frame.index)
    for column in columns:
        label = t(column.label_key)
        values = frame[column.name]
        if column.kind == "money":
            out[f"{label} ({t('sc.unit_rmb')})"] = values.astype("float64").round(2)
        elif column.kind in ("pct", "signed_pct"):
            out[f"{label} (%)"] = values.astype("float64").round(2)
        elif column.kind in ("points", "signed_points", "ratio", "metric_value"):
            out[label] = values.astype("float64").round(2)
        elif column.kind == "stars":
            out[label] = values
        elif column.kind == "light":
            out[label] = light_texts(values)
        elif column.kind == "month":
            out[label] = [fmt.month(v, lang) for v in values]
        elif column.kind == "date":
            out[label] = [fmt.date(v, lang) if pd.notna(v) else "" for v in values]
        else:
            out[label] = values
    return out.reset_index(drop=True)


def table(
    frame: pd.DataFrame,
    columns: Sequence[Column],
    *,
    key: str,
    title: str,
    viewer: Viewer,
    filters: Filters,
    height: int | str = "auto",
) -> None:
    """Show ``frame`` with its column definitions and audited CSV / Excel downloads."""
    shown, config = _display(frame, columns)
    st.dataframe(shown, column_config=config, hide_index=True, key=f"{key}_table", height=height)
    exports.download_buttons(
        export_frame(frame, columns),
        f"pcrm_{key}",
        viewer=viewer,
        filters=filters,
        title=title,
        key=key,
    )

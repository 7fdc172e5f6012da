"""The one table helper: a table shown with each column in its unit, and its audited downloads.

A page describes its table as :class:`Column` specs (the frame's column, its label and
definition, its kind). On screen every cell is written by ``ui.formatting`` in the session's
language, exactly as a KPI card or a caption writes the same number (``¥1.36 M`` /
``136万元``, ``12,345``, ``12.3%``, ``87.5``; a missing value as ``—``), while the values under
the text stay numbers and dates, so a click on a header still sorts by value. Each column's
texts are written in one pass (each distinct value once) and handed to Streamlit as a Styler's
display values without pandas' per-cell HTML rendering (:func:`shown_table`). A table of more
than ``SORTED_BY_VALUE_CELLS`` cells (a 2,000-row league) is shown as its texts alone, the same
texts: a click on a header then sorts text, as a caption under it says, and a "Sort by" choice
above it sorts the rows by value. Exports carry
full amounts with translated headers (money in RMB, rates in %), as CSV (UTF-8 with BOM) and as
Excel whose first rows record the filters (``ui.exports``, each download audited; a customer-level
table records the customers it lists).

Kinds: the units of ``catalogue.units`` (``money``, ``count``, ``pct``, ``points``); their signed
changes (``signed_money``, ``signed_count``, ``signed_points``; ``signed_pp`` a change of a rate
in percentage points, ``signed_rate_pp`` a change of an interest or cost rate (``rate``, two
decimals) in points; ``signed_pct`` a growth rate in percent); ``ratio`` (``digits`` decimals);
``stars``; ``light`` (🟢 On track / 🟡 Watch / 🔴 Behind); ``metric_value`` (each row's target
metric in its own unit; needs a ``metric`` column); ``month``, ``date``, ``datetime`` (to the
minute), ``timestamp`` (to the second: an audit log's moments); ``id``
and ``year`` (whole numbers shown without separators); ``flag`` (a tick box); ``link`` (a URL
shown as ``link_text``); ``text``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from catalogue.units import UNITS
from data_access.filters import Filters
from data_access.viewer import Viewer
from ui import exports
from ui import formatting as fmt
from ui.i18n import current_lang, t
from ui.scorecard_marks import LIGHT_MARK, metric_value_text, stars_text

_SIGNED_UNIT = {
    "signed_money": "money",
    "signed_count": "count",
    "signed_points": "points",
    "signed_pp": "pct",
    "signed_rate_pp": "rate",
}
_TEXT_KINDS = frozenset({"text", "stars", "light", "metric_value"})
_DATE_KINDS = frozenset({"month", "date", "datetime", "timestamp"})
KINDS = frozenset(
    {
        *UNITS,
        *_SIGNED_UNIT,
        *_TEXT_KINDS,
        *_DATE_KINDS,
        "signed_pct",
        "ratio",
        "id",
        "year",
        "flag",
        "link",
    }
)


@dataclass(frozen=True)
class Column:
    """A column of a table: its name in the frame, label and help keys, and its kind.

    ``label`` / ``help``: text already in the page's language, instead of a key (a column named
    by data, such as the grouping a page chose). ``measure``: the Chinese measure word of a
    ``signed_count`` (``+3户``). ``digits``: the decimals of a ``ratio``. ``link_text``: what a
    ``link`` shows (a regular expression on the URL, as ``st.column_config.LinkColumn`` takes).
    """

    name: str
    label_key: str
    kind: str
    help_key: str | None = None
    label: str | None = None
    help: str | None = None
    measure: str = ""
    digits: int = 2
    link_text: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.name!r}: unknown kind {self.kind!r}")

    def title(self) -> str:
        return self.label if self.label is not None else t(self.label_key)

    def definition(self) -> str | None:
        if self.help is not None:
            return self.help
        return t(self.help_key) if self.help_key else None


def light_text(light: object) -> str:
    """🟢 On track / 🟡 Watch / 🔴 Behind, in the current language."""
    if not isinstance(light, str) or light not in LIGHT_MARK:
        return fmt.DASH
    return f"{LIGHT_MARK[light]} {t(f'sc.light_{light}')}"


def light_texts(lights: pd.Series) -> list[str]:
    """:func:`light_text` of a column, translated once per light rather than once per row."""
    texts = {light: light_text(light) for light in LIGHT_MARK}
    return [texts.get(light, fmt.DASH) if isinstance(light, str) else fmt.DASH for light in lights]


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _whole(value: object) -> str:
    return fmt.DASH if _missing(value) else str(int(value))  # type: ignore[call-overload]


def _datetime(value: object, lang: str, clock: str = "%H:%M") -> str:
    if _missing(value):
        return fmt.DASH
    stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    return f"{fmt.date(stamp.date(), lang)} {stamp.strftime(clock)}"


def cell_formatter(column: Column, lang: str) -> Callable[[object], str] | None:
    """How one cell of ``column`` reads on screen in ``lang`` (None: the value as it is)."""
    kind = column.kind
    if kind in UNITS:
        return lambda v: fmt.by_unit(v, kind, lang)
    if kind in _SIGNED_UNIT:
        unit = _SIGNED_UNIT[kind]
        return lambda v: fmt.signed_by_unit(v, unit, lang, column.measure)
    if kind == "signed_pct":
        return lambda v: fmt.signed_pct(v, lang)
    if kind == "ratio":
        return lambda v: fmt.DASH if _missing(v) else f"{float(v):.{column.digits}f}"  # type: ignore[arg-type]
    if kind == "month":
        return lambda v: fmt.month(v, lang)
    if kind == "date":
        return lambda v: fmt.date(v, lang)
    if kind == "datetime":
        return lambda v: _datetime(v, lang)
    if kind == "timestamp":
        return lambda v: _datetime(v, lang, "%H:%M:%S")
    if kind in ("id", "year"):
        return _whole
    if kind in ("flag", "link"):
        return None
    return lambda v: fmt.DASH if _missing(v) or v == "" else str(v)


def _text_values(frame: pd.DataFrame, column: Column, lang: str) -> list[str]:
    values = frame[column.name]
    if column.kind == "stars":
        return [stars_text(v) for v in values]
    if column.kind == "light":
        return light_texts(values)
    if column.kind == "metric_value":
        # Rows of different target metrics: each value in its own unit.
        return [metric_value_text(m, v, lang) for m, v in zip(frame["metric"], values, strict=True)]
    return [fmt.DASH if _missing(v) or v == "" else str(v) for v in values]


def column_texts(values: pd.Series, formatter: Callable[[object], str] | None) -> list[str]:
    """Each value of a column as ``formatter`` writes it (``str`` when None), a dash for a
    missing one: one pass, each distinct value written once."""
    write = formatter or str
    missing = values.isna().to_numpy()
    written = {value: write(value) for value in dict.fromkeys(values[~missing])}
    return [
        fmt.DASH if gone else written[value] for value, gone in zip(values, missing, strict=True)
    ]


def shown_table(data: pd.DataFrame, texts: Mapping[str, Sequence[str]]) -> Styler:
    """A table as shown: the values (numbers and dates, so a click on a header sorts by value)
    and, for the columns in ``texts``, each cell's text as ``ui.formatting`` wrote it.

    Streamlit shows a Styler's cells through ``Styler._translate``. pandas' own builds HTML
    attributes for every cell (about 30 µs a cell: 0.7 s for a 2,000 x 12 league); this Styler's
    hands over the texts already written (a few µs a cell). Styles are not used. It stays a
    plain ``Styler`` (Streamlit recognises a Styler by its exact type), with these two methods
    of its own.
    """
    styler = Styler(data)
    written = {index: list(texts[name]) for index, name in enumerate(data.columns) if name in texts}

    def translate(*args: object, **kwargs: object) -> dict[str, list]:
        body = [
            [
                {"id": f"row{row}_col{col}", "display_value": cells[row]}
                for col, cells in written.items()
            ]
            for row in range(len(data))
        ]
        return {"body": body, "cellstyle": [], "table_styles": []}

    styler._translate = translate  # type: ignore[method-assign]
    styler._compute = lambda: styler  # type: ignore[method-assign]
    return styler


# A table of more cells than this is shown as its texts (each cell exactly as ui.formatting
# writes it, but a click on a header sorts the text); a smaller one also keeps its values under
# the texts, so a click sorts by value. Streamlit takes a Styler's texts cell by cell (about
# 6-8 µs a cell with :func:`shown_table`): a 2,000-row league as a Styler cost its page twice its
# time before issue 17, as texts it costs the formatting alone.
SORTED_BY_VALUE_CELLS = 5_000


def display(
    frame: pd.DataFrame, columns: Sequence[Column], lang: str | None = None
) -> tuple[Styler | pd.DataFrame, dict[str, object]]:
    """The table as shown, each cell as ``ui.formatting`` writes it, and the column config
    (labels, definitions): up to :data:`SORTED_BY_VALUE_CELLS` cells a Styler
    (:func:`shown_table`) with the values underneath, so columns sort by value; a larger table
    its texts alone."""
    lang = lang or current_lang()
    by_value = len(frame) * len(columns) <= SORTED_BY_VALUE_CELLS
    values: dict[str, object] = {}
    config: dict[str, object] = {}
    texts: dict[str, list[str]] = {}
    for column in columns:
        label, help_text = column.title(), column.definition()
        if column.kind in _TEXT_KINDS:  # text columns are shown as they are
            values[column.name] = _text_values(frame, column, lang)
        else:
            values[column.name] = frame[column.name].array
            texts[column.name] = column_texts(frame[column.name], cell_formatter(column, lang))
        if column.kind == "flag":
            config[column.name] = st.column_config.CheckboxColumn(label, help=help_text)
        elif column.kind == "link":  # the link's own text is shown
            config[column.name] = st.column_config.LinkColumn(
                label, help=help_text, display_text=column.link_text
            )
        else:
            config[column.name] = st.column_config.Column(label, help=help_text)
            if not by_value and column.name in texts:
                values[column.name] = texts[column.name]
    data = pd.DataFrame(values, index=range(len(frame)))
    if by_value:
        return shown_table(data, texts), config
    return data, config


def export_frame(
    frame: pd.DataFrame, columns: Sequence[Column], lang: str | None = None
) -> pd.DataFrame:
    """The table for download: full amounts in RMB, rates in %, translated headers with units;
    numbers stay numbers."""
    lang = lang or current_lang()
    rmb = t("trends.unit_rmb")
    out = pd.DataFrame(index=frame.index)
    for column in columns:
        label = column.title()
        values = frame[column.name]
        kind = column.kind
        if kind in ("money", "signed_money"):
            header = label if rmb in label else f"{label} ({rmb})"  # a label may name it
            out[header] = values.astype("float64").round(2)
        elif kind in ("pct", "signed_pct", "signed_pp"):
            out[f"{label} (%)"] = values.astype("float64").round(2)
        elif kind in ("rate", "signed_rate_pp"):
            out[f"{label} (%)"] = values.astype("float64").round(4)
        elif kind in ("points", "signed_points", "ratio", "metric_value"):
            out[label] = values.astype("float64").round(max(2, column.digits))
        elif kind == "light":
            out[label] = light_texts(values)
        elif kind == "month":
            out[label] = [fmt.month(v, lang) if not _missing(v) else "" for v in values]
        elif kind == "date":
            out[label] = [fmt.date(v, lang) if not _missing(v) else "" for v in values]
        else:
            out[label] = values
    return out.reset_index(drop=True)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "table"


def _customer_ids(
    frame: pd.DataFrame, customer_column: str | None, customer_ids: Sequence[int]
) -> list[int]:
    """The customers a download records: ``customer_ids`` and the values of ``customer_column``."""
    ids = [int(v) for v in customer_ids]
    if customer_column and customer_column in frame:
        ids += [int(v) for v in frame[customer_column].dropna() if int(v) not in ids]
    return ids


def download_buttons(
    frame: pd.DataFrame,
    name: str,
    *,
    viewer: Viewer,
    filters: Filters,
    title: str,
    key: str | None = None,
    customer_column: str | None = None,
    customer_ids: Sequence[int] = (),
    extra: Mapping[str, object] | None = None,
) -> None:
    """Audited CSV and Excel buttons for ``frame`` as it is (files ``<name>.csv / .xlsx``).

    The customers recorded with a download are ``customer_ids`` (e.g. the one customer of the
    customer view) and the values of ``customer_column``.
    """
    ids = _customer_ids(frame, customer_column, customer_ids)
    exports.download_buttons(
        frame,
        name,
        viewer=viewer,
        filters=filters,
        title=title,
        key=key or name,
        customer_ids=ids,
        extra=extra,
    )


def show(
    frame: pd.DataFrame, columns: Sequence[Column], *, key: str, height: int | str = "auto"
) -> None:
    """Show ``frame`` by ``columns`` with their definitions, without downloads (a table whose
    page offers none, or offers its own)."""
    if len(frame) * len(columns) > SORTED_BY_VALUE_CELLS:
        frame = _sorted_by_choice(frame, columns, key)
    shown, config = display(frame, columns, current_lang())
    with pd.option_context("styler.render.max_elements", max(262_144, frame.size + 1)):
        st.dataframe(shown, column_config=config, hide_index=True, key=key, height=height)
    if not isinstance(shown, Styler):
        st.caption(t("table.sorted_as_text"))


def sort_rows(frame: pd.DataFrame, name: str, descending: bool) -> pd.DataFrame:
    """``frame`` sorted by the values of column ``name`` (missing values last; ties keep their
    order)."""
    return frame.sort_values(
        name, ascending=not descending, na_position="last", kind="stable"
    ).reset_index(drop=True)


def _sorted_by_choice(frame: pd.DataFrame, columns: Sequence[Column], key: str) -> pd.DataFrame:
    """A long table (shown as texts, whose header click sorts text) sorted by value as the user
    chooses above it: a column, or the page's own order, and the direction."""
    titles = {None: t("table.sort_as_listed")}
    titles.update((c.name, c.title()) for c in columns if c.kind not in ("flag", "link"))
    left, right = st.columns([3, 2])
    chosen = left.selectbox(
        t("table.sort_by"), list(titles), format_func=titles.__getitem__, key=f"{key}_sort_by"
    )
    descending = right.toggle(t("table.sort_descending"), value=True, key=f"{key}_sort_desc")
    return frame if chosen is None else sort_rows(frame, chosen, descending)


def table(
    frame: pd.DataFrame,
    columns: Sequence[Column],
    *,
    key: str,
    title: str,
    viewer: Viewer,
    filters: Filters,
    name: str | None = None,
    extra: Mapping[str, object] | None = None,
    customer_column: str | None = None,
    customer_ids: Sequence[int] = (),
    page_filters: Mapping[str, object] | None = None,
    height: int | str = "auto",
    empty_state: bool = False,
) -> None:
    """Show ``frame`` by ``columns`` with their definitions, and the audited downloads.

    ``name``: the files' name and the table named in the audit log (``pcrm_<key>`` unless
    given); ``extra``: more rows for the Excel header (a drill-down position, a period);
    ``customer_column`` / ``customer_ids``: the customers a customer-level table lists, recorded
    with each download; ``page_filters``: the page's own filters of the table, recorded beside the
    sidebar's; ``empty_state``: an empty frame shows "nothing matches" instead.
    """
    if empty_state and frame.empty:
        st.info(t("empty.chart"), icon=":material/filter_alt_off:")
        return
    lang = current_lang()
    show(frame, columns, key=f"{key}_table", height=height)
    ids = _customer_ids(frame, customer_column, customer_ids)
    exports.download_buttons(
        export_frame(frame, columns, lang),
        name or f"pcrm_{slug(key)}",
        viewer=viewer,
        filters=filters,
        title=title,
        key=key,
        customer_ids=ids,
        extra=extra,
        page_filters=page_filters,
    )


__all__ = [
    "KINDS",
    "SORTED_BY_VALUE_CELLS",
    "Column",
    "cell_formatter",
    "column_texts",
    "display",
    "download_buttons",
    "export_frame",
    "light_text",
    "light_texts",
    "show",
    "shown_table",
    "slug",
    "sort_rows",
    "table",
]

"""A table with its CSV and Excel downloads, for tables that may list customers.

Like ``ui.exports.download_buttons`` (same labels, same Excel context rows), but the audit row
of a customer-level table names the customers exported, and the file is built only when the
button is clicked, after the export is on record: an export that cannot be audited raises
instead of leaving the bank.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from data_access.filters import Filters
from data_access.viewer import Viewer
from ui import exports
from ui.i18n import t


def download_buttons(
    frame: pd.DataFrame,
    name: str,
    *,
    viewer: Viewer,
    filters: Filters,
    title: str,
    customer_column: str | None = None,
    customer_ids: Sequence[int] = (),
) -> None:
    """CSV and Excel buttons; a click on a customer-level table is audited with the ids.

    The customers are ``customer_ids`` (e.g. the one customer of the customer view) and the
    values of ``customer_column``.
    """
    ids = [int(v) for v in customer_ids]
    if customer_column and customer_column in frame:
        ids += [int(v) for v in frame[customer_column].dropna() if int(v) not in ids]
    exports.download_buttons(
        frame, name, viewer=viewer, filters=filters, title=title, key=name, customer_ids=ids
    )


def table(
    frame: pd.DataFrame,
    name: str,
    *,
    viewer: Viewer,
    filters: Filters,
    title: str,
    customer_column: str | None = None,
    customer_ids: Sequence[int] = (),
    column_config: Mapping[str, object] | None = None,
) -> None:
    """Show ``frame`` (index hidden) with its downloads; an empty frame shows the empty state."""
    if frame.empty:
        st.info(t("empty.chart"), icon=":material/filter_alt_off:")
        return
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config=dict(column_config or {}),
        key=f"{name}_table",
    )
    download_buttons(
        frame,
        name,
        viewer=viewer,
        filters=filters,
        title=title,
        customer_column=customer_column,
        customer_ids=customer_ids,
    )

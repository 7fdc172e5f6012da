"""Glossary 术语表: the domain terms and every metric's definition, English and Chinese."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import auth, components, exports
from ui import filters as ui_filters
from ui.i18n import CATALOGUE, t, translate
from ui.strings.glossary import TERM_KEYS

viewer = auth.require_page("glossary")
components.page_header(t("page.glossary"), t("glossary.intro"))


def _rows(keys: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                # translate: the level names under the org_model setting ({@branch} markers)
                t("glossary.col_en"): translate(key, "en"),
                t("glossary.col_zh"): translate(key, "zh"),
                t("glossary.col_def_en"): translate(f"{key}_help", "en"),
                t("glossary.col_def_zh"): translate(f"{key}_help", "zh"),
            }
            for key in keys
        ]
    )


# A metric or chart is any label that has a one-line definition beside it (``<key>_help``).
metric_keys = sorted(
    key
    for key in CATALOGUE
    if f"{key}_help" in CATALOGUE and not key.startswith(("gloss.", "page."))
)
query = st.text_input(t("glossary.search"), key="glossary_search", icon=":material/search:").strip()

for title_key, keys, name in (
    ("glossary.terms", list(TERM_KEYS), "terms"),
    ("glossary.metrics", metric_keys, "metrics"),
):
    table = _rows(keys)
    if query:
        hit = table.apply(lambda col: col.str.contains(query, case=False, regex=False))
        table = table[hit.any(axis=1)]
    st.subheader(t(title_key), anchor=False)
    if table.empty:
        st.info(t("glossary.none"), icon=":material/search_off:")
        continue
    st.dataframe(table, hide_index=True, width="stretch")
    exports.download_buttons(
        table,
        f"{t('glossary.file')}-{name}",
        viewer=viewer,
        filters=ui_filters.current_filters(),
        title=t(title_key),
        key=f"glossary_{name}",
    )

"""Next best product in the UI: a customer's suggestions and their reasons in words.

The models are fitted and every customer scored at refresh (``data_access.next_best_jobs``) on
a province-wide sample; the data layer reads the marts within the viewer's scope, so nothing is
fitted while a page runs.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_access import cross_sell
from data_access.viewer import Viewer
from ui import cache
from ui import formatting as fmt
from ui.i18n import t

suggestions_of = cache.scoped(cross_sell.customer_suggestions)


def reason_text(feature: str, direction: str) -> str:
    """The feature that pushed a suggestion most, in plain words (``direction``: has, lacks,
    high or low; ``analytics.propensity.REASON_DIRECTIONS``)."""
    return t(f"xsell.reason_{direction}", feature=t(f"xsell.feature_{feature}"))


def suggestion_table(found: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The suggestions as shown: product line, probability, lift and the reason."""
    return pd.DataFrame(
        {
            t("xsell.product_line"): [t(f"xsell.target_{c}") for c in found["target"]],
            t("xsell.probability"): [fmt.pct(p, lang) for p in found["probability_pct"]],
            t("xsell.lift"): [
                f"{v:.1f}×" if v is not None and pd.notna(v) else fmt.DASH for v in found["lift"]
            ],
            t("xsell.reason"): [
                reason_text(f, d)
                for f, d in zip(found["reason_feature"], found["reason_direction"], strict=True)
            ],
        }
    )


def customer_suggestions(viewer: Viewer, customer_id: int, lang: str) -> None:
    """Draw the top product suggestions for one customer, each with its reason."""
    found = suggestions_of(viewer, customer_id)
    if found.empty:
        st.caption(t("xsell.no_suggestions"))
        return
    st.dataframe(
        suggestion_table(found, lang), hide_index=True, width="stretch", key="cust_suggestions"
    )

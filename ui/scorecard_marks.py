"""Star and traffic-light marks, and target values in their units, shared by the scorecard
pages, tables and the report."""

from __future__ import annotations

import pandas as pd

from analytics import scorecard_rules as sr
from ui import formatting as fmt

STAR, NO_STAR = "★", "☆"
LIGHT_MARK: dict[str, str] = {"green": "🟢", "amber": "🟡", "red": "🔴"}
DASH = "—"


def stars_text(stars: object, top: int | None = None) -> str:
    """★★★☆☆ for three stars of five; a dash when unknown."""
    if stars is None or pd.isna(stars):
        return DASH
    top = top or max(s for _, s in sr.STAR_BANDS)
    n = int(stars)
    return STAR * n + NO_STAR * (top - n)


def metric_value_text(metric: str, value: object, lang: str) -> str:
    """A target metric's value in its unit (sr.TARGET_UNIT): money as 万 / 亿 or ¥ K / M."""
    if value is None or pd.isna(value):
        return DASH
    return fmt.by_unit(float(value), sr.TARGET_UNIT[metric], lang)  # type: ignore[arg-type]

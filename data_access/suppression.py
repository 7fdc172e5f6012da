"""Small-cell suppression for aggregates: no role sees a group smaller than its minimum.

An analyst may explore every aggregate but must not single out a person by slicing until a cell
holds one or two customers (``Role.min_group_size``, 5 for analysts). Query functions that
return aggregate breakdowns pass their frame through :func:`suppress_small_cells` before it
leaves the data layer: a cell below the minimum keeps its key but loses its numbers (NaN) and is
flagged in ``is_suppressed``, so pages can say "fewer than 5" instead of showing a number.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from data_access.viewer import Viewer

SUPPRESSED_COLUMN = "is_suppressed"


def min_group_size(viewer: Viewer) -> int:
    """The smallest group of customers ``viewer`` may see an aggregate of (1 = no limit)."""
    return max(int(viewer.role_info.min_group_size), 1)


def suppress_small_cells(
    frame: pd.DataFrame,
    viewer: Viewer,
    count_column: str = "count_customers",
    value_columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Blank the numbers of rows whose ``count_column`` is below the viewer's minimum.

    (The frame comes first so the scope meta-test does not take this for a query function.)

    ``value_columns`` (default: every numeric column except those named ``*_id``) are set to NaN
    along with the count itself. Empty cells (a count of zero) reveal nobody and are kept. Adds
    a boolean ``is_suppressed`` column; returns a copy.
    """
    out = frame.copy()
    minimum = min_group_size(viewer)
    counts = pd.to_numeric(out[count_column], errors="coerce").fillna(0)
    small = (counts > 0) & (counts < minimum) if minimum > 1 else pd.Series(False, out.index)
    out[SUPPRESSED_COLUMN] = small.to_numpy(dtype=bool)
    if not small.any():
        return out
    if value_columns is None:
        value_columns = [
            c
            for c in out.columns
            if c != SUPPRESSED_COLUMN
            and not str(c).endswith("_id")
            and pd.api.types.is_numeric_dtype(out[c])
            and not pd.api.types.is_bool_dtype(out[c])
        ]
    columns = list(dict.fromkeys([count_column, *value_columns]))
    for column in columns:
        out[column] = out[column].astype("float64")
        out.loc[small, column] = np.nan
    return out


__all__ = ["SUPPRESSED_COLUMN", "min_group_size", "suppress_small_cells"]

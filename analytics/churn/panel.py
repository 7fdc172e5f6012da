"""Customer x month matrices from a long customer-month table (one row per customer per month).

Labels and features both look along each customer's months; pivoting once into dense
``(customers, months)`` arrays keeps that vectorised. A missing row (before the customer opened,
after they closed, or a gap) is ``NaN`` in a value matrix and ``False`` in ``present``.

A :class:`MonthPanel` covers a range of months and pivots each column once, lazily; its
:meth:`MonthPanel.window` is a view on fewer months (no copy of the pivot), which is how
training computes features and labels for many cut-offs from one pivot. Feature code only sees
the window it is handed, so a window ending at the cut-off cannot leak later months.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd


def month_index(month: dt.date | pd.Timestamp) -> int:
    """Months since year 0: consecutive months get consecutive integers."""
    return month.year * 12 + month.month - 1


def month_from_index(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def add_months(month: dt.date, months: int) -> dt.date:
    return month_from_index(month_index(month) + months)


def month_end(month: dt.date) -> dt.date:
    """The last day of ``month`` (balances are month-end snapshots)."""
    return add_months(month, 1) - dt.timedelta(days=1)


def as_month(value) -> dt.date:
    """A month start from a date, datetime, Timestamp or ``YYYY-MM[-DD]`` string."""
    if isinstance(value, str):
        value = pd.Timestamp(value)
    if isinstance(value, pd.Timestamp | dt.datetime):
        value = value.date()
    return dt.date(value.year, value.month, 1)


def _month_indices(values: pd.Series) -> np.ndarray:
    stamps = pd.DatetimeIndex(pd.to_datetime(values))
    return (stamps.year.to_numpy() * 12 + stamps.month.to_numpy() - 1).astype(np.int64)


def _as_float(values: pd.Series) -> np.ndarray:
    if isinstance(values.dtype, np.dtype) and values.dtype.kind in "fiub":
        return values.to_numpy().astype(np.float64, copy=False)  # the fast, common path
    if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
        values = pd.to_numeric(values, errors="coerce")
    return values.to_numpy(dtype=np.float64, na_value=np.nan)


class MonthPanel:
    """Dense views of a customer-month table over the months ``first .. last`` (inclusive).

    Every customer with a row in the range gets a matrix row (``customer_ids``, sorted).
    """

    def __init__(self, frame: pd.DataFrame, first: dt.date, last: dt.date) -> None:
        self.first, self.last = as_month(first), as_month(last)
        lo, hi = month_index(self.first), month_index(self.last)
        if hi < lo:
            raise ValueError(f"empty month range {self.first} .. {self.last}")
        months = _month_indices(frame["month_start"])
        keep = (months >= lo) & (months <= hi)
        self._frame = frame
        self._keep = None if keep.all() else np.flatnonzero(keep)
        ids = frame["customer_id"].to_numpy()
        if self._keep is not None:
            ids, months = ids[self._keep], months[self._keep]
        self.customer_ids, self._rows = np.unique(ids, return_inverse=True)
        self._cols = months - lo
        self.present = np.zeros((len(self.customer_ids), self.n_months), dtype=bool)
        self.present[self._rows, self._cols] = True
        self._cache: dict = {}
        self.columns = frozenset(frame.columns)

    @property
    def n_months(self) -> int:
        return month_index(self.last) - month_index(self.first) + 1

    @property
    def last_with_data(self) -> dt.date | None:
        """The last month in range that has any row (None when empty)."""
        filled = np.flatnonzero(self.present.any(axis=0))
        return add_months(self.first, int(filled[-1])) if len(filled) else None

    def _column(self, column: str) -> pd.Series:
        values = self._frame[column]
        return values if self._keep is None else values.iloc[self._keep]

    def values(self, column: str, fill: float = np.nan) -> np.ndarray:
        """``(customers, months)`` float matrix of ``column``; ``fill`` where a row is missing."""
        key = ("values", column, fill)
        if key not in self._cache:
            matrix = np.full((len(self.customer_ids), self.n_months), fill, dtype=np.float64)
            matrix[self._rows, self._cols] = _as_float(self._column(column))
            self._cache[key] = matrix
        return self._cache[key]

    def flags(self, column: str) -> np.ndarray:
        """Boolean matrix of ``column`` (missing rows and NULLs are False)."""
        key = ("flags", column)
        if key not in self._cache:
            self._cache[key] = np.nan_to_num(self.values(column), nan=0.0) > 0
        return self._cache[key]

    def label_codes(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """(int matrix, lookup) of a text column; ``lookup[matrix]`` is the text (None: no row)."""
        key = ("labels", column)
        if key not in self._cache:
            codes, uniques = pd.factorize(self._column(column))
            matrix = np.full((len(self.customer_ids), self.n_months), -1, dtype=np.int32)
            matrix[self._rows, self._cols] = codes
            self._cache[key] = (matrix, np.append(np.asarray(uniques, dtype=object), None))
        return self._cache[key]

    def labels(self, column: str) -> np.ndarray:
        """Object matrix of a text column (None where a row is missing)."""
        matrix, lookup = self.label_codes(column)
        return lookup[matrix]

    def window(
        self, first: dt.date, last: dt.date, customer_ids: np.ndarray | None = None
    ) -> PanelWindow:
        """A view on months ``first .. last`` (within this panel's range), optionally only on
        ``customer_ids`` (which must all be in the panel)."""
        start = month_index(as_month(first)) - month_index(self.first)
        stop = month_index(as_month(last)) - month_index(self.first) + 1
        if start < 0 or stop > self.n_months or stop <= start:
            raise ValueError(
                f"window {first} .. {last} is not within the panel's {self.first} .. {self.last}"
            )
        rows = None
        if customer_ids is not None:
            rows = np.searchsorted(self.customer_ids, customer_ids)
            rows = np.minimum(rows, max(len(self.customer_ids) - 1, 0))
            if len(rows) and not np.array_equal(self.customer_ids[rows], customer_ids):
                raise KeyError("some customer_ids are not in the panel")
        return PanelWindow(self, start, stop, rows)


class PanelWindow:
    """Months ``start .. stop-1`` (and optionally some rows) of a :class:`MonthPanel`."""

    def __init__(
        self, parent: MonthPanel, start: int, stop: int, rows: np.ndarray | None = None
    ) -> None:
        self._parent, self._cols = parent, slice(start, stop)
        self._rows = slice(None) if rows is None else rows
        self.customer_ids = parent.customer_ids[self._rows]
        self.columns = parent.columns
        self.present = parent.present[self._rows, self._cols]
        self.n_months = stop - start

    def values(self, column: str, fill: float = np.nan) -> np.ndarray:
        return self._parent.values(column, fill)[self._rows, self._cols]

    def flags(self, column: str) -> np.ndarray:
        return self._parent.flags(column)[self._rows, self._cols]

    def labels(self, column: str) -> np.ndarray:
        matrix, lookup = self._parent.label_codes(column)
        return lookup[matrix[self._rows, self._cols]]


def panel_window(
    panel: pd.DataFrame | MonthPanel,
    first: dt.date,
    last: dt.date,
    customer_ids: np.ndarray | None = None,
) -> MonthPanel | PanelWindow:
    """The months ``first .. last`` of a long table (pivoted now) or of an existing pivot,
    optionally restricted to ``customer_ids`` (sorted)."""
    if isinstance(panel, MonthPanel):
        return panel.window(first, last, customer_ids)
    if customer_ids is not None:
        panel = panel.loc[panel["customer_id"].isin(customer_ids)]
    return MonthPanel(panel, first, last)

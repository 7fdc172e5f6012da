"""Every public query function of the data layer, called as the head of branch A, returns
nothing of any other branch: new query functions are enrolled automatically and cannot escape.

A function is a query function when its first parameter is named ``viewer``. Arguments are
supplied by parameter name; a new parameter name fails the test until a sample is added here.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator

import pandas as pd
import pytest
import sqlalchemy as sa

import data_access
from data_access import query, schema
from data_access.filters import Filters
from data_access.segments import SegmentFilters
from data_access.viewer import Viewer
from data_access.warehouse import Warehouse

# Modules that hold machinery rather than viewer-facing queries, or write rather than read.
_SKIP_MODULES = {
    "data_access.__main__",
    "data_access.demo",
    "data_access.extracts",
    "data_access.query",  # read_frame / read_scalar run the statements the query functions build
    "data_access.scope",
}


def query_functions() -> Iterator[tuple[str, Callable]]:
    for info in pkgutil.walk_packages(data_access.__path__, "data_access."):
        if any(info.name == m or info.name.startswith(m + ".") for m in _SKIP_MODULES):
            continue
        module = importlib.import_module(info.name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or fn.__module__ != module.__name__:
                continue
            params = list(inspect.signature(fn).parameters)
            if params and params[0] == "viewer":
                yield f"{info.name}.{name}", fn


class Org:
    """Branch A (the viewer's) and some other branch B, with a customer and staff of each."""

    def __init__(self, warehouse: Warehouse) -> None:
        c, st, f = schema.dim_customer.c, schema.dim_staff.c, schema.fact_customer_month.c
        engine = warehouse.reader()
        with engine.connect() as conn:
            branches = conn.execute(
                sa.select(c.branch_id).group_by(c.branch_id).order_by(c.branch_id)
            ).scalars()
            self.branch_a, self.branch_b = list(branches)[:2]
            self.customers_a = set(
                conn.execute(sa.select(c.customer_id).where(c.branch_id == self.branch_a))
                .scalars()
                .all()
            )
            self.customer_b = conn.execute(
                sa.select(sa.func.min(c.customer_id)).where(c.branch_id == self.branch_b)
            ).scalar()
            self.staff_a = set(
                conn.execute(sa.select(st.staff_id).where(st.branch_id == self.branch_a))
                .scalars()
                .all()
            )
            self.staff_b = conn.execute(
                sa.select(sa.func.min(st.staff_id)).where(st.branch_id == self.branch_b)
            ).scalar()
            self.as_of = conn.execute(sa.select(sa.func.max(f.month_start))).scalar()
            org = conn.execute(
                sa.select(
                    schema.dim_branch.c.cooperative_id, schema.dim_branch.c.prefecture_id
                ).where(schema.dim_branch.c.branch_id == self.branch_a)
            ).one()
        engine.dispose()
        self.viewer = Viewer(
            "meta-head",
            "branch_head",
            branch_id=self.branch_a,
            cooperative_id=org.cooperative_id,
            prefecture_id=org.prefecture_id,
        )

    def samples(self) -> dict[str, list]:
        """Values per parameter name; several values are each tried."""
        return {
            "filters": [Filters(), Filters(branch_ids=(self.branch_b,))],
            "month": [self.as_of],
            "month_start": [self.as_of],
            "check": [self.as_of],
            "customer_id": [self.customer_b],
            "branch_id": [self.branch_b],
            "staff_id": [self.staff_b],
            "limit": [50],
            "text": [str(self.customer_b)],
            "search": [str(self.customer_b)],
            "months": [(self.as_of,)],
            "dimension": ["branch", "tier", "occupation", "wealth_manager"],
            "measure": ["core", "products"],
            "target": ["wealth"],
            "segment": [SegmentFilters(), SegmentFilters(genders=("F",))],
        }


def _frames(result: object) -> Iterator[pd.DataFrame]:
    if isinstance(result, pd.DataFrame):
        yield result
    elif isinstance(result, dict):
        for value in result.values():
            yield from _frames(value)
    elif isinstance(result, list | tuple):
        for value in result:
            yield from _frames(value)


def _calls(fn: Callable, org: Org) -> Iterator[dict]:
    samples = org.samples()
    calls: list[dict] = [{}]
    for name, param in list(inspect.signature(fn).parameters.items())[1:]:
        if param.default is not inspect.Parameter.empty and name not in samples:
            continue
        if name not in samples:
            pytest.fail(f"{fn.__qualname__}: add a sample value for parameter {name!r}")
        calls = [dict(call, **{name: value}) for call in calls for value in samples[name]]
    yield from calls


def test_query_functions_are_found():
    names = [name for name, _ in query_functions()]
    assert "data_access.overview.monthly_totals" in names
    assert "data_access.catalog.org_units" in names


def test_no_query_function_returns_another_branchs_rows(demo_duckdb: Warehouse):
    query.use_warehouse(demo_duckdb)
    org = Org(demo_duckdb)
    checked = 0
    for name, fn in query_functions():
        for kwargs in _calls(fn, org):
            try:
                result = fn(org.viewer, **kwargs)
            except ValueError:
                # A sample the function does not accept (e.g. a breakdown dimension of another
                # page) returns nothing at all: nothing can leak.
                if "dimension" in kwargs:
                    continue
                raise
            for frame in _frames(result):
                where = f"{name}({kwargs})"
                if "branch_id" in frame:
                    assert set(frame["branch_id"].dropna()) <= {org.branch_a}, where
                if "customer_id" in frame:
                    assert set(frame["customer_id"].dropna()) <= org.customers_a, where
                for column in ("staff_id", "rm_staff_id"):
                    if column in frame:
                        assert set(frame[column].dropna()) <= org.staff_a, where
            checked += 1
    assert checked >= 3

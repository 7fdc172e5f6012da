"""Every public query function of the data layer, for every role, returns exactly what it
returns when everything outside that viewer's scope has been deleted.

The differential method. For each backend (DuckDB with a SQLite app store, PostgreSQL with a
PostgreSQL app store) and each role, the demo warehouse, an app store seeded with rows of every
branch and user, and a seeded load journal are copied with every row outside the viewer's scope
removed (tests/scope_stores.py says what each role may see in each store). Every query function
is then called with the same arguments on the full stores and on the copies; any difference in
any output (rows, columns, counts, sums, flags, the type of a refusal) fails. A function that
reads something it should not, whether it returns those rows, an aggregate over them or a count
from the app store, gives a different answer once that something is gone. Two deliberately
leaky functions below (a province-wide count past the scope, an unscoped count of the app
store's contacts) prove that the check catches both.

Query functions are found, not listed: every public function of ``data_access`` (machinery
modules aside) whose first parameter is the viewer. Arguments come from :func:`samples` by
parameter name: ids inside and outside the viewer's scope, one value for most parameters (see
:func:`calls`). A parameter without a default and without a sample fails
``test_every_query_function_can_be_called`` (and the role tests), naming the parameter and where
to add the sample. A function may refuse a role (PermissionError, ValueError): it must then
refuse on both copies alike; any other exception fails. Functions that take a viewer but write,
or that apply a policy to data handed to them, are listed in :data:`NOT_RUN` with the reason: a
new one fails until it is run or listed, and a run function that writes to a store (other than
appending its own audit rows) fails.

Outputs are compared whole: frames by columns and rows (in a stable order, as most functions do
not promise one), mappings, dataclasses, tuples recursively, floats within
:data:`FLOAT_TOLERANCE`. Nothing is ignored (:data:`IGNORED` is empty): the copies keep
``meta_warehouse`` whole, so the version and build time agree, and no function returns the
warehouse's file path.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import importlib
import inspect
import math
import pkgutil
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

import data_access
from analytics.clustering import GroupSpec
from catalogue import metrics
from catalogue.roles import ROLES
from data_access import app_store, customer_groups, query, schema
from data_access.filters import Filters
from data_access.query import read_scalar
from data_access.segments import SegmentFilters
from data_access.viewer import Viewer
from data_access.warehouse import Warehouse
from data_access.watchlist import WatchCriteria
from tests import scope_stores
from tests.conftest import drop_pg_schemas, new_pg_schema_name, viewers_for
from tests.scope_stores import Stores

# Modules that hold machinery rather than viewer-facing queries.
_SKIP_MODULES = {
    "data_access.app_migrations",  # Alembic's scripts run only inside a migration
    "data_access.demo",
    "data_access.extracts",
    "data_access.query",  # read_frame / read_scalar run the statements the query functions build
    "data_access.scope",
}
# Functions that take a viewer but are not run here, and why. Everything else that takes a
# viewer is run; a new writer must be added here on purpose.
NOT_RUN: dict[str, str] = {
    "data_access.app_store.audit": "appends an audit row (what the functions run here may do)",
    "data_access.app_store.audit_within_limit": "appends an audit row, counted against a limit",
    "data_access.masking.mask_free_text_columns": "masks a frame already read (reads no store)",
    "data_access.marts.can_answer": "decides from the scope and filters whether a mart answers "
    "(reads no store); every reader that asks it is run here",
    "data_access.auth_store.add_user": "writes a user account (users page, admin)",
    "data_access.auth_store.set_disabled": "writes a user account (users page, admin)",
    "data_access.auth_store.set_password": "writes a user account (users page, admin)",
    "data_access.auth_store.set_role": "writes a user account (users page, admin)",
    "data_access.auth_store.unlock": "writes a user account (users page, admin)",
    "data_access.customers.record_contact": "writes a contact (scope check: test_customers_data)",
    "data_access.retention.record_action": "writes a contact and a case (test_watchlist_data)",
    "data_access.retention.assign_case": "writes a case (test_watchlist_data)",
    "data_access.inspections.save_inspections": "writes a new warehouse version",
    "data_access.masking.mask_result": "masks a frame it is given for the viewer; reads nothing",
    "data_access.masking.mask_value": "masks a value it is given for the viewer; reads nothing",
    "data_access.suppression.suppress_small_cells": "suppresses cells of a frame it is given",
}
# Names that say "this writes": such a query function must be in NOT_RUN (or be renamed).
_WRITER_NAME = re.compile(r"(record|save|update|upload|write|delete|assign|set|add|create)_")
# Output fields legitimately different between a warehouse and its pruned copy: none (above).
IGNORED: dict[str, tuple[str, ...]] = {}
# Floats are equal within this (relative, and absolute near zero): sums over the same rows in
# another order differ in their last bits; one row more or less differs far more.
FLOAT_TOLERANCE = 1e-9
# Exceptions that are a refusal (the role may not ask this): the same type on both copies.
REFUSALS = (PermissionError, ValueError)


# ------------------------------------------------------------------ discovery


def _modules() -> Iterator:
    for info in pkgutil.walk_packages(data_access.__path__, "data_access."):
        if not any(info.name == m or info.name.startswith(m + ".") for m in _SKIP_MODULES):
            yield importlib.import_module(info.name)


def _public_functions() -> Iterator[tuple[str, Callable]]:
    for module in _modules():
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("_") and fn.__module__ == module.__name__:
                yield f"{module.__name__}.{name}", fn


def _viewer_params(fn: Callable) -> list[inspect.Parameter]:
    return [
        p
        for p in inspect.signature(fn).parameters.values()
        if re.search(r"\bViewer\b", str(p.annotation))
    ]


def _is_query(fn: Callable) -> bool:
    first = next(iter(inspect.signature(fn).parameters.values()), None)
    return first is not None and (first.name == "viewer" or first.annotation in ("Viewer", Viewer))


def query_functions() -> Iterator[tuple[str, Callable]]:
    """Every public function whose first parameter is the viewer, except those in NOT_RUN."""
    for name, fn in _public_functions():
        if _is_query(fn) and name not in NOT_RUN:
            yield name, fn


# ------------------------------------------------------------------ arguments


@dataclasses.dataclass(frozen=True)
class RoleOrg:
    """Values inside and outside one viewer's scope (outside: the nearest, e.g. another
    customer of a wealth manager's branch); for whole-province roles both are inside."""

    as_of: dt.date
    prev_month: dt.date
    customer_in: int
    customer_out: int
    branch_in: int
    branch_out: int
    staff_in: int
    staff_out: int
    name_part: str
    groups: GroupSpec | None  # the province's customer groups as refresh stored them


PLACEHOLDER = RoleOrg(dt.date(2026, 9, 1), dt.date(2026, 8, 1), 1, 2, 1, 2, 1, 2, "王", None)


def samples(org: RoleOrg) -> dict[str, list]:
    """Values per parameter name; a parameter with a default and no entry keeps its default.

    One value exercises a parameter; ids get a value inside the scope and one outside it, and
    a few parameters one value per code path. Call ``k`` of a function passes each parameter's
    ``k``-th value (its first when it has fewer): a function makes as many calls as its longest
    list, which keeps the whole check within its time (each call runs on seven roles' stores,
    twice, on two backends).
    """
    return {
        # the month the pages open on, and a branch filter that names a branch outside the scope
        # (a function that trusted the filter instead of the scope would read it)
        "filters": [Filters(month=org.as_of, branch_ids=(org.branch_in, org.branch_out))],
        "month": [org.as_of],
        "month_start": [org.as_of],
        "check": [org.as_of],
        "months": [(org.prev_month, org.as_of)],
        "year": [org.as_of.year],  # the annual plans of the business review's opening line
        "customer_id": [org.customer_in, org.customer_out],
        "branch_id": [org.branch_in, org.branch_out],
        "staff_id": [org.staff_in, org.staff_out],
        "search": [str(org.customer_out), org.name_part],
        # segments' and cross-selling's dimensions (fact, customer and staff columns); one a
        # function does not know is refused on both copies alike
        "dimension": ["tier", "occupation", "wealth_manager"],
        "measure": ["core", "products"],
        "target": ["wealth"],
        # the stored breakdowns, and the customers' months when a segment is chosen
        "segment": [SegmentFilters(), SegmentFilters(genders=("F",))],
        # statuses are read from the app store's cases (watchlist, watchlist_export)
        "criteria": [None, WatchCriteria(statuses=("contacted", "retained"))],
        # the customer-group totals with the groups given, as the segments page calls them
        # (fitted_groups, also run here, fits them)
        "spec": [org.groups],
        # the target metrics whose series the target card reads (all of them)
        "codes": [metrics.target_codes()],
    }


# Fewer values for the functions that fit or assign customer groups live (a tenth of a second or
# more a call): a segment narrows the same population statement that cluster_sample, run with
# each segment, reads.
_ONE_SEGMENT = {"segment": [SegmentFilters()]}
FEWER_SAMPLES: dict[str, dict[str, list]] = {
    f"data_access.customer_groups.{name}": _ONE_SEGMENT
    for name in ("fitted_groups", "group_summary", "group_products", "group_churn")
}


class MissingSample(Exception):
    pass


def calls(name: str, fn: Callable, values: dict[str, list]) -> list[dict]:
    """The keyword arguments of each call of ``fn``: call ``k`` passes each parameter's ``k``-th
    sample (its first when it has fewer), as many calls as the longest list of its samples."""
    used: dict[str, list] = {}
    for param in list(inspect.signature(fn).parameters.values())[1:]:
        if param.name in values:
            used[param.name] = values[param.name]
        elif param.default is inspect.Parameter.empty and param.kind not in (
            inspect.Parameter.VAR_POSITIONAL,
            inspect.Parameter.VAR_KEYWORD,
        ):
            raise MissingSample(
                f"{name}: parameter {param.name!r} has no default and no sample value: add "
                f"{param.name!r}: [a value inside the viewer's scope, one outside] to samples() "
                f"in tests/test_scope_meta.py"
            )
    count = max((len(v) for v in used.values()), default=1)
    return [{key: v[k] if k < len(v) else v[0] for key, v in used.items()} for k in range(count)]


def plan(org: RoleOrg) -> list[tuple[str, Callable, dict]]:
    values = samples(org)
    try:
        return [
            (name, fn, kwargs)
            for name, fn in query_functions()
            for kwargs in calls(name, fn, {**values, **FEWER_SAMPLES.get(name, {})})
        ]
    except MissingSample as exc:
        pytest.fail(str(exc), pytrace=False)


# ------------------------------------------------------------------ comparing outputs


@dataclasses.dataclass(frozen=True)
class Refused:
    exception: str


def _sort_key(value: object) -> str:
    """An order of rows that last-bit differences of floats do not change (mostly: explain()
    matches rows one by one when two sort apart)."""
    if isinstance(value, tuple):
        return "(" + ",".join(_sort_key(v) for v in value) + ")"
    return f"{value:.6g}" if isinstance(value, float) else repr(value)


def canon(value: object) -> object:
    """``value`` as plain, comparable data: frames become (columns, sorted rows), mappings
    sorted items, dataclasses their fields; NaN equal to NaN (floats compare in :func:`same`)."""
    if isinstance(value, pd.DataFrame):
        frame = value if isinstance(value.index, pd.RangeIndex) else value.reset_index()
        rows = [tuple(canon(v) for v in row) for row in frame.itertuples(index=False, name=None)]
        return ("frame", tuple(map(str, frame.columns)), tuple(sorted(rows, key=_sort_key)))
    if isinstance(value, pd.Series):
        return ("series", canon(value.to_frame().reset_index()))
    if isinstance(value, pd.Index | np.ndarray):
        return tuple(canon(v) for v in value.tolist())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: canon(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return (type(value).__name__, tuple(sorted(fields.items())))
    if isinstance(value, dict):
        return ("dict", tuple(sorted((str(k), canon(v)) for k, v in value.items())))
    if isinstance(value, set | frozenset):
        return ("set", tuple(sorted((canon(v) for v in value), key=_sort_key)))
    if isinstance(value, list | tuple):
        return tuple(canon(v) for v in value)
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        return canon(value.item())
    if isinstance(value, float):
        return "NaN" if math.isnan(value) else value + 0.0  # -0.0 == 0.0
    if isinstance(value, pd.Timestamp | dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bool | int | str | decimal.Decimal | Refused):
        return value
    raise TypeError(f"no canonical form for {type(value).__name__}: teach canon() about it")


def _drop_ignored(name: str, value: object) -> object:
    ignored = IGNORED.get(name, ())
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k not in ignored}
    if isinstance(value, pd.DataFrame):
        return value.drop(columns=[c for c in ignored if c in value.columns])
    return value


def same(a: object, b: object) -> bool:
    """Equal canonical values; floats equal within :data:`FLOAT_TOLERANCE` (a sum of the same
    rows read in another order differs in its last bits)."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=FLOAT_TOLERANCE, abs_tol=FLOAT_TOLERANCE)
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _unmatched(rows: tuple, others: tuple) -> list:
    """Rows of ``rows`` that no row of ``others`` matches (each used once)."""
    left = list(others)
    missing = []
    for row in rows:
        found = next((i for i, other in enumerate(left) if same(row, other)), None)
        if found is None:
            missing.append(row)
        else:
            left.pop(found)
    return missing


def explain(full: object, pruned: object) -> str | None:
    """None when the outputs agree, else what differs: the rows only one side has, or both."""
    if _is_frame(full) and _is_frame(pruned):
        if full[1] != pruned[1]:
            return f"columns {full[1]} on the full stores, {pruned[1]} on the copy"
        if same(full[2], pruned[2]):
            return None
        extra, missing = _unmatched(full[2], pruned[2]), _unmatched(pruned[2], full[2])
        if not extra and not missing:
            return None  # the same rows, sorted apart by a float's last bits
        return (
            f"{len(extra)} row(s) only with the out-of-scope data, e.g. {extra[:2]}; "
            f"{len(missing)} only without, e.g. {missing[:2]}"
        )
    if same(full, pruned):
        return None
    return f"{repr(full)[:300]} on the full stores, {repr(pruned)[:300]} on the copy"


def _is_frame(value: object) -> bool:
    return isinstance(value, tuple) and value[:1] == ("frame",)


def _describe(name: str, kwargs: dict) -> str:
    return f"{name}({', '.join(f'{k}={v!r}' for k, v in kwargs.items())})"


# ------------------------------------------------------------------ running


_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|MERGE|DROP|ALTER|TRUNCATE)\b", re.IGNORECASE)
_AUDIT_INSERT = re.compile(r"\s*INSERT INTO audit_log\b", re.IGNORECASE)


def run(
    stores: Stores, viewer: Viewer, planned: list[tuple[str, Callable, dict]]
) -> tuple[list, list[bool]]:
    """Each call's canonical output (or refusal) on ``stores``, in order, and whether the call
    used the app store."""
    writes: list[str] = []
    used_app_store = [False]
    app_engine = app_store.app_engine(stores.app_url)

    def watch(conn, cursor, statement, parameters, context, executemany) -> None:
        if conn.engine is app_engine:
            used_app_store[0] = True
        if _WRITE.match(statement) and not _AUDIT_INSERT.match(statement):
            writes.append(statement.split("\n")[0][:120])

    results, touched = [], []
    sa.event.listen(sa.engine.Engine, "before_cursor_execute", watch)
    try:
        with scope_stores.active(stores):
            for name, fn, kwargs in planned:
                used_app_store[0] = False
                try:
                    result = canon(_drop_ignored(name, fn(viewer, **kwargs)))
                except REFUSALS as exc:
                    result = Refused(type(exc).__name__)
                except Exception as exc:
                    pytest.fail(
                        f"{_describe(name, kwargs)} raised {type(exc).__name__} for the "
                        f"{viewer.role}: {exc}",
                        pytrace=False,
                    )
                if writes:
                    pytest.fail(
                        f"{_describe(name, kwargs)} wrote to a store ({writes[0]}): a query "
                        f"function only reads (and audits); list a writer in NOT_RUN",
                        pytrace=False,
                    )
                results.append(result)
                touched.append(used_app_store[0])
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", watch)
    return results, touched


def differences(
    full: Stores, pruned: Stores, viewer: Viewer, planned: list[tuple[str, Callable, dict]]
) -> list[str]:
    """One line per call whose output on the full stores differs from that on the copies.

    The calls run on the copies first. When the copies differ from the full stores in the app
    store only (a whole-province role: the same warehouse, the whole journal), a call that did
    not use the app store read the same data twice, so only the calls that did are repeated on
    the full stores (in the same order: any audit rows they write are the same on both).
    """
    on_pruned, touched = run(pruned, viewer, planned)
    only_app_store = pruned.warehouse == full.warehouse and viewer.role in (
        scope_stores.JOURNAL_READERS
    )
    repeat = [i for i, used in enumerate(touched) if used or not only_app_store]
    on_full, _ = run(full, viewer, [planned[i] for i in repeat])
    found = []
    for i, a in zip(repeat, on_full, strict=True):
        difference = explain(a, on_pruned[i])
        if difference is not None:
            name, _, kwargs = planned[i]
            found.append(f"{_describe(name, kwargs)}: {difference}")
    return found


# ------------------------------------------------------------------ the stores


@dataclasses.dataclass(frozen=True)
class Facts:
    """What the samples and the seeded app store are picked from (the whole warehouse)."""

    months: list[dt.date]  # of the customer facts, latest first
    watch_months: list[dt.date]  # scored months, latest first
    scored: list[sa.Row]  # customer_id, branch_id, rm_staff_id, full_name: the latest scores
    branches: dict[int, sa.Row]  # branch_id -> branch_id, cooperative_id, prefecture_id
    staff: list[sa.Row]  # staff_id, branch_id, role


def _facts(warehouse: Warehouse) -> Facts:
    c, b, st = schema.dim_customer.c, schema.dim_branch.c, schema.dim_staff.c
    f, m = schema.fact_customer_month.c, schema.mart_churn_score.c

    def months(column: sa.Column) -> list[dt.date]:
        stmt = sa.select(column).group_by(column).order_by(column.desc()).limit(2)
        return [pd.Timestamp(r[0]).date() for r in scope_stores.read(warehouse, stmt)]

    watch_months = months(m.month_start)
    scored = scope_stores.read(
        warehouse,
        sa.select(m.customer_id, m.branch_id, m.rm_staff_id, c.full_name)
        .join(schema.dim_customer, c.customer_id == m.customer_id)
        .where(m.month_start == watch_months[0])
        .order_by(m.customer_id),
    )
    branches = scope_stores.read(
        warehouse, sa.select(b.branch_id, b.cooperative_id, b.prefecture_id)
    )
    staff = scope_stores.read(
        warehouse, sa.select(st.staff_id, st.branch_id, st.role).order_by(st.staff_id)
    )
    return Facts(
        months(f.month_start), watch_months, scored, {r.branch_id: r for r in branches}, staff
    )


def _role_org(
    warehouse: Warehouse, viewer: Viewer, facts: Facts, groups: GroupSpec | None
) -> RoleOrg:
    """Samples for ``viewer``: the lowest ids inside the scope and the nearest ones outside it
    (same branch, then cooperative, then prefecture); two inside ones for the province."""
    seen_c = scope_stores.visible_ids(warehouse, viewer, schema.dim_customer.c.customer_id)
    seen_b = scope_stores.visible_ids(warehouse, viewer, schema.dim_branch.c.branch_id)
    seen_s = scope_stores.visible_ids(warehouse, viewer, schema.dim_staff.c.staff_id)
    scored = facts.scored
    inside = next((r for r in scored if r.customer_id in seen_c), scored[0])
    outside = min(
        [r for r in scored if r.customer_id not in seen_c]
        or [r for r in scored if r.branch_id != inside.branch_id],
        key=lambda r: (r.branch_id != inside.branch_id, r.customer_id),
    )
    home = facts.branches[inside.branch_id]
    branch_out = min(
        [b for b in facts.branches.values() if b.branch_id not in seen_b]
        or [b for b in facts.branches.values() if b.branch_id != home.branch_id],
        key=lambda b: (
            b.cooperative_id != home.cooperative_id,
            b.prefecture_id != home.prefecture_id,
            b.branch_id,
        ),
    )
    staff_in = next(
        (
            s
            for s in facts.staff
            if s.staff_id == viewer.staff_id
            or (viewer.staff_id is None and s.branch_id == home.branch_id)
        ),
        facts.staff[0],
    )
    staff_out = min(
        [s for s in facts.staff if s.staff_id not in seen_s]
        or [s for s in facts.staff if s.staff_id != staff_in.staff_id],
        key=lambda s: (s.branch_id != staff_in.branch_id, s.staff_id),
    )
    return RoleOrg(
        as_of=facts.months[0],
        prev_month=facts.months[1],
        customer_in=inside.customer_id,
        customer_out=outside.customer_id,
        branch_in=home.branch_id,
        branch_out=branch_out.branch_id,
        staff_in=staff_in.staff_id,
        staff_out=staff_out.staff_id,
        name_part=inside.full_name[:1],
        groups=groups,
    )


@dataclasses.dataclass(frozen=True)
class SeedCustomer:
    customer_id: int
    branch_id: int
    rm_staff_id: int | None
    head_staff_id: int | None


def _seed_customers(facts: Facts, orgs: list[RoleOrg]) -> list[SeedCustomer]:
    """Every sampled customer and the first scored customer of each branch, with their
    relationship manager and branch head (who record their contacts)."""
    wanted = {o.customer_in for o in orgs} | {o.customer_out for o in orgs}
    first_of_branch: dict[int, int] = {}
    for r in facts.scored:
        first_of_branch.setdefault(r.branch_id, r.customer_id)
    wanted |= set(first_of_branch.values())
    heads: dict[int, int] = {}
    for s in facts.staff:
        if s.role == "branch_head":
            heads.setdefault(s.branch_id, s.staff_id)
    return [
        SeedCustomer(r.customer_id, r.branch_id, r.rm_staff_id, heads.get(r.branch_id))
        for r in facts.scored
        if r.customer_id in wanted
    ]


class World:
    """The full stores of one backend, the viewers, and each viewer's pruned copies (made on
    first use, kept for the module)."""

    def __init__(self, warehouse: Warehouse, scratch: Path) -> None:
        self.scratch = scratch
        self.pg_schemas: list[str] = []
        self.viewers = viewers_for(warehouse)
        facts = _facts(warehouse)
        query.use_warehouse(warehouse)
        try:
            groups = customer_groups.stored_spec(self.viewers["executive"], facts.months[0])
        finally:
            query.use_warehouse(None)
        self.orgs = {
            role: _role_org(warehouse, v, facts, groups) for role, v in self.viewers.items()
        }
        head = self.orgs["branch_head"]
        other_head = Viewer(
            "t-other-head", "branch_head", branch_id=head.branch_out, staff_id=head.staff_out
        )
        customers = _seed_customers(facts, list(self.orgs.values()))
        self.seeded = scope_stores.seed_rows(
            [*self.viewers.values(), other_head], customers, facts.watch_months, facts.months[0]
        )
        app_url = scope_stores.app_store_url(warehouse, scratch, self._name(warehouse, "full"))
        scope_stores.write_app_store(app_url, self.seeded)
        journal_dir = scratch / "full-journal"
        scope_stores.seed_journal(journal_dir, customers[0].customer_id, customers[0].branch_id)
        self.full = Stores(warehouse, app_url, journal_dir)
        self._pruned: dict[str, Stores] = {}

    def _name(self, warehouse: Warehouse, stem: str) -> str:
        """A file stem on DuckDB, a fresh schema name on PostgreSQL (dropped by close)."""
        if warehouse.is_duckdb:
            return stem
        name = new_pg_schema_name()
        self.pg_schemas += [name, f"{name}_app"]
        return name

    def pruned(self, role: str) -> Stores:
        if role not in self._pruned:
            name = self._name(self.full.warehouse, role)
            viewer = self.viewers[role]
            self._pruned[role] = scope_stores.prune(
                self.full, viewer, self.seeded, self.scratch, name
            )
        return self._pruned[role]

    def plan(self, role: str) -> list[tuple[str, Callable, dict]]:
        return plan(self.orgs[role])

    def close(self) -> None:
        query.use_warehouse(None)
        app_store.dispose_engines()
        for name in self.pg_schemas:
            drop_pg_schemas(self.full.warehouse.url, name)


@pytest.fixture(scope="module", params=["duckdb", pytest.param("postgresql", marks=pytest.mark.pg)])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    warehouse = request.getfixturevalue("demo_duckdb" if request.param == "duckdb" else "demo_pg")
    built = World(warehouse, tmp_path_factory.mktemp(f"scope-meta-{request.param}"))
    yield built
    built.close()


# ------------------------------------------------------------------ deliberately leaky


def leaky_province_count(viewer: Viewer) -> int:
    """WRONG ON PURPOSE: counts every customer through the engine, past the scope."""
    with query.engine().connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(schema.dim_customer)).scalar()


def leaky_contact_count(viewer: Viewer) -> int:
    """WRONG ON PURPOSE: counts every branch's contacts in the app store."""
    with app_store.app_engine().connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(app_store.contact_log)).scalar()


def writes_a_saved_view(viewer: Viewer) -> int:
    """WRONG ON PURPOSE: a "query" that writes to the app store."""
    with app_store.app_engine().begin() as conn:
        conn.execute(
            app_store.saved_view.insert().values(
                view_id="written-by-a-query",
                user_id=viewer.user_id,
                name="written by a query",
                page="overview",
                query_string="",
                created_at=app_store.utc_now(),
            )
        )
    return 1


def scoped_count(viewer: Viewer) -> int:
    """The same count as :func:`leaky_province_count`, through the scope: no difference."""
    return read_scalar(viewer, sa.select(sa.func.count()).select_from(schema.dim_customer))


# ------------------------------------------------------------------ tests


def test_query_functions_are_found():
    names = dict(query_functions())
    assert "data_access.overview.monthly_totals" in names
    assert "data_access.catalog.org_units" in names
    assert "data_access.inspections.recorded_inspections" in names  # the viewer as ``uploader``
    assert "data_access.customers.record_contact" not in names


def test_functions_taking_a_viewer_are_run_or_listed_as_not_run():
    """Every public function with a Viewer parameter is run, or in NOT_RUN with a reason."""
    found = {name: fn for name, fn in _public_functions() if _viewer_params(fn)}
    neither = sorted(
        name for name, fn in found.items() if not _is_query(fn) and name not in NOT_RUN
    )
    assert not neither, f"takes a viewer but is neither run nor listed in NOT_RUN: {neither}"
    writers = sorted(
        name for name, fn in query_functions() if _WRITER_NAME.match(name.rsplit(".", 1)[1])
    )
    assert not writers, f"named like writers: list them in NOT_RUN or rename: {writers}"
    assert not set(NOT_RUN) - set(found), f"stale NOT_RUN entries: {set(NOT_RUN) - set(found)}"


def test_every_query_function_can_be_called():
    """Each required parameter of each query function has a sample value."""
    missing = []
    for name, fn in query_functions():
        try:
            calls(name, fn, samples(PLACEHOLDER))
        except MissingSample as exc:
            missing.append(str(exc))
    assert not missing, "\n".join(missing)
    stale = set(FEWER_SAMPLES) - {name for name, _ in query_functions()}
    assert not stale, f"FEWER_SAMPLES names functions that are not run: {stale}"


def test_a_missing_sample_names_the_parameter_and_where_to_add_it():
    def needs_a_widget(viewer: Viewer, widget: int, limit: int = 5) -> int:
        return widget

    with pytest.raises(MissingSample, match=r"'widget' has no default .* samples\(\) in tests/"):
        calls("data_access.example.needs_a_widget", needs_a_widget, samples(PLACEHOLDER))


def test_the_stores_have_a_rule_for_every_app_store_table():
    assert set(scope_stores.APP_STORE_RULES) == set(app_store.metadata.tables)


@pytest.mark.parametrize("role", list(ROLES))
def test_no_query_function_reads_outside_the_viewers_scope(world: World, role: str):
    viewer = world.viewers[role]
    found = differences(world.full, world.pruned(role), viewer, world.plan(role))
    assert not found, f"{len(found)} call(s) of the {role} read outside the scope:\n" + "\n".join(
        found
    )


def test_the_check_catches_both_kinds_of_leak(world: World):
    """A province-wide count past the scope and an unscoped count of the app store are found;
    the same count through the scope is not."""
    viewer = world.viewers["branch_head"]
    planned = [
        (f"leak.{fn.__name__}", fn, {})
        for fn in (leaky_province_count, leaky_contact_count, scoped_count)
    ]
    found = differences(world.full, world.pruned("branch_head"), viewer, planned)
    assert [line.split("(")[0] for line in found] == [
        "leak.leaky_province_count",
        "leak.leaky_contact_count",
    ]


def test_a_query_function_that_writes_fails_the_check(world: World):
    viewer = world.viewers["branch_head"]
    planned = [("leak.writes_a_saved_view", writes_a_saved_view, {})]
    with pytest.raises(pytest.fail.Exception, match="wrote to a store .*INSERT INTO saved_view"):
        run(world.pruned("branch_head"), viewer, planned)

"""build_demo: draw the organisation and the customers, simulate, write, refresh, swap in.

Customers are simulated in fixed chunks (the chunk size is a constant, so the numbers do not
depend on memory or machine); a background writer inserts each chunk while the next is drawn,
which keeps a million customers x 24 months within a few GB and well under three minutes.
Branch facts come last because they add up what the customers did.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
import uuid
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine
from threadpoolctl import threadpool_limits
from tqdm import tqdm

from data_access import bulk, schema
from data_access.demo import branch_facts, deposits, holdings, people, targets, vip
from data_access.demo import months as calendar
from data_access.demo.customers import build_population
from data_access.demo.monthly import build_context, simulate_months
from data_access.demo.organisation import CUSTOMERS_PER_BRANCH, build_organisation
from data_access.demo.products import build_catalogue
from data_access.demo.rng import stream
from data_access.demo.totals import Totals
from data_access.demo.writer import BackgroundWriter
from data_access.warehouse import Warehouse

CHUNK_CUSTOMERS = 100_000
# DuckDB keeps written blocks cached up to its memory limit (80% of RAM by default); writing
# needs far less, and the cap keeps the generator's peak memory predictable. Refresh gets the
# default back: its whole-table joins (tier transitions) need more than 2 GB at 1,000,000.
DUCKDB_MEMORY_LIMIT = "2GB"
# Threads of the native maths libraries (OpenMP, OpenBLAS) while refresh fits the demo's churn
# and next-best models: they train on samples of at most 24,000 and 20,000 customers, which one
# thread fits about as fast, while two OpenMP threads spin waiting for each other whenever the
# other core is busy (the database, the app, another build). Measured on the default demo on
# this project's shared two-core machine: 109 s of CPU for the whole build with one thread,
# more than 240 s with the default two (docs/demo-data.md).
MODEL_THREADS = 1
# The default demo (``python -m cli demo``, ``make run``): a slice of the province at real branch
# size, 20 branches of four county cooperatives in the four most populous prefectures (see
# docs/demo-data.md, "Organisation and branch size").
DEFAULT_CUSTOMERS = 20 * CUSTOMERS_PER_BRANCH


@dataclass
class _Ids:
    """Next surrogate key of each fact table whose ids run across chunks."""

    holding: int = 1
    sale: int = 1
    use: int = 1


def _chunk(ctx, part, number: int, start: int, catalogue, identity, totals: Totals, ids: _Ids):
    """Simulate one chunk of customers; returns (table, rows) pairs in writing order."""
    facts = simulate_months(ctx, part, number)
    customers = people.customer_table(ctx, part, facts, identity, start, number)
    held = holdings.build_rows(ctx, part, facts, catalogue, number)
    facts.table = deposits.with_deposit_columns(ctx, part, facts, held, catalogue)
    holding = holdings.holding_table(ctx, part, held, ids.holding)
    sales, sold = holdings.sale_table(ctx, part, facts, held, ids.sale)
    uses = vip.vip_use_table(ctx, part, facts, number, ids.use)
    ids.holding += holding.num_rows
    ids.sale += sales.num_rows
    ids.use += uses.num_rows
    totals.add_months(part, facts)
    totals.add_sales(*sold)
    return [
        (schema.fact_customer_month, facts.table),
        (schema.dim_customer, customers),
        (schema.fact_product_holding, holding),
        (schema.fact_product_sale, sales),
        (schema.fact_vip_service_use, uses),
    ]


def _prepare(engine: Engine) -> None:
    _cap_duckdb_memory(engine, True)
    bulk.create_tables(engine)


def _cap_duckdb_memory(engine: Engine, capped: bool) -> None:
    if engine.dialect.name == "duckdb":
        with engine.connect() as conn:
            if capped:
                conn.exec_driver_sql(f"SET memory_limit = '{DUCKDB_MEMORY_LIMIT}'")
            else:
                conn.exec_driver_sql("RESET memory_limit")


def draw(
    seed: int,
    customers: int,
    months: int,
    as_of: dt.date,
    customers_per_branch: int = CUSTOMERS_PER_BRANCH,
):
    """The months, organisation, population and simulation context the demo is drawn from
    (deterministic in ``seed``): what :func:`build_demo` simulates, and what the calibration
    tests simulate without writing a warehouse. ``as_of`` is the last month's first day."""
    window = calendar.month_starts(as_of, months)
    org = build_organisation(seed, customers, window[0], as_of, customers_per_branch)
    pop = build_population(seed, org, months, as_of)
    return window, org, pop, build_context(seed, org, pop, window)


def build_demo(
    warehouse: Warehouse,
    customers: int = DEFAULT_CUSTOMERS,
    months: int = 24,
    seed: int = 7,
    as_of: dt.date | None = None,
    progress: bool = True,
    train_churn: bool = False,
    customers_per_branch: int = CUSTOMERS_PER_BRANCH,
) -> dict:
    """Build a seeded demo warehouse as a new version, refresh it and swap it in.

    With ``train_churn`` refresh also trains a churn model on the new data (into the models
    folder, see analytics/churn/artifacts.py) and scores it, so the watchlist is populated;
    ``python -m cli demo`` does this unless given ``--no-churn``.

    ``as_of`` is the last month of the data (its first day; default: the previous complete
    calendar month). ``customers_per_branch`` is the average branch size (the real outlet's by
    default; tests use smaller branches to keep several branches in a small build). The same
    seed, sizes and as-of month give identical tables. Returns rows written per table and the
    seconds taken. Raises ``ValueError`` for sizes below one, and
    whatever ``refresh_engine`` raises when a data test fails (the live version is then kept).
    """
    if customers < 1 or months < 1 or customers_per_branch < 1:
        raise ValueError("customers, months and customers per branch must be at least 1")
    from data_access.refresh import refresh_engine

    started = time.perf_counter()
    as_of = dt.date(as_of.year, as_of.month, 1) if as_of else calendar.default_as_of()
    window, org, pop, ctx = draw(seed, customers, months, as_of, customers_per_branch)
    linked = np.bincount(pop.employer_id, minlength=len(org.employers) + 1)[1:]
    org.employers["count_employees"] = np.round(
        linked * stream(seed, "employers").uniform(1.3, 2.5, len(linked)) + 12
    ).astype(np.int64)
    catalogue = build_catalogue(stream(seed, "products"), org.employers)
    identity = people.Identity(ctx, pop, as_of)
    totals = Totals(len(org.branches), len(org.staff), months)
    rows: dict[str, int] = {}

    def write(engine: Engine, table, data) -> None:
        if isinstance(data, pd.DataFrame):
            count = bulk.write_frame(engine, table, data)
        else:
            count = bulk.write_arrow(engine, table, data)
        rows[table.name] = rows.get(table.name, 0) + count

    with warehouse.build() as engine:
        _prepare(engine)
        for table, frame in (
            (schema.dim_prefecture, org.prefectures),
            (schema.dim_cooperative, org.cooperatives),
            (schema.dim_branch, org.branches),
            (schema.dim_staff, org.staff),
            (schema.dim_partner_employer, org.employers),
            (schema.dim_household, people.household_frame(ctx, pop)),
            (schema.dim_product, catalogue.frame),
        ):
            write(engine, table, frame)
        chunks = range(0, len(pop), CHUNK_CUSTOMERS)
        bar = tqdm(
            chunks, desc="demo customers", unit="chunk", file=sys.stderr, disable=not progress
        )
        ids = _Ids()
        with BackgroundWriter(lambda batch: [write(engine, t, d) for t, d in batch]) as writer:
            for number, start in enumerate(bar):
                part = pop.take(start, start + CHUNK_CUSTOMERS)
                writer.put(_chunk(ctx, part, number, start, catalogue, identity, totals, ids))
        base, slope = branch_facts.branch_quality(ctx)
        inspections = branch_facts.inspection_frame(ctx, base, slope)
        write(engine, schema.fact_6s_inspection, inspections)
        write(
            engine,
            schema.fact_service_quality_month,
            branch_facts.service_quality_frame(ctx, totals, base, slope),
        )
        write(engine, schema.fact_target, targets.target_frame(ctx, totals, inspections))
        version = uuid.uuid4().hex
        write(
            engine,
            schema.meta_warehouse,
            pd.DataFrame(
                [
                    {
                        "version_id": version,
                        "built_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
                        "source": "demo",
                        "is_demo": True,
                        "first_month": window[0],
                        "as_of_month": window[-1],
                        "count_customers": len(pop),
                        "seed": seed,
                        "refreshed_at": None,
                    }
                ]
            ),
        )
        generated = time.perf_counter() - started
        _cap_duckdb_memory(engine, False)
        with threadpool_limits(limits=MODEL_THREADS):
            refreshed = refresh_engine(engine, train_churn=train_churn)
    return {
        "version_id": version,
        "customers": len(pop),
        "months": months,
        "first_month": window[0].isoformat(),
        "as_of_month": window[-1].isoformat(),
        "seed": seed,
        "rows": rows,
        "seconds_generate": round(generated, 1),
        "seconds_churn": round(
            refreshed.get("churn_train", 0.0) + refreshed.get("churn_score", 0.0), 1
        ),
        "seconds": round(time.perf_counter() - started, 1),
    }

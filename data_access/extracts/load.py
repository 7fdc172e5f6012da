"""Load an extract folder into the warehouse: validate all, then build, swap, refresh.

``load_extracts`` never touches the live warehouse until the whole extract has passed
validation. Then, inside ONE :meth:`Warehouse.build`, it writes the new version, records the load
in ``meta_load`` and ``meta_warehouse``, and runs refresh (marts and data tests). The build is
swapped in only when all of that succeeded; a failure or a killed process discards it and the
previous warehouse stays exactly as it was.

Modes:

- ``full``: the new version starts empty and holds exactly the extract.
- ``month``: the new version starts as a copy of the live one; the months listed in the manifest
  (default: its as-of month) are deleted from the month-grained facts and inserted from the
  extract, every other table is upserted by key. Loading the same month twice gives the same
  warehouse.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from pathlib import Path

from sqlalchemy.engine import make_url

from data_access import schema
from data_access.bulk import create_tables
from data_access.extracts import journal, meta, tierfill
from data_access.extracts.formats import TABLE_FORMATS
from data_access.extracts.live import Live
from data_access.extracts.manifest import MODES, format_month
from data_access.extracts.problems import REPORT_NAME, ExtractRejected
from data_access.extracts.staging import Scratch
from data_access.extracts.validate import (
    DEFAULT_ROW_BAND,
    DEFAULT_ROW_BAND_MIN_ROWS,
    Validation,
    validate_extracts,
)
from data_access.extracts.writers import writer_for
from data_access.refresh import refresh_engine
from data_access.warehouse import Warehouse

log = logging.getLogger(__name__)

__all__ = ["ExtractRejected", "load_extracts"]


def _write(engine, validation: Validation, relations: dict[str, str]) -> None:
    """Insert (full) or replace and upsert (month) every staged table."""
    with writer_for(engine, validation.scratch) as writer:
        for name, spec in TABLE_FORMATS.items():
            relation = relations[name]
            if validation.mode == "full":
                writer.append(spec.table, relation)
            elif spec.month_column:
                writer.delete_months(spec.table, spec.month_column, validation.months)
                writer.append(spec.table, relation)
            else:
                writer.upsert(spec.table, relation, spec.key)


def _reject(validation: Validation, in_dir: Path, report: Path | None) -> ExtractRejected:
    path = validation.rejections.write_csv(report or in_dir / REPORT_NAME)
    summary = validation.rejections.summary()
    return ExtractRejected(
        f"{summary}\nFull report: {path}\nThe warehouse was not changed.",
        list(validation.rejections),
        path,
        rejected_rows=validation.rejections.rejected_rows,
    )


def _attempt(warehouse: Warehouse, in_dir: Path, mode: str) -> dict:
    """The journal line's common part (the URL without its password)."""
    url = make_url(warehouse.url).render_as_string(hide_password=True)
    where = url if warehouse.is_duckdb else f"{url} (schema {warehouse.pg_schema})"
    return {
        "load_id": meta.new_load_id(),
        "started_at": journal.utc_now(),
        "mode": mode,
        "folder": str(in_dir),
        "warehouse": where,
    }


def load_extracts(
    warehouse: Warehouse,
    in_dir: Path | str,
    mode: str = "full",
    *,
    report: Path | str | None = None,
    row_band: float | None = DEFAULT_ROW_BAND,
    row_band_min_rows: int = DEFAULT_ROW_BAND_MIN_ROWS,
    today: dt.date | None = None,
    work_dir: Path | str | None = None,
    max_per_rule: int = 100,
) -> dict:
    """Validate the extract in ``in_dir`` and load it as a new warehouse version.

    Returns a summary (load id, as-of month, rows per table, tiers computed, seconds per step).
    Raises :class:`ExtractRejected` after writing the rejection report (``report``, default
    ``in_dir/rejections.csv``) when anything is wrong with the extract; ``DataTestFailed`` when
    the loaded data fails the data tests of refresh; ``ValueError`` for an unknown mode. In every
    failure the live warehouse is left as it was. ``row_band`` is the largest accepted relative
    change in a table's row count against the live warehouse (None: no check); changes of at most
    ``row_band_min_rows`` rows are always accepted. ``work_dir`` holds the staging database
    (default: the system's temporary folder; it needs room for the CSV files' contents).
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    in_dir = Path(in_dir).resolve()
    attempt = _attempt(warehouse, in_dir, mode)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    scratch = Scratch(Path(work_dir) if work_dir else None)
    live = Live(warehouse)
    try:
        validation = validate_extracts(
            live,
            in_dir,
            mode,
            scratch,
            today=today,
            row_band=row_band,
            row_band_min_rows=row_band_min_rows,
            max_per_rule=max_per_rule,
        )
        timings["validate"] = round(time.perf_counter() - started, 3)
        if validation.manifest is not None:
            attempt["as_of_month"] = format_month(validation.manifest.as_of_month)
        if not validation.ok:
            raise _reject(validation, in_dir, Path(report) if report else None)
        manifest = validation.manifest
        relations = {name: f"src_{name}" for name in TABLE_FORMATS}
        step = time.perf_counter()
        fcm = validation.staged["fact_customer_month"]
        computed = tierfill.blank_rows(scratch, fcm)
        filled = tierfill.fill_tiers(
            scratch, fcm, live if mode == "month" else None, validation.months
        )
        if filled:
            relations["fact_customer_month"] = filled
        timings["tiers"] = round(time.perf_counter() - step, 3)
        history = live.rows(meta.meta_load)
        live.close()
        load_id, loaded_at = attempt["load_id"], meta.now()
        with warehouse.build(copy_current=(mode == "month")) as engine:
            step = time.perf_counter()
            if mode == "full":
                create_tables(engine, (*schema.SOURCE_TABLES, schema.meta_warehouse))
            _write(engine, validation, relations)
            counts = {name: s.rows for name, s in validation.staged.items()}
            with engine.begin() as conn:
                meta.ensure_history(conn, history)
                meta.record_load(
                    conn,
                    load_id,
                    loaded_at,
                    mode,
                    manifest.as_of_month,
                    [
                        (s.spec.name, s.entry.file, s.entry.sha256, s.rows)
                        for s in validation.staged.values()
                    ],
                )
                row = meta.write_meta_warehouse(conn, load_id, loaded_at)
            timings["write"] = round(time.perf_counter() - step, 3)
            step = time.perf_counter()
            steps = refresh_engine(engine)
            timings["refresh"] = round(sum(steps.values()), 3)
            timings.update({f"refresh.{name}": seconds for name, seconds in steps.items()})
            timings["refresh_with_tests"] = round(time.perf_counter() - step, 3)
        if report is None:
            (in_dir / REPORT_NAME).unlink(missing_ok=True)  # a stale report from a failed try
        timings["total"] = round(time.perf_counter() - started, 3)
        summary = {
            "load_id": load_id,
            "mode": mode,
            "as_of_month": format_month(row["as_of_month"]),
            "first_month": format_month(row["first_month"]),
            "months": [format_month(m) for m in validation.months],
            "rows": counts,
            "tiers_computed": int(computed),
            "seconds": timings,
        }
        log.info("loaded %s: %s", in_dir, summary)
        journal.record(
            {**attempt, "status": "loaded", "finished_at": journal.utc_now(), "rows": counts}
        )
        return summary
    except ExtractRejected as exc:
        outcome = journal.rejection_summary(exc.rejections, exc.rejected_rows)
        journal.record(
            {**attempt, "status": "rejected", "finished_at": journal.utc_now(), **outcome},
            exc.report,
        )
        raise
    except Exception as exc:
        journal.record(
            {
                **attempt,
                "status": "failed",
                "finished_at": journal.utc_now(),
                "error": f"{type(exc).__name__}: {str(exc)[:2000]}",
            }
        )
        raise
    finally:
        live.close()
        scratch.cleanup()

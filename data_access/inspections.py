"""Upload of 6S inspection results: validate a CSV, then save all of it or nothing.

The format (docs/rules.md, "6S inspection upload"): one row per inspection and area, UTF-8 CSV
with a header row and the columns of :data:`COLUMNS`. An inspection is the rows that share a
branch and a date; it must cover each of the four areas exactly once. Every row is checked and
every problem is reported with its row number (the header is row 1); nothing is written unless
every row is valid.

Saving writes a new warehouse version (a copy of the live one plus the new rows) and swaps it in,
like a load: readers never see half an upload, and the app keeps its read-only connection.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from analytics import rules
from catalogue.roles import Capability
from data_access import app_store, bulk, schema
from data_access.viewer import Viewer
from data_access.warehouse import Warehouse

S_COLUMNS: tuple[str, ...] = tuple(f"score_{code}" for code, _, _ in rules.SIX_S)
COLUMNS: tuple[str, ...] = ("branch_id", "inspected_on", "area", "inspector_name", *S_COLUMNS)
AREAS: tuple[str, ...] = tuple(code for code, _, _ in rules.SIX_S_AREAS)
MAX_ROWS = 20_000
MAX_NAME = 32
# Reason codes of a rejected row (labels in ui/strings/scorecards.py, ``sc.reason_<code>``).
REASONS: tuple[str, ...] = (
    "missing_columns",
    "too_many_rows",
    "bad_branch",
    "unknown_branch",
    "out_of_scope",
    "bad_date",
    "future_date",
    "bad_area",
    "bad_inspector",
    "bad_score",
    "duplicate_row",
    "incomplete_inspection",
    "already_recorded",
)


class UploadRejected(ValueError):
    """Raised by :func:`save_inspections` when the rows are not all valid (nothing is saved)."""


@dataclass(frozen=True)
class UploadCheck:
    """The outcome of :func:`validate`: rows ready to save, and every problem found."""

    rows: pd.DataFrame  # warehouse columns except inspection_id, quarter_start (valid rows)
    problems: pd.DataFrame  # row, column, value, reason

    @property
    def ok(self) -> bool:
        return self.problems.empty and not self.rows.empty


def read_csv(data: bytes) -> pd.DataFrame:
    """The uploaded bytes as text columns (UTF-8, with or without a byte-order mark)."""
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _problem(problems: list, row: int, column: str, value: object, reason: str) -> None:
    problems.append({"row": row, "column": column, "value": str(value), "reason": reason})


def validate(
    raw: pd.DataFrame,
    known_branches: set[int],
    allowed_branches: set[int],
    recorded: set[tuple[int, dt.date]],
    today: dt.date | None = None,
) -> UploadCheck:
    """Check every row of an upload; ``recorded`` holds (branch, date) already in the warehouse."""
    today = today or dt.date.today()
    problems: list[dict] = []
    columns = [c.strip() for c in raw.columns]
    raw = raw.set_axis(columns, axis=1)
    missing = [c for c in COLUMNS if c not in columns]
    if missing:
        _problem(problems, 1, ",".join(missing), "", "missing_columns")
        return UploadCheck(pd.DataFrame(columns=list(COLUMNS)), pd.DataFrame(problems))
    if len(raw) > MAX_ROWS:
        _problem(problems, 1, "", len(raw), "too_many_rows")
        return UploadCheck(pd.DataFrame(columns=list(COLUMNS)), pd.DataFrame(problems))
    parsed = []
    for index, record in enumerate(raw[list(COLUMNS)].to_dict("records")):
        row = index + 2  # the header is row 1
        bad = False
        text = {k: str(v).strip() for k, v in record.items()}
        try:
            branch = int(text["branch_id"])
        except ValueError:
            _problem(problems, row, "branch_id", text["branch_id"], "bad_branch")
            branch, bad = None, True
        if branch is not None and branch not in known_branches:
            _problem(problems, row, "branch_id", branch, "unknown_branch")
            bad = True
        elif branch is not None and branch not in allowed_branches:
            _problem(problems, row, "branch_id", branch, "out_of_scope")
            bad = True
        try:
            day = dt.date.fromisoformat(text["inspected_on"])
        except ValueError:
            _problem(problems, row, "inspected_on", text["inspected_on"], "bad_date")
            day, bad = None, True
        if day is not None and day > today:
            _problem(problems, row, "inspected_on", day, "future_date")
            bad = True
        if text["area"] not in AREAS:
            _problem(problems, row, "area", text["area"], "bad_area")
            bad = True
        if not text["inspector_name"] or len(text["inspector_name"]) > MAX_NAME:
            _problem(problems, row, "inspector_name", text["inspector_name"], "bad_inspector")
            bad = True
        scores = {}
        for column in S_COLUMNS:
            try:
                value = float(text[column])
            except ValueError:
                value = float("nan")
            if not 0.0 <= value <= 100.0:  # NaN fails too
                _problem(problems, row, column, text[column], "bad_score")
                bad = True
            scores[column] = value
        parsed.append(
            {
                "_row": row,
                "_bad": bad,
                "branch_id": branch,
                "inspected_on": day,
                "area": text["area"],
                "inspector_name": text["inspector_name"],
                **scores,
            }
        )
    frame = pd.DataFrame(parsed)
    if frame.empty:
        return UploadCheck(pd.DataFrame(columns=list(COLUMNS)), pd.DataFrame(problems))
    keyed = frame[frame["branch_id"].notna() & frame["inspected_on"].notna()]
    duplicated = keyed.duplicated(["branch_id", "inspected_on", "area"], keep="first")
    for row, area in keyed.loc[duplicated, ["_row", "area"]].itertuples(index=False, name=None):
        _problem(problems, int(row), "area", area, "duplicate_row")
    for (branch, day), group in keyed.groupby(["branch_id", "inspected_on"]):
        if (int(branch), day) in recorded:
            for row in group["_row"]:
                _problem(problems, int(row), "inspected_on", day, "already_recorded")
        areas = set(group["area"])
        lacking = [a for a in AREAS if a not in areas]
        if lacking:
            for row in group["_row"]:
                _problem(problems, int(row), "area", ",".join(lacking), "incomplete_inspection")
    problems_frame = pd.DataFrame(problems, columns=["row", "column", "value", "reason"])
    problems_frame = problems_frame.sort_values(["row", "column"], kind="stable")
    rows = frame[list(COLUMNS)].copy() if problems_frame.empty else frame.iloc[0:0][list(COLUMNS)]
    if not rows.empty:
        rows["branch_id"] = rows["branch_id"].astype("int64")
    return UploadCheck(rows.reset_index(drop=True), problems_frame.reset_index(drop=True))


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _recorded(conn: sa.Connection, branches: list[int]) -> set[tuple[int, dt.date]]:
    table = schema.fact_6s_inspection
    stmt = (
        sa.select(table.c.branch_id, table.c.inspected_on)
        .where(table.c.branch_id.in_(branches))
        .distinct()
    )
    return {(int(b), pd.Timestamp(d).date()) for b, d in conn.execute(stmt)}


def recorded_inspections(uploader: Viewer, warehouse: Warehouse | None = None) -> set:
    """(branch, date) of inspections already in the warehouse for the uploader's branches."""
    from data_access.query import read_frame

    table = schema.fact_6s_inspection
    frame = read_frame(
        uploader, sa.select(table.c.branch_id, table.c.inspected_on).distinct(), warehouse
    )
    return {(int(b), pd.Timestamp(d).date()) for b, d in frame.itertuples(index=False)}


def save_inspections(
    uploader: Viewer, check: UploadCheck, warehouse: Warehouse | None = None
) -> int:
    """Write the rows of a valid upload as a new warehouse version; returns rows written.

    Raises :class:`UploadRejected` when the upload has problems, the uploader's role may not
    upload, or an inspection was recorded meanwhile (checked again inside the build).
    """
    from data_access.query import current_warehouse

    if not uploader.can(Capability.MAY_UPLOAD_INSPECTIONS):
        raise UploadRejected("role may not upload inspections")
    if not check.ok:
        raise UploadRejected("the upload has problems")
    warehouse = warehouse or current_warehouse()
    rows = check.rows.copy()
    branches = sorted({int(b) for b in rows["branch_id"]})
    table = schema.fact_6s_inspection
    with warehouse.build(copy_current=True) as engine:
        with engine.connect() as conn:
            clash = _recorded(conn, branches) & {
                (int(b), d) for b, d in zip(rows["branch_id"], rows["inspected_on"], strict=True)
            }
            if clash:
                raise UploadRejected("an inspection was recorded meanwhile")
            first_id = int(
                conn.execute(sa.select(sa.func.max(table.c.inspection_id))).scalar() or 0
            )
        keys = rows[["branch_id", "inspected_on"]].drop_duplicates().reset_index(drop=True)
        keys["inspection_id"] = first_id + 1 + keys.index.to_numpy()
        rows = rows.merge(keys, on=["branch_id", "inspected_on"])
        rows["quarter_start"] = [quarter_start(d) for d in rows["inspected_on"]]
        written = bulk.write_frame(engine, table, rows[[c.name for c in table.columns]])
        # Inside the build: when the record cannot be written, the upload is not swapped in.
        app_store.audit(
            "inspection_upload",
            uploader,
            detail={
                "branches": branches,
                "inspected_on": sorted({f"{d:%Y-%m-%d}" for d in keys["inspected_on"]}),
                "rows": int(written),
            },
        )
        return written

"""Validate an extract folder completely before anything touches the warehouse.

:func:`validate_extracts` reads the manifest, checks each file's checksum and encoding, its
columns against the format (missing, extra, renamed, retyped, authentication data), stages it in
a private DuckDB database, then checks every row: types, blanks, accepted values, formats, dates,
amounts, keys, references between files (and to the live warehouse in month mode), row counts
against the manifest and against the live warehouse (the row-count band). It collects every
problem instead of stopping at the first; the loader refuses the extract if there is any.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from data_access.extracts import checks
from data_access.extracts.excerpt import name_excerpt
from data_access.extracts.folder import link_problem, unsafe_entries
from data_access.extracts.formats import (
    TABLE_FORMATS,
    TableFormat,
    is_authentication_column,
    required_reason,
)
from data_access.extracts.live import Live
from data_access.extracts.manifest import (
    MANIFEST_NAME,
    Manifest,
    ManifestFile,
    file_sha256,
    format_month,
    read_manifest,
)
from data_access.extracts.problems import REPORT_NAME, Rejection, Rejections
from data_access.extracts.staging import (
    Scratch,
    StagedFile,
    create_typed_view,
    ident,
    parquet_type_ok,
    read_parquet_schema,
    stage_csv,
    stage_parquet,
)
from data_access.extracts.textscan import read_csv_header, scan_csv

DEFAULT_ROW_BAND = 0.5
DEFAULT_ROW_BAND_MIN_ROWS = 100


@dataclass
class Validation:
    """The outcome: problems found, and the staged files the loader inserts from."""

    mode: str
    manifest: Manifest | None
    scratch: Scratch
    rejections: Rejections
    staged: dict[str, StagedFile] = field(default_factory=dict)
    months: list[dt.date] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejections

    @property
    def as_of_month(self) -> dt.date | None:
        return self.manifest.as_of_month if self.manifest else None


def _reject(file: str, line: int | None, column: str, rule: str, value: str, message: str):
    return Rejection(file, line, column, rule, value, message)


# ---------------------------------------------------------------- files and headers


def _header_problems(
    entry: ManifestFile, spec: TableFormat, header: list[str], line: int | None
) -> tuple[list[Rejection], set[str]]:
    """Compare a file's columns with the format; returns (problems, usable column names)."""
    problems = []
    file = entry.file
    for name in sorted({n for n in header if header.count(n) > 1}):
        problems.append(
            _reject(file, line, name, "duplicate_column", name, "the column appears twice")
        )
    expected = list(spec.column_names)
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    renamed: dict[str, str] = {}
    for name in missing:
        position = expected.index(name)
        if position < len(header) and header[position] in extra and header[position] not in renamed:
            renamed[header[position]] = name
    if len(missing) == 1 and len(extra) == 1 and not renamed:
        renamed[extra[0]] = missing[0]
    for found, wanted in renamed.items():
        problems.append(
            _reject(
                file,
                line,
                wanted,
                "renamed_column",
                found,
                f"column {wanted!r} is missing and {name_excerpt(found)!r} is not in the "
                f"format: rename it to {wanted!r}",
            )
        )
    for name in missing:
        if name not in renamed.values():
            reason = required_reason(spec.name, name)
            problems.append(
                _reject(
                    file,
                    line,
                    name,
                    "missing_column",
                    "",
                    f"column {name!r} ({spec.column(name).type_label}) is required"
                    + (f": {reason}" if reason else ""),
                )
            )
    for name in extra:
        if name not in renamed:
            problems.append(
                _reject(file, line, name, "extra_column", name, "not a column of this table")
            )
    return problems, {c for c in expected if c in header}


def _auth_problems(entry: ManifestFile, header: list[str], line: int | None) -> list[Rejection]:
    return [
        _reject(
            entry.file,
            line,
            name,
            "authentication_data",
            "<withheld>",
            "authentication data (passwords, PINs, card security codes, track data) must "
            "never leave the core system; the file was not read. Delete it and re-extract "
            "without this column",
        )
        for name in header
        if is_authentication_column(name)
    ]


def _stage_file(
    scratch: Scratch, directory: Path, entry: ManifestFile, rejections: Rejections
) -> StagedFile | None:
    path = directory / entry.file
    spec = TABLE_FORMATS[entry.table]
    if path.is_symlink():  # checked before validation began; again in case it changed since
        rejections.add(link_problem(entry.file))
        return None
    if not path.is_file():
        rejections.add(
            _reject(entry.file, None, "", "file_missing", "", "listed in the manifest, not found")
        )
        return None
    is_csv = entry.format == "csv"
    header_line = 1 if is_csv else None
    try:
        if is_csv:
            header = read_csv_header(path, entry.encoding)
        else:
            header, arrow_types, parquet_rows = read_parquet_schema(path)
    except Exception as exc:  # a damaged Parquet footer, an unreadable file
        rejections.add(
            _reject(entry.file, None, "", "unreadable_file", "", f"cannot be read: {exc}")
        )
        return None
    auth = _auth_problems(entry, header, header_line)
    if auth:
        rejections.extend(auth)
        return None
    staged = StagedFile(entry, spec, path, header, is_csv=is_csv)
    scan = None
    if is_csv:
        scan = scan_csv(path, entry.encoding, scratch.dir, rejections.max_per_rule)
        actual_sha = scan.sha256
        by_rule: dict[str, list] = {}
        for p in scan.problems:
            by_rule.setdefault(p.rule, []).append(p)
        for rule, found in by_rule.items():
            message = (
                f"bytes that are not valid {entry.encoding} (is the manifest's encoding right?)"
                if rule == "undecodable_bytes"
                else "U+FFFD replacement character: the text was damaged by a wrong encoding "
                "upstream; re-extract from the source"
            )
            for p in found:
                rejections.add(_reject(entry.file, p.line, p.column, rule, p.value, message))
            total = scan.problem_counts[rule]
            rejections.add_more(entry.file, "", rule, total - len(found), total)
    else:
        actual_sha = file_sha256(path)
    if actual_sha != entry.sha256:
        rejections.add(
            _reject(
                entry.file,
                None,
                "",
                "checksum_mismatch",
                "",
                f"the file's sha256 is {actual_sha}, the manifest's {entry.sha256}: the file "
                "changed or was cut short after the manifest was written",
            )
        )
    problems, staged.usable = _header_problems(entry, spec, header, header_line)
    rejections.extend(problems)
    if is_csv:
        rejections.extend(stage_csv(scratch, staged, scan, rejections.max_per_rule))
        if scan.utf8_path != path:
            scan.utf8_path.unlink(missing_ok=True)
    else:
        staged.rows = parquet_rows
        for name in sorted(staged.usable):
            kind = arrow_types[name]
            staged.arrow_types[name] = str(kind)
            if not parquet_type_ok(spec.column(name), kind):
                staged.usable.discard(name)
                rejections.add(
                    _reject(
                        entry.file,
                        None,
                        name,
                        "type_mismatch",
                        str(kind),
                        f"Parquet type {kind} cannot hold {spec.column(name).type_label}",
                    )
                )
        stage_parquet(scratch, staged)
    if staged.rows != entry.rows:
        rejections.add(
            _reject(
                entry.file,
                None,
                "",
                "row_count_mismatch",
                str(staged.rows),
                f"the manifest says {entry.rows:,} rows, the file has {staged.rows:,}",
            )
        )
    create_typed_view(scratch, staged)
    return staged


def _folder_problems(directory: Path, manifest: Manifest, rejections: Rejections) -> None:
    listed = manifest.listed
    for path in sorted(directory.iterdir()):
        data_file = path.suffix.lower() in (".csv", ".parquet") and path.name != REPORT_NAME
        if data_file and path.name not in listed:
            rejections.add(
                _reject(
                    path.name,
                    None,
                    "",
                    "file_not_in_manifest",
                    "",
                    f"a data file that {MANIFEST_NAME} does not list",
                )
            )
    for name in TABLE_FORMATS:
        if manifest.file_for(name) is None:
            rejections.add(
                _reject(
                    f"{name}.csv",
                    None,
                    "",
                    "table_missing",
                    name,
                    f"every table needs a file in {MANIFEST_NAME}, even if it has no rows",
                )
            )


# ---------------------------------------------------------------- across files


def _references(
    scratch: Scratch,
    validation: Validation,
    live: Live | None,
) -> None:
    live_keys: dict[tuple[str, str], str | None] = {}
    for staged in validation.staged.values():
        for ref in staged.spec.references:
            if ref.column not in staged.usable:
                continue
            parents = []
            parent = validation.staged.get(ref.parent_table)
            if parent is not None and ref.parent_column in parent.usable:
                col = ident(ref.parent_column)
                parents.append(f"SELECT {col} AS k FROM {parent.src} WHERE {col} IS NOT NULL")
            if live is not None:
                key = (ref.parent_table, ref.parent_column)
                if key not in live_keys:
                    name = f"live_{ref.parent_table}__{ref.parent_column}"
                    column = TABLE_FORMATS[ref.parent_table].table.c[ref.parent_column]
                    live_keys[key] = name if live.keys_into(scratch, column, name) else None
                if live_keys[key]:
                    parents.append(f"SELECT k FROM {ident(live_keys[key])}")
            if not parents:
                continue  # the parent file itself is missing or unusable: reported already
            where = " or the live warehouse" if live is not None else ""
            checks.reference_check(
                scratch,
                staged,
                ref.column,
                parents,
                f"{ref.parent_table}.{ref.parent_column} in the extract{where}",
                validation.rejections,
            )


def _band_problem(file: str, rows: int, reference: int, what: str, band: float) -> Rejection:
    change = (rows - reference) / reference
    return _reject(
        file,
        None,
        "",
        "row_count_band",
        f"{change:+.0%}",
        f"{rows:,} rows against {reference:,} {what}: a change beyond ±{band:.0%}. Check the "
        "extract is complete; if the change is real, load with a wider --row-band",
    )


def _row_band(
    validation: Validation, live: Live, band: float, min_rows: int, rejections: Rejections
) -> None:
    def outside(rows: int, reference: int | None) -> bool:
        return bool(reference) and abs(rows - reference) > max(band * reference, min_rows)

    for staged in validation.staged.values():
        table = staged.spec.table
        if validation.mode == "full":
            reference = live.count(table)
            if outside(staged.rows, reference):
                rejections.add(
                    _band_problem(
                        staged.entry.file, staged.rows, reference, "in the live warehouse", band
                    )
                )
            continue
        month_column = staged.spec.month_column
        if month_column is None or month_column not in staged.usable:
            continue  # dimensions and upserted facts may carry only the changed rows
        history = live.month_counts(table, month_column)
        earlier = [m for m in history if m not in validation.months]
        if not earlier:
            continue
        last = max(earlier)
        found = dict(
            validation.scratch.sql(
                f"SELECT {ident(month_column)}, count(*) FROM {staged.src} GROUP BY 1"
            )
        )
        for month in validation.months:
            rows = int(found.get(month, 0))
            if outside(rows, history[last]):
                rejections.add(
                    _band_problem(
                        staged.entry.file,
                        rows,
                        history[last],
                        f"in {format_month(last)} for {format_month(month)}",
                        band,
                    )
                )


def _months_present(validation: Validation) -> list[dt.date]:
    """The months of a full extract loaded in month mode: those in fact_customer_month."""
    staged = validation.staged.get("fact_customer_month")
    if staged is None or "month_start" not in staged.usable:
        return validation.months
    found = validation.scratch.sql(
        f"SELECT DISTINCT month_start FROM {staged.src} WHERE month_start IS NOT NULL ORDER BY 1"
    )
    return [m for (m,) in found] or validation.months


def _month_coverage(validation: Validation) -> None:
    """The as-of month (full) and every replaced month (month mode) need customer-months."""
    staged = validation.staged.get("fact_customer_month")
    if staged is None or "month_start" not in staged.usable:
        return
    found = {
        m
        for (m,) in validation.scratch.sql(
            f"SELECT DISTINCT month_start FROM {staged.src} WHERE month_start IS NOT NULL"
        )
    }
    as_of = validation.manifest.as_of_month
    if validation.mode == "full" and found and max(found) != as_of:
        validation.rejections.add(
            _reject(
                staged.entry.file,
                None,
                "month_start",
                "as_of_mismatch",
                format_month(max(found)),
                f"the latest month in the file is {format_month(max(found))}, the manifest's "
                f"as_of_month is {format_month(as_of)}",
            )
        )
    for month in validation.months if validation.mode == "month" else []:
        if month not in found:
            validation.rejections.add(
                _reject(
                    staged.entry.file,
                    None,
                    "month_start",
                    "month_missing",
                    format_month(month),
                    "the extract replaces this month but has no customer-month rows for it",
                )
            )


# ---------------------------------------------------------------- entry point


def validate_extracts(
    live: Live,
    in_dir: Path | str,
    mode: str,
    scratch: Scratch,
    *,
    today: dt.date | None = None,
    row_band: float | None = DEFAULT_ROW_BAND,
    row_band_min_rows: int = DEFAULT_ROW_BAND_MIN_ROWS,
    max_per_rule: int = 100,
) -> Validation:
    """Check everything in ``in_dir``; stage valid files in ``scratch`` for the loader."""
    directory = Path(in_dir)
    rejections = Rejections(max_per_rule)
    unsafe = unsafe_entries(directory)
    if unsafe:  # links and special files: refused before anything in the folder is read
        rejections.extend(unsafe)
        return Validation(mode, None, scratch, rejections)
    manifest, problems = read_manifest(directory)
    rejections.extend(problems)
    validation = Validation(mode, manifest, scratch, rejections)
    if manifest is None:
        return validation
    today = today or dt.date.today()
    if mode == "full" and manifest.mode == "month":
        rejections.add(
            _reject(
                MANIFEST_NAME,
                None,
                "mode",
                "manifest_mode",
                manifest.mode,
                "a month extract cannot be loaded in full mode (it would replace the whole "
                "warehouse with one month); load it with --mode month",
            )
        )
    if mode == "month":
        validation.months = manifest.load_months
        if not live.exists:
            rejections.add(
                _reject(
                    MANIFEST_NAME,
                    None,
                    "mode",
                    "no_live_warehouse",
                    "",
                    "month mode adds months to a loaded warehouse; load a full extract first",
                )
            )
    if manifest.as_of_month > today:
        rejections.add(
            _reject(
                MANIFEST_NAME,
                None,
                "as_of_month",
                "future_date",
                format_month(manifest.as_of_month),
                f"the as-of month is in the future (today is {today.isoformat()})",
            )
        )
    _folder_problems(directory, manifest, rejections)
    for entry in manifest.files:
        staged = _stage_file(scratch, directory, entry, rejections)
        if staged is not None:
            validation.staged[entry.table] = staged
    if mode == "month" and manifest.mode == "full" and not manifest.months:
        validation.months = _months_present(validation)
    _month_coverage(validation)
    dates = checks.Dates(today, manifest.as_of_month)
    months = validation.months if mode == "month" else None
    for staged in validation.staged.values():
        checks.column_checks(scratch, staged, dates, months, rejections)
        checks.key_checks(scratch, staged, rejections)
    _references(scratch, validation, live if mode == "month" and live.exists else None)
    if row_band is not None and live.exists:
        _row_band(validation, live, row_band, row_band_min_rows, rejections)
    return validation

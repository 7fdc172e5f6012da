"""``manifest.json``: the list of files in an extract, with their row counts and checksums.

Example (see docs/extracts.md)::

    {
      "format_version": 1,
      "mode": "full",
      "as_of_month": "2026-09",
      "months": [],
      "created_at": "2026-10-03T02:00:00",
      "producer": "core banking nightly batch",
      "files": [
        {"file": "dim_branch.csv", "table": "dim_branch", "format": "csv",
         "encoding": "gbk", "rows": 12, "sha256": "9f86d0..."}
      ]
    }

:func:`read_manifest` never raises on bad content: it returns every problem it finds as a
:class:`~data_access.extracts.problems.Rejection`, so the load can report them all at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from data_access.extracts.excerpt import name_excerpt
from data_access.extracts.formats import ENCODINGS, FORMATS, TABLE_FORMATS
from data_access.extracts.problems import Rejection

MANIFEST_NAME = "manifest.json"
FORMAT_VERSION = 1
MODES = ("full", "month")
_HASH_BLOCK = 1 << 22


@dataclass
class ManifestFile:
    """One file of the extract."""

    file: str
    table: str
    format: str
    encoding: str
    rows: int
    sha256: str


@dataclass
class Manifest:
    """The whole extract: its mode, as-of month and files."""

    mode: str
    as_of_month: dt.date
    files: list[ManifestFile]
    months: list[dt.date] = field(default_factory=list)
    listed: set[str] = field(default_factory=set)  # every file name listed, valid or not
    created_at: str = ""
    producer: str = ""
    format_version: int = FORMAT_VERSION

    def file_for(self, table: str) -> ManifestFile | None:
        return next((f for f in self.files if f.table == table), None)

    @property
    def load_months(self) -> list[dt.date]:
        """The months a month-mode load replaces (the as-of month when none are listed)."""
        return sorted(set(self.months) or {self.as_of_month})

    def to_json(self) -> dict:
        return {
            "format_version": self.format_version,
            "mode": self.mode,
            "as_of_month": format_month(self.as_of_month),
            "months": [format_month(m) for m in sorted(self.months)],
            "created_at": self.created_at,
            "producer": self.producer,
            "files": [asdict(f) for f in self.files],
        }


def format_month(month: dt.date) -> str:
    return month.strftime("%Y-%m")


def parse_month(text: object) -> dt.date | None:
    """``YYYY-MM`` or ``YYYY-MM-01`` -> the first day of that month; None when malformed."""
    if not isinstance(text, str):
        return None
    for pattern in ("%Y-%m", "%Y-%m-%d"):
        try:
            value = dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        return value if value.day == 1 else None
    return None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(directory: Path, manifest: Manifest) -> Path:
    path = Path(directory) / MANIFEST_NAME
    path.write_text(json.dumps(manifest.to_json(), indent=2, ensure_ascii=False) + "\n", "utf-8")
    return path


def _plain_name(name: str) -> bool:
    """A file name of the folder itself: no folder part (either slash), not . or .., no NUL."""
    return (
        bool(name) and name not in (".", "..") and not any(ch in name for ch in ("/", "\\", "\0"))
    )


def _problem(column: str, rule: str, value: object, message: str) -> Rejection:
    return Rejection(MANIFEST_NAME, None, column, rule, str(value), message)


def _file_entry(index: int, raw: object, problems: list[Rejection]) -> ManifestFile | None:
    where = f"files[{index}]"
    if not isinstance(raw, dict):
        problems.append(_problem(where, "manifest_invalid", raw, f"{where} is not an object"))
        return None
    missing = [k for k in ("file", "table", "format", "rows", "sha256") if k not in raw]
    if missing:
        problems.append(
            _problem(
                where,
                "manifest_invalid",
                raw.get("file", ""),
                f"{where} lacks {', '.join(missing)}",
            )
        )
        return None
    entry = ManifestFile(
        file=str(raw["file"]),
        table=str(raw["table"]),
        format=str(raw["format"]).lower(),
        encoding=str(raw.get("encoding") or "utf-8").lower(),
        rows=raw["rows"] if isinstance(raw["rows"], int) else -1,
        sha256=str(raw["sha256"]).lower(),
    )
    ok = True
    name = name_excerpt(entry.file, mask=False)  # messages quote the manifest only this far
    if entry.table not in TABLE_FORMATS:
        problems.append(
            _problem(
                f"{where}.table",
                "unknown_table",
                entry.table,
                f"{name}: {name_excerpt(entry.table)!r} is not a source table of the warehouse",
            )
        )
        ok = False
    if entry.format not in FORMATS:
        problems.append(
            _problem(
                f"{where}.format",
                "manifest_invalid",
                entry.format,
                f"{name}: format must be one of {', '.join(FORMATS)}",
            )
        )
        ok = False
    if entry.encoding not in ENCODINGS or (entry.format == "parquet" and entry.encoding != "utf-8"):
        allowed = "utf-8 (Parquet)" if entry.format == "parquet" else ", ".join(ENCODINGS)
        problems.append(
            _problem(
                f"{where}.encoding",
                "encoding_unsupported",
                entry.encoding,
                f"{name}: encoding must be {allowed}",
            )
        )
        ok = False
    if entry.rows < 0:
        problems.append(
            _problem(
                f"{where}.rows",
                "manifest_invalid",
                raw["rows"],
                f"{name}: rows must be a non-negative integer",
            )
        )
        ok = False
    if len(entry.sha256) != 64 or any(ch not in "0123456789abcdef" for ch in entry.sha256):
        problems.append(
            _problem(
                f"{where}.sha256",
                "manifest_invalid",
                entry.sha256,
                f"{name}: sha256 must be 64 hexadecimal digits",
            )
        )
        ok = False
    if not _plain_name(entry.file):
        problems.append(
            _problem(
                f"{where}.file",
                "path_outside_folder",
                entry.file,
                "not a file of the extract folder: name a file stored in the folder itself "
                "(no folder part, no .., no absolute path)",
            )
        )
        ok = False
    return entry if ok else None


def read_manifest(directory: Path) -> tuple[Manifest | None, list[Rejection]]:
    """Parse and check ``manifest.json``; returns (manifest or None, problems)."""
    path = Path(directory) / MANIFEST_NAME
    if not path.exists():
        return None, [_problem("", "manifest_missing", "", f"no {MANIFEST_NAME} in {directory}")]
    try:
        raw = json.loads(path.read_text("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, [_problem("", "manifest_invalid", "", f"not valid UTF-8 JSON: {exc}")]
    if not isinstance(raw, dict):
        return None, [_problem("", "manifest_invalid", "", "the manifest must be a JSON object")]
    problems: list[Rejection] = []
    if raw.get("format_version", FORMAT_VERSION) != FORMAT_VERSION:
        problems.append(
            _problem(
                "format_version",
                "manifest_invalid",
                raw.get("format_version"),
                f"only format_version {FORMAT_VERSION} is understood",
            )
        )
    mode = raw.get("mode", "full")
    if mode not in MODES:
        problems.append(_problem("mode", "manifest_invalid", mode, "mode must be full or month"))
    as_of = parse_month(raw.get("as_of_month"))
    if as_of is None:
        problems.append(
            _problem(
                "as_of_month",
                "manifest_invalid",
                raw.get("as_of_month"),
                "as_of_month must be a month, YYYY-MM",
            )
        )
    months: list[dt.date] = []
    for i, text in enumerate(raw.get("months") or []):
        month = parse_month(text)
        if month is None:
            problems.append(
                _problem(f"months[{i}]", "manifest_invalid", text, "months are YYYY-MM")
            )
        elif as_of is not None and month > as_of:
            problems.append(
                _problem(f"months[{i}]", "manifest_invalid", text, "a month after as_of_month")
            )
        else:
            months.append(month)
    files_raw = raw.get("files")
    if not isinstance(files_raw, list):
        problems.append(_problem("files", "manifest_invalid", "", "files must be a list"))
        files_raw = []
    files = [f for i, item in enumerate(files_raw) if (f := _file_entry(i, item, problems))]
    seen: dict[str, str] = {}
    for entry in files:
        if entry.table in seen:
            problems.append(
                _problem(
                    "files",
                    "manifest_invalid",
                    entry.file,
                    f"{name_excerpt(entry.file, mask=False)} and "
                    f"{name_excerpt(seen[entry.table], mask=False)} are both {entry.table}",
                )
            )
        seen.setdefault(entry.table, entry.file)
    if as_of is None or mode not in MODES:
        return None, problems
    manifest = Manifest(
        mode=mode,
        as_of_month=as_of,
        files=files,
        months=months,
        listed={str(item.get("file")) for item in files_raw if isinstance(item, dict)},
        created_at=str(raw.get("created_at", "")),
        producer=str(raw.get("producer", "")),
    )
    return manifest, problems

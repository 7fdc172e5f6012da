"""Rejections: every problem found in an extract, and the report the core-banking team reads.

Validation never stops at the first problem. Each check adds what it found here; a check that
fails on many rows keeps the first ``max_per_rule`` of them (by line) and one more row saying how
many there were in all, so a report stays readable when a whole column is wrong.

Every :class:`Rejection` quotes the extract only through :mod:`~data_access.extracts.excerpt`:
a value is a short excerpt with long digit runs masked, column and file names are bounded, so
however a check builds it, a report never carries more of a file than that.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from data_access.extracts.excerpt import excerpt, name_excerpt
from data_access.masking import PII_MASKS

REPORT_NAME = "rejections.csv"
REPORT_COLUMNS = ("file", "line", "column", "rule", "value", "message")


@dataclass(frozen=True)
class Rejection:
    """One problem: where it is (file, line, column), which rule it breaks, and the value.

    The value is kept as an excerpt (at most 20 characters, digit runs masked), the column and
    file names bounded (:mod:`~data_access.extracts.excerpt`); the message is the code's own
    words, and quotes the extract only through the same excerpts.
    """

    file: str
    line: int | None
    column: str
    rule: str
    value: str
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "file", name_excerpt(self.file, mask=False))
        object.__setattr__(self, "column", name_excerpt(self.column))
        object.__setattr__(self, "value", excerpt(self.value))

    def describe(self) -> str:
        where = self.file + (f":{self.line}" if self.line is not None else "")
        column = f" column {self.column}" if self.column else ""
        value = f" value {self.value!r}" if self.value else ""
        return f"{where}{column} [{self.rule}]{value}: {self.message}"


class ExtractRejected(RuntimeError):
    """Raised by the loader when an extract has problems; the warehouse was not touched.

    ``rejections`` holds every problem found, ``report`` the path of the rejection report and
    ``rejected_rows`` how many rows broke at least one rule (counted per rule and file).
    """

    def __init__(
        self,
        message: str,
        rejections: list[Rejection],
        report: Path | None,
        rejected_rows: int = 0,
    ) -> None:
        super().__init__(message)
        self.rejections = rejections
        self.report = report
        self.rejected_rows = rejected_rows


def shown_value(column: str, value: object, secret: bool = False) -> str:
    """The value as the report shows it: personal data masked by its column's format (王**,
    138****5678), authentication data withheld; :class:`Rejection` then keeps an excerpt."""
    if secret:
        return "<withheld>"
    if value is None:
        return ""
    text = str(value)
    mask = PII_MASKS.get(column)
    return str(mask(text)) if mask is not None else text


class Rejections:
    """The growing list of problems of one validation run."""

    def __init__(self, max_per_rule: int = 100) -> None:
        self.max_per_rule = max_per_rule
        self.items: list[Rejection] = []
        self.rows_by_file: Counter[str] = Counter()

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __iter__(self):
        return iter(self.items)

    def add(self, rejection: Rejection) -> None:
        self.items.append(rejection)
        if rejection.line is not None:
            self.rows_by_file[rejection.file] += 1

    def extend(self, rejections: list[Rejection]) -> None:
        for rejection in rejections:
            self.add(rejection)

    def add_rows(
        self,
        file: str,
        column: str,
        rule: str,
        rows: list[tuple[int | None, object]],
        total: int,
        message: str,
    ) -> None:
        """Add the first rows (line, value) of a check that ``total`` rows failed."""
        kept = rows[: self.max_per_rule]
        for line, value in kept:
            self.add(Rejection(file, line, column, rule, shown_value(column, value), message))
        self.add_more(file, column, rule, total - len(kept), total)

    def add_more(self, file: str, column: str, rule: str, more: int, total: int) -> None:
        """Count ``more`` offending rows not listed one by one, with one line saying so."""
        if more <= 0:
            return
        self.rows_by_file[file] += more
        self.items.append(
            Rejection(
                file,
                None,
                column,
                rule,
                "",
                f"... and {more:,} more rows ({total:,} in all) break this rule",
            )
        )

    @property
    def rejected_rows(self) -> int:
        return sum(self.rows_by_file.values())

    def write_csv(self, path: Path) -> Path:
        """Write the report as CSV in UTF-8 with a BOM (Excel opens it with Chinese intact).

        Written beside ``path`` and renamed onto it, so a symbolic link planted at ``path`` is
        replaced, never followed (the report cannot overwrite a file elsewhere).
        """
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as handle:
                os.fchmod(handle.fileno(), 0o644)  # as a plain new file (mkstemp's is private)
                writer = csv.writer(handle)
                writer.writerow(REPORT_COLUMNS)
                for r in self.items:
                    line = "" if r.line is None else r.line
                    writer.writerow([r.file, line, r.column, r.rule, r.value, r.message])
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return path

    def summary(self, per_rule: int = 3) -> str:
        """A few lines for a terminal: each rule broken, how often, and its first problems."""
        rules = Counter(r.rule for r in self.items)
        files = sorted({r.file for r in self.items})
        lines = [
            f"Extract rejected: {len(self.items)} problem(s) in {len(files)} file(s): "
            + ", ".join(f"{rule} x{count}" for rule, count in rules.most_common())
        ]
        for rule, _ in rules.most_common():
            examples = [r for r in self.items if r.rule == rule][:per_rule]
            lines += [f"  {r.describe()}" for r in examples]
        return "\n".join(lines)

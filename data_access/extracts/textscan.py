"""One pass over a CSV file's bytes: checksum, encoding, replacement characters, blank lines.

The file is read in blocks cut at line ends (a newline byte never occurs inside a multi-byte
character in UTF-8, GBK or GB18030), so a problem is reported with its line and, when the line
parses, its column. Files not in UTF-8 are transcoded to a UTF-8 copy for the CSV reader.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

_BLOCK = 1 << 24
_BOM = b"\xef\xbb\xbf"
REPLACEMENT = "\ufffd"


@dataclass
class TextProblem:
    line: int
    column: str
    rule: str  # undecodable_bytes | replacement_character
    value: str


@dataclass
class TextScan:
    """What the pass found; ``utf8_path`` is the file to parse (the original or a copy)."""

    sha256: str
    header: list[str]
    utf8_path: Path
    blank_lines: list[int] = field(default_factory=list)
    problems: list[TextProblem] = field(default_factory=list)
    problem_counts: dict[str, int] = field(default_factory=dict)


def _codec(encoding: str) -> str:
    return "utf-8" if encoding in ("utf-8", "utf-8-sig") else encoding


def _column_at(header: list[str], text: str, position: int) -> str:
    """The header name of the field that contains character ``position`` of a line."""
    prefix = text[:position]
    try:
        fields = next(csv.reader([prefix]))
    except (csv.Error, StopIteration):
        return ""
    index = max(len(fields) - 1, 0)
    return header[index] if index < len(header) else ""


class _Scanner:
    def __init__(self, encoding: str, max_examples: int) -> None:
        self.codec = _codec(encoding)
        self.max_examples = max_examples
        self.header: list[str] = []
        self.problems: list[TextProblem] = []
        self.counts: dict[str, int] = {}
        self.blank_lines: list[int] = []

    def _record(self, line: int, column: str, rule: str, value: str) -> None:
        self.counts[rule] = self.counts.get(rule, 0) + 1
        if self.counts[rule] <= self.max_examples:
            self.problems.append(TextProblem(line, column, rule, value))

    def _line_problems(self, number: int, raw: bytes) -> str:
        try:
            text = raw.decode(self.codec)
        except UnicodeDecodeError as exc:
            bad = raw[exc.start : exc.end + 1]
            text = raw.decode(self.codec, errors="replace")
            position = len(raw[: exc.start].decode(self.codec, errors="replace"))
            column = _column_at(self.header, text, position)
            self._record(number, column, "undecodable_bytes", " ".join(f"{b:02X}" for b in bad))
            return text
        if REPLACEMENT in text:
            position = text.index(REPLACEMENT)
            column = _column_at(self.header, text, position)
            snippet = text[max(position - 8, 0) : position + 8].strip("\r")
            self._record(number, column, "replacement_character", snippet)
        return text

    def chunk(self, first_line: int, data: bytes) -> str:
        """Decode a chunk of whole lines that starts at ``first_line``; record its problems."""
        if not self.header and first_line == 1:
            end = data.find(b"\n")
            head = data[: end if end >= 0 else len(data)].decode(self.codec, errors="replace")
            self.header = next(csv.reader([head.rstrip("\r")]), [])
        if b"\n\n" in data or b"\n\r\n" in data or (first_line == 1 and data[:1] in b"\r\n"):
            lines = data.split(b"\n")[:-1]  # the chunk ends with a newline
            self.blank_lines += [
                first_line + i for i, raw in enumerate(lines) if raw in (b"", b"\r")
            ]
        try:
            text = data.decode(self.codec)
        except UnicodeDecodeError:
            lines = data.split(b"\n")
            return "\n".join(
                self._line_problems(first_line + i, raw) for i, raw in enumerate(lines)
            )
        if REPLACEMENT in text:
            for i, line in enumerate(text.split("\n")):
                if REPLACEMENT in line:
                    self._line_problems(first_line + i, line.encode("utf-8"))
        return text


def _replaced_copy(path: Path, target: Path) -> Path:
    """A UTF-8 copy with undecodable bytes replaced, so the rest of the file can be checked."""
    with path.open("rb") as handle, target.open("wb") as out:
        carry = b""
        while True:
            block = handle.read(_BLOCK)
            data = carry + block
            cut = data.rfind(b"\n") + 1 if block else len(data)
            data, carry = data[:cut], data[cut:]
            out.write(data.decode("utf-8", errors="replace").encode("utf-8"))
            if not block:
                return target


def scan_csv(path: Path, encoding: str, work_dir: Path, max_examples: int = 100) -> TextScan:
    """Checksum and decode ``path`` as ``encoding``; transcode to UTF-8 unless it already is."""
    scanner = _Scanner(encoding, max_examples)
    digest = hashlib.sha256()
    transcode = _codec(encoding) != "utf-8"
    target = Path(work_dir) / f"{path.stem}.utf8.csv" if transcode else path
    out = target.open("wb") if transcode else None
    line = 1
    carry = b""
    first = True
    try:
        with path.open("rb") as handle:
            while True:
                block = handle.read(_BLOCK)
                digest.update(block)
                data = carry + block
                if block:
                    cut = data.rfind(b"\n") + 1
                    if cut == 0:
                        carry = data
                        continue
                    data, carry = data[:cut], data[cut:]
                else:
                    carry = b""
                if first and data.startswith(_BOM) and _codec(encoding) == "utf-8":
                    data = data[len(_BOM) :]
                first = False
                if data:
                    text = scanner.chunk(line, data)
                    if out is not None:
                        out.write(text.encode("utf-8"))
                    line += data.count(b"\n")
                if not block:
                    break
    finally:
        if out is not None:
            out.close()
    if not transcode and scanner.counts.get("undecodable_bytes"):
        target = _replaced_copy(path, Path(work_dir) / f"{path.stem}.utf8.csv")
    return TextScan(
        sha256=digest.hexdigest(),
        header=scanner.header,
        utf8_path=target,
        blank_lines=scanner.blank_lines,
        problems=scanner.problems,
        problem_counts=scanner.counts,
    )


def read_csv_header(path: Path, encoding: str) -> list[str]:
    """The column names on a CSV file's first line (without reading the rest)."""
    with path.open("rb") as handle:
        first = handle.readline(1 << 20)
    if first.startswith(_BOM) and _codec(encoding) == "utf-8":
        first = first[len(_BOM) :]
    text = first.decode(_codec(encoding), errors="replace").rstrip("\r\n")
    return next(csv.reader([text]), []) if text else []

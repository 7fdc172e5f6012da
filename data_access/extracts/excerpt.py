"""Short, masked excerpts of what an extract contains, for rejection reports and messages.

A rejection report is read outside the data office (it is mailed to the core-banking team and
shown on the data-quality page), so it quotes a bad value only as far as needed to find it:

- runs of more than 6 digits (ID, mobile, card and account numbers, whatever the column) keep
  their first 3 and last 4 digits, as ID numbers are masked on screen
  (``data_access.masking.MASK_FORMATS``); a run too short to show both ends is all stars;
- characters that are not printable (line breaks, tabs, terminal escapes) become ``?``;
- a value keeps at most :data:`EXCERPT_CHARS` characters, a column or file name at most
  :data:`NAME_CHARS`, followed by ``...`` when cut.

File names are not masked (``dim_customer_20260930.csv`` stays findable): the batch names them.

Personal-data columns are masked by their own format before this (``problems.shown_value``).
"""

from __future__ import annotations

import re

from data_access.masking import MASK_FORMATS

EXCERPT_CHARS = 20
NAME_CHARS = 64
_DIGITS = re.compile(r"[0-9]{7,}")
_KEPT = MASK_FORMATS["id_number"]  # first 3, last 4


def _mask_run(match: re.Match[str]) -> str:
    run = match.group()
    if len(run) <= _KEPT.head + _KEPT.tail:
        return "*" * len(run)
    return run[: _KEPT.head] + "*" * (len(run) - _KEPT.head - _KEPT.tail) + run[-_KEPT.tail :]


def mask_digits(text: str) -> str:
    """Every run of more than 6 digits masked to its first 3 and last 4 digits."""
    return _DIGITS.sub(_mask_run, text)


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def excerpt(value: object, limit: int = EXCERPT_CHARS, *, mask: bool = True) -> str:
    """At most ``limit`` characters of ``value``, long digit runs masked, unprintables as ``?``.

    The digits are masked on the whole value before it is cut, so a cut never leaves a run short
    enough to escape the mask. ``mask=False`` only cuts and replaces (file names).
    """
    if value is None:
        return ""
    text = str(value)
    text = _printable(mask_digits(text) if mask else text)
    return text if len(text) <= limit else text[:limit] + "..."


def name_excerpt(name: object, *, mask: bool = True) -> str:
    """A column name (masked) or file name (``mask=False``) as a report shows it."""
    return excerpt(name, NAME_CHARS, mask=mask)


__all__ = ["EXCERPT_CHARS", "NAME_CHARS", "excerpt", "mask_digits", "name_excerpt"]

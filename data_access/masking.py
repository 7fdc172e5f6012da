"""Masking of personal data, applied before any frame or value leaves the data layer.

Formats (:data:`MASK_FORMATS`, the one place they are set) are the ones Chinese banks print on
statements: name 张*, ID number first 3 and last 4, mobile 138****5678, card first 6 and last 4.

What is personal data (:data:`PERSONAL_COLUMNS`): the customer's name, ID number, mobile and
card number in ``dim_customer``. Staff names are not masked: they are work information that
scorecards and league tables exist to show, and staff are not the data subjects this protects.

Masking follows the *source column*, not the output label: ``select(dim_customer.c.id_number
.label("x"))`` is masked, through subqueries, CTEs and unions. A statement that computes anything
else from a personal-data column in its output (``substr(id_number, ...)``, ``max(mobile)``,
``cast(mobile AS BIGINT)``) is refused with :class:`PersonalDataError`, since no mask could be
applied to the result; ``count(...)`` and ``IS [NOT] NULL`` tests reveal no digits and are
allowed. Filters (``WHERE mobile = :m``) are allowed: they return rows already in scope.

Free text (contact notes, next steps) is not a column whose source says what it holds, so it is
masked by what it looks like (:func:`mask_free_text`): mainland mobiles, 18-character ID
numbers and 16-19 digit card numbers written into it get the same formats as the columns.

Unmasking (:func:`sees_unmasked`) needs a live grant held by a role that the ``unmask_roles``
setting allows (``data_access.auth_store.may_unmask``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import (
    BinaryExpression,
    ClauseList,
    ColumnClause,
    ColumnElement,
    Grouping,
    Label,
)
from sqlalchemy.sql.functions import count as count_function
from sqlalchemy.sql.selectable import CompoundSelect, Select

from data_access import auth_store
from data_access.viewer import Viewer


@dataclass(frozen=True)
class MaskFormat:
    """Characters kept at each end; everything between becomes ``*``."""

    head: int
    tail: int


# The masking formats (docs/security.md). A name keeps its family name (the first character).
MASK_FORMATS: dict[str, MaskFormat] = {
    "name": MaskFormat(head=1, tail=0),
    "id_number": MaskFormat(head=3, tail=4),
    "mobile": MaskFormat(head=3, tail=4),
    "card": MaskFormat(head=6, tail=4),
}


def _missing(value: object) -> bool:
    return value is None or value != value or value == ""


def mask_name(name: str | None) -> str | None:
    """张三丰 -> 张**; a one-character name still gets a star (李 -> 李*)."""
    if _missing(name):
        return name
    head = MASK_FORMATS["name"].head
    return name[:head] + "*" * max(len(name) - head, 1)


def _keep_ends(value: str | None, fmt: MaskFormat) -> str | None:
    if _missing(value):
        return value
    text = str(value)
    if len(text) <= fmt.head + fmt.tail:
        return "*" * len(text)  # too short to show both ends without showing everything
    return text[: fmt.head] + "*" * (len(text) - fmt.head - fmt.tail) + text[len(text) - fmt.tail :]


def mask_id_number(value: str | None) -> str | None:
    """620102199001011234 -> 620***********1234."""
    return _keep_ends(value, MASK_FORMATS["id_number"])


def mask_mobile(value: str | None) -> str | None:
    """13812345678 -> 138****5678."""
    return _keep_ends(value, MASK_FORMATS["mobile"])


def mask_card(value: str | None) -> str | None:
    """6228480012345678901 -> 622848*********8901."""
    return _keep_ends(value, MASK_FORMATS["card"])


Mask = Callable[[str | None], str | None]

# By column name, for frames that never came from a statement (extract problem reports).
PII_MASKS: dict[str, Mask] = {
    "full_name": mask_name,
    "id_number": mask_id_number,
    "mobile": mask_mobile,
    "card_number": mask_card,
}

# The personal-data columns of the warehouse, by (table, column).
PERSONAL_COLUMNS: dict[tuple[str, str], Mask] = {
    ("dim_customer", "full_name"): mask_name,
    ("dim_customer", "id_number"): mask_id_number,
    ("dim_customer", "mobile"): mask_mobile,
    ("dim_customer", "card_number"): mask_card,
}


# ------------------------------------------------------------------ free text

# Personal data written into free text, in the order tried: a digit run is one of these only
# when it is not part of a longer run (an amount, a date or a longer number stays as it is).
# Mobiles may carry the +86 prefix and be written 138 1234 5678 or 138-1234-5678; cards may be
# written in groups of four.
_FREE_TEXT_PATTERNS: tuple[tuple[re.Pattern[str], Mask], ...] = (
    # an ID number: 17 digits and a digit or X
    (re.compile(r"(?<!\d) \d{17} (?:\d|[Xx](?![A-Za-z])) (?!\d)", re.X), mask_id_number),
    # a card number: 16-19 digits, or four groups of four (and up to three more digits)
    (
        re.compile(r"(?<!\d) (?: \d{16,19} | \d{4}(?:\ \d{4}){3}(?:\ \d{1,3})? ) (?!\d)", re.X),
        mask_card,
    ),
    # a mobile: 1[3-9] and 9 digits, maybe +86 before it, maybe grouped 3-4-4
    (
        re.compile(
            r"(?<!\d) (?:\+?86[\ -]?)? (?P<number> 1[3-9]\d ([\ -]?) \d{4} \2 \d{4} ) (?!\d)", re.X
        ),
        mask_mobile,
    ),
)


def _masked_match(match: re.Match[str], mask: Mask) -> str:
    whole = match.group(0)
    number = match.groupdict().get("number") or whole
    prefix = whole[: len(whole) - len(number)]
    return prefix + str(mask(re.sub(r"[ -]", "", number)))


def mask_free_text(text: str | None) -> str | None:
    """``text`` with every mobile, ID number and card number in it masked.

    "客户13812345678要求回电" -> "客户138****5678要求回电". Grouped forms (138 1234 5678,
    6228 4800 1234 5678) are masked too, written without their spaces. Missing values pass
    through.
    """
    if _missing(text):
        return text
    out = str(text)
    for pattern, mask in _FREE_TEXT_PATTERNS:
        out = pattern.sub(lambda match, mask=mask: _masked_match(match, mask), out)
    return out


def mask_free_text_columns(
    frame: pd.DataFrame, columns: tuple[str, ...], viewer: Viewer
) -> pd.DataFrame:
    """``frame`` with its free-text ``columns`` masked (:func:`mask_free_text`), unless
    ``viewer`` sees personal data unmasked. For free text read outside :func:`read_frame`
    (the app store's contact notes).

    (The frame comes first so the scope meta-test does not take this for a query function.)
    """
    present = [c for c in columns if c in frame.columns]
    if not present or frame.empty or sees_unmasked(viewer):
        return frame
    frame = frame.copy()
    for column in present:
        frame[column] = frame[column].map(mask_free_text, na_action="ignore")
    return frame


class PersonalDataError(ValueError):
    """The statement derives output from personal data in a way no mask can cover."""


def mask_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Mask every personal-data column present in ``frame`` (by column name)."""
    present = [c for c in frame.columns if c in PII_MASKS]
    if not present:
        return frame
    frame = frame.copy()
    for column in present:
        frame[column] = frame[column].map(PII_MASKS[column], na_action="ignore")
    return frame


def _personal_mask(element: object) -> Mask | None:
    if isinstance(element, sa.Column) and isinstance(element.table, sa.Table):
        return PERSONAL_COLUMNS.get((element.table.name, element.name))
    return None


def _lineage(column: ColumnElement) -> set:
    """``column`` and every expression it proxies, through labels, subqueries, CTEs."""
    seen: set = set()
    todo = [column]
    while todo:
        element = todo.pop()
        if element in seen:
            continue
        seen.add(element)
        proxies = getattr(element, "proxy_set", ())
        todo.extend(p for p in proxies if p not in seen)
        inner = getattr(element, "element", None)  # Label -> its expression
        if isinstance(inner, ColumnElement) and inner not in seen:
            todo.append(inner)
    return seen


def _harmless_use(parent: object) -> bool:
    """Uses of a personal column that reveal none of its characters."""
    if isinstance(parent, count_function):
        return True
    return isinstance(parent, BinaryExpression) and parent.operator in (
        operators.is_,
        operators.is_not,
    )


def _derived_personal_uses(expression: ColumnElement) -> list[str]:
    """Personal columns used inside ``expression`` other than harmlessly (names, for errors)."""
    found: list[str] = []
    # What a walk finds depends only on the element and on whether its parent is a harmless
    # use: each pair is walked once. Without this a column reused by many expressions above it
    # (a subquery's distance columns, compared in every branch of a CASE) was walked again for
    # each use, hundreds of thousands of steps for the customer-group queries.
    walked: set[tuple[int, bool]] = set()

    def walk(element, parent) -> None:
        key = (id(element), _harmless_use(parent))
        if key in walked:
            return
        walked.add(key)
        if isinstance(element, ColumnClause):
            # A table, alias or subquery column: what it is made of, through every proxy.
            for proxy in element.proxy_set:
                if _personal_mask(proxy) is not None:
                    if not _harmless_use(parent):
                        found.append(f"{proxy.table.name}.{proxy.name}")
                elif proxy is not element and not isinstance(proxy, ColumnClause):
                    walk(proxy, parent)
            return
        keep_parent = isinstance(element, Grouping | Label | ClauseList)
        for child in element.get_children():
            walk(child, parent if keep_parent else element)

    walk(expression, None)
    return found


def output_masks(stmt: Select | CompoundSelect) -> list[Mask | None]:
    """The mask for each output column of ``stmt`` (None: not personal data).

    Raises :class:`PersonalDataError` when an output column is computed from personal data, or
    is a bare ``*`` whose columns cannot be traced.
    """
    selects = list(stmt.selects) if isinstance(stmt, CompoundSelect) else [stmt]
    masks: list[Mask | None] = []
    for select in selects:
        if isinstance(select, CompoundSelect | Select) and select is not stmt:
            inner = output_masks(select)
        else:
            inner = [_column_mask(column) for column in select.selected_columns]
        # In a union, a position is personal when any branch puts personal data there.
        masks = [a or b for a, b in zip(masks, inner, strict=False)] if masks else inner
    return masks


def _column_mask(column: ColumnElement) -> Mask | None:
    if isinstance(column, ColumnClause) and column.is_literal:
        raise PersonalDataError(f"Select named columns, not {column.name!r}")
    for element in _lineage(column):
        mask = _personal_mask(element)
        if mask is not None:
            return mask
    uses = _derived_personal_uses(column)
    if uses:
        raise PersonalDataError(
            f"Output computed from personal data ({', '.join(sorted(set(uses)))}) cannot be "
            "masked: select the column itself"
        )
    return None


def sees_unmasked(viewer: Viewer, now: float | None = None) -> bool:
    """True while ``viewer`` holds a live unmask grant AND their role may unmask
    (``unmask_roles``). An unmask grant never widens the scope: it applies only to the rows
    the viewer's scope lets through."""
    if viewer.unmask_until is None or viewer.unmask_until <= (time.time() if now is None else now):
        return False
    return auth_store.may_unmask(viewer.role)


def mask_result(frame: pd.DataFrame, masks: list[Mask | None], viewer: Viewer) -> pd.DataFrame:
    """Apply ``masks`` (from :func:`output_masks`) to ``frame`` by position, unless unmasked.

    (The frame comes first so the scope meta-test does not take this for a query function.)
    """
    if sees_unmasked(viewer) or not any(masks):
        return frame
    frame = frame.copy()
    for position, mask in enumerate(masks):
        if mask is not None and position < frame.shape[1]:
            frame.isetitem(position, frame.iloc[:, position].map(mask, na_action="ignore"))
    return frame


def mask_value(value: object, masks: list[Mask | None], viewer: Viewer) -> object:
    """The first output column's mask applied to a scalar result, unless unmasked."""
    if not masks or masks[0] is None or sees_unmasked(viewer) or _missing(value):
        return value
    return masks[0](value)

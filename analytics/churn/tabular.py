"""Bring your own table: the churn modelling approach on any labelled customer extract.

Analysts' extracts come from core banking, Excel and colleagues: numbers with thousands
separators ("1,234.5"), padded (" 12 "), full-width (１２３), in accounting brackets ("(500)"),
with currency marks ("¥800", "800元") or percent signs; blanks written as "", "NULL", "-" or
"N/A"; GBK-encoded files; tabs or semicolons instead of commas. :func:`read_table` copes with all
of these; :func:`detect_columns` decides per column whether it is numeric (at least
NUMERIC_SHARE of its non-blank values parse as numbers), a date (turned into a number), or a
category; :func:`cross_validate` runs the same calibrated gradient boosting as the warehouse
model with stratified folds, and the logistic baseline beside it.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold

from analytics.churn.metrics import score_metrics
from analytics.churn.model import fit_model, make_baseline

NUMERIC_SHARE: float = 0.95
BLANKS: frozenset[str] = frozenset(
    {"", "na", "n/a", "nan", "null", "none", "-", "--", "—", "?", "#n/a", "无", "空"}
)
POSITIVE_WORDS: frozenset[str] = frozenset(
    {"1", "1.0", "true", "t", "yes", "y", "churn", "churned", "lost", "positive", "是", "流失"}
)
NEGATIVE_WORDS: frozenset[str] = frozenset(
    {
        "0",
        "0.0",
        "false",
        "f",
        "no",
        "n",
        "retained",
        "stayed",
        "active",
        "negative",
        "否",
        "未流失",
    }
)
MAX_CATEGORIES_SHARE: float = 0.5  # a text column with more distinct values is an identifier
ENCODINGS: tuple[str, ...] = ("utf-8-sig", "gb18030")

_CURRENCY = re.compile(r"[¥￥$€£]|rmb|cny|元", re.IGNORECASE)
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$", re.IGNORECASE)
_DATE = re.compile(r"^\d{4}[-/.年]\d{1,2}([-/.月]\d{1,2}日?)?$")


class TableError(ValueError):
    """A problem with the analyst's table, worded for the analyst (names the file or column)."""


@dataclass
class Columns:
    numeric: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    categorical: list[str] = field(default_factory=list)
    dropped: dict[str, str] = field(default_factory=dict)


def _sniff_delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
    except csv.Error:
        return ","


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV (any of ENCODINGS, delimiter sniffed) with every cell as text.

    Raises TableError naming the file when it is missing, empty or not a readable table.
    """
    path = Path(path)
    if not path.is_file():
        raise TableError(f"cannot read {path}: no such file")
    last_error: Exception | None = None
    for encoding in ENCODINGS:
        try:
            with path.open(encoding=encoding, newline="") as handle:
                sample = handle.read(64_000)
            frame = pd.read_csv(
                path,
                sep=_sniff_delimiter(sample),
                dtype=str,
                keep_default_na=False,
                encoding=encoding,
                skipinitialspace=True,
            )
        except UnicodeDecodeError as exc:
            last_error = exc
            continue
        except (pd.errors.ParserError, pd.errors.EmptyDataError, OSError) as exc:
            raise TableError(f"cannot read {path}: {exc}") from exc
        frame.columns = [str(c).strip() for c in frame.columns]
        if frame.empty:
            raise TableError(f"cannot read {path}: the table has a header but no rows")
        return frame
    raise TableError(f"cannot read {path}: not text in {' or '.join(ENCODINGS)} ({last_error})")


def clean_text(values: pd.Series) -> pd.Series:
    """Full-width to half-width, trimmed; blanks (BLANKS) become NA."""
    text = values.astype("string").str.normalize("NFKC").str.strip()
    return text.mask(text.str.lower().isin(BLANKS))


def parse_numbers(values: pd.Series) -> pd.Series:
    """Numbers written as text -> float (NaN where not a number); input already cleaned."""
    text = values.astype("string").str.replace(_CURRENCY, "", regex=True)
    text = text.str.replace(r"[,\s_']", "", regex=True)
    negative = text.str.match(r"^\(.*\)$").fillna(False).astype(bool)
    text = text.str.strip("()").str.rstrip("%")
    ok = text.str.match(_NUMBER).fillna(False).astype(bool)
    numbers = pd.to_numeric(text.where(ok), errors="coerce").astype(float)
    return numbers.where(~negative, -numbers)


def parse_dates(values: pd.Series) -> pd.Series:
    """Dates (2024-05-01, 2024/5/1, 2024年5月1日) -> years as a decimal (NaN where not a date)."""
    text = values.astype("string").str.replace(r"[年月/.]", "-", regex=True).str.rstrip("日")
    stamps = pd.to_datetime(text, errors="coerce", format="mixed")
    return stamps.dt.year + (stamps.dt.day_of_year - 1) / 365.25


def detect_columns(frame: pd.DataFrame) -> tuple[pd.DataFrame, Columns]:
    """Typed copy of ``frame`` (numbers as float, dates as years, categories as text) + kinds."""
    kinds = Columns()
    typed = {}
    n = len(frame)
    for name in frame.columns:
        text = clean_text(frame[name])
        filled = text.dropna()
        if filled.empty:
            kinds.dropped[name] = "blank"
            continue
        numbers = parse_numbers(text)
        if numbers.notna().sum() >= NUMERIC_SHARE * len(filled):
            if numbers.nunique() <= 1:
                kinds.dropped[name] = "constant"
                continue
            typed[name] = numbers
            kinds.numeric.append(name)
            continue
        if filled.str.match(_DATE).mean() >= NUMERIC_SHARE:
            dates = parse_dates(text)
            if dates.notna().sum() >= NUMERIC_SHARE * len(filled):
                typed[name] = dates
                kinds.dates.append(name)
                continue
        distinct = filled.nunique()
        if distinct <= 1:
            kinds.dropped[name] = "constant"
        elif distinct > max(50, MAX_CATEGORIES_SHARE * n):
            kinds.dropped[name] = f"identifier-like ({distinct:,} distinct values)"
        else:
            typed[name] = text.astype(object).where(text.notna(), np.nan)
            kinds.categorical.append(name)
    return pd.DataFrame(typed, index=frame.index), kinds


def label_vector(values: pd.Series, column: str, positive: str | None) -> tuple[pd.Series, str]:
    """Boolean label (NA where blank) and the value taken as positive.

    Without ``positive``: yes/no-like words, or two numbers (the larger is positive). Raises
    TableError for more than two classes without ``positive``, or a single class.
    """
    text = clean_text(values)
    present = text.dropna()
    classes = sorted(present.unique().tolist())
    if positive is not None:
        wanted = str(positive).strip()
        numbers = parse_numbers(text)
        target = parse_numbers(pd.Series([wanted]))[0]
        is_pos = (text == wanted) | (numbers == target if not math.isnan(target) else False)
        if not is_pos.fillna(False).any():
            raise TableError(
                f"label column {column!r} never equals --positive {wanted!r}; "
                f"its values are {', '.join(map(repr, classes[:10]))}"
            )
        label = is_pos.astype("boolean").mask(text.isna())
        chosen = wanted
    else:
        if len(classes) > 2:
            raise TableError(
                f"label column {column!r} has {len(classes)} distinct values "
                f"({', '.join(map(repr, classes[:10]))}); say which is positive with --positive"
            )
        lower = {c: c.lower() for c in classes}
        pos = [c for c in classes if lower[c] in POSITIVE_WORDS]
        neg = [c for c in classes if lower[c] in NEGATIVE_WORDS]
        if len(pos) == 1 and len(classes) <= 2 and (len(classes) == 1 or neg):
            chosen = pos[0]
        else:
            numbers = parse_numbers(pd.Series(classes))
            if len(classes) == 2 and numbers.notna().all():
                chosen = classes[int(numbers.idxmax())]
            elif len(classes) == 2:
                raise TableError(
                    f"label column {column!r} has values {classes[0]!r} and {classes[1]!r}; "
                    "say which one means churned with --positive"
                )
            else:
                chosen = classes[0] if classes else ""
        label = (text == chosen).astype("boolean").mask(text.isna())
    counts = label.dropna().value_counts()
    if len(counts) < 2:
        only = "positive" if (len(counts) and counts.index[0]) else "negative"
        raise TableError(
            f"label column {column!r} has a single class (every labelled row is {only}, "
            f"positive value {chosen!r}); a model needs churners and non-churners"
        )
    return label, chosen


def cross_validate(
    X: pd.DataFrame,
    y: np.ndarray,
    columns: Columns,
    folds: int = 5,
    random_state: int = 0,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Out-of-fold scores from stratified folds; metrics on the pooled out-of-fold scores."""
    numeric = columns.numeric + columns.dates
    categorical = columns.categorical
    y = np.asarray(y, dtype=bool)
    minority = int(min(y.sum(), (~y).sum()))
    k = max(2, min(folds, minority))
    if minority < 2:
        raise TableError(
            "the label has fewer than 2 rows of its rarer class: cannot cross-validate"
        )
    splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=random_state)
    model_oof = np.zeros(len(y))
    base_oof = np.zeros(len(y))
    fold_auc = []
    cols = numeric + categorical
    for i, (train, test) in enumerate(splitter.split(X, y), start=1):
        model = fit_model(X.iloc[train][cols], y[train], numeric, categorical, random_state)
        model_oof[test] = model.predict_proba(X.iloc[test][cols])[:, 1]
        baseline = make_baseline(numeric, categorical).fit(X.iloc[train][cols], y[train])
        base_oof[test] = baseline.predict_proba(X.iloc[test][cols])[:, 1]
        fold_auc.append(score_metrics(y[test], model_oof[test])["roc_auc"])
        if progress:
            progress(f"fold {i}/{k}: model ROC AUC {fold_auc[-1]:.3f}")
    result = score_metrics(y, model_oof)
    baseline_metrics = score_metrics(y, base_oof)
    result["roc_auc_fold_std"] = round(float(np.std(fold_auc)), 4)
    result["folds"] = k
    result["logistic_roc_auc"] = baseline_metrics["roc_auc"]
    result["logistic_pr_auc"] = baseline_metrics["pr_auc"]
    return result


def evaluate_csv(
    path: str | Path,
    label: str,
    id_column: str | None = None,
    positive: str | None = None,
    folds: int = 5,
    random_state: int = 0,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Read, type, label and cross-validate one table; returns the summary dict.

    Raises TableError (naming the file or column) for an unreadable file, a missing label or id
    column, a single-class label, or no usable feature column.
    """
    say = progress or (lambda _: None)
    frame = read_table(path)
    say(f"read {path}: {len(frame):,} rows x {len(frame.columns)} columns")
    for role, name in (("label", label), ("id", id_column)):
        if name is not None and name not in frame.columns:
            raise TableError(
                f"{role} column {name!r} not in {path}; columns are: {', '.join(frame.columns)}"
            )
    y, chosen = label_vector(frame[label], label, positive)
    keep = y.notna().to_numpy()
    if (~keep).any():
        say(f"dropped {int((~keep).sum()):,} rows with a blank label")
    features = frame.drop(columns=[c for c in (label, id_column) if c is not None])
    X, columns = detect_columns(features.loc[keep].reset_index(drop=True))
    y = y[keep].to_numpy(dtype=bool)
    say(
        f"label {label!r} positive = {chosen!r}: {int(y.sum()):,} of {len(y):,} "
        f"({y.mean():.2%}); numeric {len(columns.numeric)}, dates {len(columns.dates)}, "
        f"categorical {len(columns.categorical)}"
    )
    for name, why in columns.dropped.items():
        say(f"ignored column {name!r}: {why}")
    if not (columns.numeric or columns.dates or columns.categorical):
        raise TableError(f"{path} has no usable feature column besides the label and id")
    result = cross_validate(X, y, columns, folds, random_state, progress=say)
    result.update(
        {
            "n": int(len(y)),
            "positive_rate": round(float(y.mean()), 4),
            "positive_value": chosen,
            "numeric_columns": columns.numeric,
            "date_columns": columns.dates,
            "categorical_columns": columns.categorical,
            "ignored_columns": columns.dropped,
        }
    )
    return result

"""Reasons per customer in plain words, English and Chinese, computed from the churn features.

A relationship manager calls a customer because of something they can say on the phone: "your
time deposit of 200,000 matures in 12 days", not because of a score. Each reason below is a
documented threshold on one feature; a customer's reasons are those past their threshold,
strongest first (strength = how far past it, weighted by how strongly the signal relates to
churn in banking practice), at most MAX_REASONS.

Stored as compact JSON (``[{"code": "asset_drop", "pct": 45}, ...]``) in
``mart_churn_score.reason_codes`` and rendered in the viewer's language by
:func:`render_reasons`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics import rules

MAX_REASONS: int = 3
MIN_AMOUNT_RMB: float = 10_000.0


@dataclass(frozen=True)
class Reason:
    code: str
    en: str
    zh: str


REASONS: tuple[Reason, ...] = (
    Reason("asset_drop", "assets down {pct}% in 3 months", "3个月内资产下降{pct}%"),
    Reason(
        "maturity_soon",
        "{product} of {amount} matures in {days} days",
        "{amount}元{product}{days}天后到期",
    ),
    Reason(
        "not_renewed",
        "deposit of {amount} matured and was not renewed",
        "{amount}元存款到期未续存",
    ),
    Reason(
        "transfer_out",
        "{amount} transferred to other banks in 3 months",
        "3个月内转出他行{amount}元",
    ),
    Reason("no_mobile_login", "no mobile login for {days} days", "{days}天未登录手机银行"),
    Reason(
        "fewer_transactions",
        "transactions down {pct}% on the previous 3 months",
        "交易笔数较前3个月下降{pct}%",
    ),
    Reason("inactive", "no transaction for {months} months", "{months}个月无主动交易"),
    Reason(
        "fewer_products",
        "{count} fewer products than 3 months ago",
        "持有产品较3个月前减少{count}个",
    ),
    Reason(
        "below_floor",
        "below the {tier} floor for {months} months",
        "资产低于{tier}门槛已{months}个月",
    ),
    Reason("spending_drop", "card spending down {pct}%", "刷卡消费下降{pct}%"),
)
REASON_BY_CODE: dict[str, Reason] = {r.code: r for r in REASONS}
REASON_CODES: tuple[str, ...] = tuple(r.code for r in REASONS)
_PRODUCT_WORDS = {
    "time_deposit": ("time deposit", "定期存款"),
    "wealth": ("wealth product", "理财产品"),
}


def _num(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)


def _int_text(values: np.ndarray) -> pd.Series:
    return pd.Series(np.round(np.nan_to_num(values)).astype(np.int64)).astype(str)


def _candidates(frame: pd.DataFrame) -> list[tuple[str, np.ndarray, pd.Series]]:
    """(code, strength per row (0 = not a reason), JSON object text per row) for every reason."""
    out = []
    change = _num(frame, "aum_change_3m")
    pct = np.clip(-change * 100, 0, 100)
    out.append(
        ("asset_drop", np.where(change <= -0.2, 1.0 + (-change), 0.0), '"pct": ' + _int_text(pct))
    )

    days = _num(frame, "days_to_next_maturity")
    amount = _num(frame, "next_maturity_rmb")
    aum = np.maximum(np.nan_to_num(_num(frame, "aum_rmb")), 1.0)
    klass = frame.get("next_maturity_class", pd.Series([None] * len(frame)))
    product = pd.Series(np.where(pd.Series(klass).to_numpy() == "wealth", "wealth", "time_deposit"))
    soon = (days <= 90) & (amount >= MIN_AMOUNT_RMB)
    out.append(
        (
            "maturity_soon",
            np.where(soon, 0.8 + np.minimum(amount / aum, 1.0) * (1 - days / 120), 0.0),
            '"amount": '
            + _int_text(amount)
            + ', "days": '
            + _int_text(days)
            + ', "product": "'
            + product
            + '"',
        )
    )
    lapsed = _num(frame, "matured_not_renewed_3m_rmb")
    out.append(
        (
            "not_renewed",
            np.where(lapsed >= MIN_AMOUNT_RMB, 1.2 + np.minimum(lapsed / aum, 1.0), 0.0),
            '"amount": ' + _int_text(lapsed),
        )
    )
    moved = _num(frame, "transfer_out_3m_rmb")
    moved_share = _num(frame, "transfer_out_3m_share")
    out.append(
        (
            "transfer_out",
            np.where((moved >= MIN_AMOUNT_RMB / 2) & (moved_share >= 0.1), 1.0 + moved_share, 0.0),
            '"amount": ' + _int_text(moved),
        )
    )
    since_login = _num(frame, "months_since_login")
    ever = _num(frame, "ever_mobile_login") > 0
    out.append(
        (
            "no_mobile_login",
            np.where(ever & (since_login >= 3), 0.5 + since_login / 24, 0.0),
            '"days": ' + _int_text(since_login * 30),
        )
    )
    ratio = np.exp(_num(frame, "txn_log_ratio"))
    prev = _num(frame, "txn_prev_3m")
    fall = np.clip((1 - ratio) * 100, 0, 100)
    out.append(
        (
            "fewer_transactions",
            np.where((prev >= 3) & (ratio <= 0.5), 0.4 + (1 - ratio), 0.0),
            '"pct": ' + _int_text(fall),
        )
    )
    idle = _num(frame, "months_since_active")
    out.append(
        (
            "inactive",
            np.where(idle >= 3, 0.6 + idle / 12, 0.0),
            '"months": ' + _int_text(idle),
        )
    )
    lost = -_num(frame, "products_change_3m")
    out.append(
        (
            "fewer_products",
            np.where(lost >= 1, 0.6 + lost / 4, 0.0),
            '"count": ' + _int_text(lost),
        )
    )
    below = _num(frame, "months_below_floor")
    tier = frame.get("tier_code", pd.Series([None] * len(frame))).astype(object).fillna("mass")
    out.append(
        (
            "below_floor",
            np.where(below >= 1, 0.5 + below / 12, 0.0),
            '"months": ' + _int_text(below) + ', "tier": "' + tier.astype(str).to_numpy() + '"',
        )
    )
    spend_ratio = np.exp(_num(frame, "spend_log_ratio"))
    out.append(
        (
            "spending_drop",
            np.where(spend_ratio <= 0.5, 0.3 + (1 - spend_ratio), 0.0),
            '"pct": ' + _int_text(np.clip((1 - spend_ratio) * 100, 0, 100)),
        )
    )
    return out


def reason_codes(frame: pd.DataFrame, max_reasons: int = MAX_REASONS) -> tuple[list, list]:
    """Per row: the JSON text of its reasons (strongest first) and the top reason code or None."""
    cands = _candidates(frame)
    n = len(frame)
    if n == 0:
        return [], []
    strength = np.column_stack([np.nan_to_num(c[1]) for c in cands])
    texts = [
        ('{"code": "' + code + '", ' + pd.Series(body).reset_index(drop=True) + "}").to_numpy(
            dtype=object
        )
        for code, _, body in cands
    ]
    order = np.argsort(-strength, axis=1, kind="stable")[:, :max_reasons]
    rows = np.arange(n)
    parts = []
    for k in range(order.shape[1]):
        idx = order[:, k]
        valid = strength[rows, idx] > 0
        chosen = np.empty(n, dtype=object)
        for r in range(len(cands)):
            pick = valid & (idx == r)
            chosen[pick] = texts[r][pick]
        chosen[~valid] = ""
        parts.append(chosen)
    joined = pd.Series(parts[0], dtype=object)
    for part in parts[1:]:
        nxt = pd.Series(part, dtype=object)
        joined = joined + np.where(nxt != "", ", ", "") + nxt
    json_text = ("[" + joined + "]").tolist()
    codes = np.array([c[0] for c in cands], dtype=object)
    top = np.where(strength[rows, order[:, 0]] > 0, codes[order[:, 0]], None).tolist()
    return json_text, top


def format_amount(amount: float, lang: str = "en") -> str:
    """200000 -> "200,000" (en) or "20万" (zh, for 10,000 and above)."""
    amount = float(amount)
    if lang == "zh" and abs(amount) >= 10_000:
        text = f"{amount / 10_000:.1f}".rstrip("0").rstrip(".")
        return f"{text}万"
    return f"{amount:,.0f}"


def render_reason(reason: dict, lang: str = "en") -> str:
    """One reason dict (``{"code": ..., params}``) in plain words."""
    template = REASON_BY_CODE[reason["code"]]
    params = dict(reason)
    if "amount" in params:
        params["amount"] = format_amount(params["amount"], lang)
    if "product" in params:
        en, zh = _PRODUCT_WORDS.get(params["product"], _PRODUCT_WORDS["time_deposit"])
        params["product"] = zh if lang == "zh" else en
    if "tier" in params and params["tier"] in rules.TIER_BY_CODE:
        tier = rules.TIER_BY_CODE[params["tier"]]
        params["tier"] = tier.name_zh if lang == "zh" else tier.name_en
    text = template.zh if lang == "zh" else template.en
    return text.format(**params)


def render_reasons(reason_json: str | None, lang: str = "en") -> list[str]:
    """The stored ``reason_codes`` JSON as a list of sentences in ``lang`` ("en" or "zh")."""
    if not reason_json:
        return []
    return [render_reason(r, lang) for r in json.loads(reason_json)]

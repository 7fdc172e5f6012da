"""The unified customer view (客户统一视图): find a customer, then read everything about them.

Every function takes the viewer first and reads through :func:`data_access.query.read_frame`,
so a customer outside the viewer's scope simply has no rows: a search never finds them, and a
customer id typed into the URL reads as "not found". Names, ID numbers, mobiles and card
numbers leave here masked (unless the viewer holds an unmask grant). The search runs on the
source columns in SQL, so a masked viewer may search only by what they already know in full
(customer number, full ID number, full mobile: :func:`search_kind`); every search is audited
and limited per minute.

The contact log lives in the app store; :func:`contact_history` and :func:`record_contact`
check the customer against the viewer's warehouse scope before they touch it, and the notes
come back with personal data in them masked (``masking.mask_free_text``) for a masked viewer.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from analytics import contact_rules
from data_access import app_store, auth_store, masking
from data_access import schema as s
from data_access.query import read_frame, read_scalar
from data_access.viewer import Viewer

C = s.dim_customer
F = s.fact_customer_month
B = s.dim_branch
MAX_SEARCH_RESULTS = 50
_DIGITS = re.compile(r"[0-9]+")
_NUMBER_TEXT = re.compile(r"[0-9]+[Xx]?")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")  # a mainland mobile
_ID_NUMBER = re.compile(r"[0-9]{17}[0-9X]")  # a resident ID number (18 characters)
# Free-text columns of the contact log, masked for a viewer who does not see personal data.
CONTACT_FREE_TEXT = ("note", "next_step")


def _customer_id(value: object) -> int | None:
    """A customer id from user input (URL or search box), or None when it is not one."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def _latest_month(customer_id: int) -> sa.ScalarSelect:
    return (
        sa.select(sa.func.max(F.c.month_start))
        .where(F.c.customer_id == customer_id)
        .scalar_subquery()
    )


class SearchNotAllowed(ValueError):
    """The text is not something this viewer may search by (see :func:`search_kind`)."""


class SearchRateLimited(RuntimeError):
    """The viewer searched ``limit`` times in the last minute already (any of their sessions)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} customer searches in a minute")
        self.limit = limit


def normalise_search(search: str | None) -> str:
    """The search text as matched and hashed: NFKC (full-width digits become ASCII), trimmed;
    a number written with spaces or dashes (138 1234 5678) loses them, an ID's x is upper-case."""
    text = unicodedata.normalize("NFKC", search or "").strip()
    compact = re.sub(r"[\s-]", "", text)
    return compact.upper() if _NUMBER_TEXT.fullmatch(compact) else text


def search_kind(text: str, *, unmasked: bool) -> str | None:
    """What a normalised search text is matched on, or None when the viewer may not search by it.

    Everyone: the customer number, the exact full ID number (18 characters), the exact full
    mobile (11 digits). Only a viewer who sees personal data unmasked (a live unmask grant):
    also part of the name, and the mobile's last four digits. A masked viewer cannot recover a
    name or a mobile they do not already know in full by trying parts of it.
    Kinds: ``number``, ``id_number``, ``mobile``, ``mobile_last4``, ``name``, joined by ``+``
    when a text matches several ways (``number+mobile``).
    """
    if not text:
        return None
    if _DIGITS.fullmatch(text):
        kinds = ["number"] if _customer_id(text) is not None else []
        if _MOBILE.fullmatch(text):
            kinds.append("mobile")
        if _ID_NUMBER.fullmatch(text):
            kinds.append("id_number")
        if unmasked and len(text) == 4:
            kinds.append("mobile_last4")
        return "+".join(kinds) or None
    if _ID_NUMBER.fullmatch(text):
        return "id_number"
    return "name" if unmasked else None


def _search_conditions(text: str, kind: str) -> list[sa.ColumnElement]:
    kinds = set(kind.split("+"))
    conditions = []
    if "number" in kinds:
        conditions.append(C.c.customer_id == _customer_id(text))
    if "mobile" in kinds:
        conditions.append(C.c.mobile == text)
    if "id_number" in kinds:
        conditions.append(C.c.id_number == text)
    if "mobile_last4" in kinds:
        conditions.append(C.c.mobile.endswith(text, autoescape=True))
    if "name" in kinds:
        conditions.append(sa.func.lower(C.c.full_name).contains(text.lower(), autoescape=True))
    return conditions


def search_customers(
    viewer: Viewer, search: str, limit: int = 20, context: Mapping | None = None
) -> pd.DataFrame:
    """Customers in scope matching ``search`` (what may be searched: :func:`search_kind`), with
    newest-month AUM and tier for the result list; at most ``limit`` rows (capped at
    MAX_SEARCH_RESULTS), an exact customer-number match first.

    Every search is audited (``customer_search``), hits and misses alike, with the customer
    numbers found and an HMAC of the text (never the text itself). Raises
    :class:`SearchNotAllowed` for a text the viewer may not search by (audited too), and
    :class:`SearchRateLimited` beyond ``search_limit_per_minute`` searches in a minute,
    counted over all the viewer's sessions in the audit log. An empty text is no search.
    ``context`` (the page, its filters, the session id: ``ui.audit_trail.detail``) is recorded
    with the search.
    """
    text = normalise_search(search)
    empty = pd.DataFrame(columns=["customer_id", "full_name", "mobile", "branch_id"])
    if not text:
        return empty
    unmasked = masking.sees_unmasked(viewer)
    kind = search_kind(text, unmasked=unmasked)
    found = empty if kind is None else _search(viewer, text, kind, limit)
    detail = {
        **(context or {}),
        "text_hmac": app_store.keyed_hash(text),
        "kind": kind or "not_allowed",
        "unmasked": unmasked,
    }
    config = auth_store.AuthConfig.from_settings()
    if not app_store.audit_within_limit(
        "customer_search",
        viewer,
        per_minute=config.search_limit_per_minute,
        customer_ids=[int(c) for c in found["customer_id"]] or None,
        detail={**detail, "hits": len(found)},
        refused_detail={**detail, "refused": "rate_limit"},
    ):
        raise SearchRateLimited(config.search_limit_per_minute)
    if kind is None:
        raise SearchNotAllowed(
            "search by customer number, ID number, mobile, part of the name or the mobile's last "
            "four digits"
            if unmasked
            else "while personal data is masked, search by customer number, full ID number or "
            "full mobile number"
        )
    return found


def _search(viewer: Viewer, text: str, kind: str, limit: int) -> pd.DataFrame:
    number = _customer_id(text) if "number" in kind.split("+") else None
    latest = sa.select(sa.func.max(F.c.month_start)).scalar_subquery()
    exact = sa.case((C.c.customer_id == (number or -1), 0), else_=1)
    stmt = (
        sa.select(
            C.c.customer_id,
            C.c.full_name,
            C.c.mobile,
            C.c.branch_id,
            B.c.name_en.label("branch_name_en"),
            B.c.name_zh.label("branch_name_zh"),
            C.c.gender,
            C.c.birth_year,
            C.c.occupation,
            C.c.closed_on,
            F.c.tier_code,
            F.c.aum_rmb,
        )
        .select_from(
            C.join(B, B.c.branch_id == C.c.branch_id).outerjoin(
                F, sa.and_(F.c.customer_id == C.c.customer_id, F.c.month_start == latest)
            )
        )
        .where(sa.or_(*_search_conditions(text, kind)))
        .order_by(exact, C.c.customer_id)
        .limit(max(1, min(int(limit), MAX_SEARCH_RESULTS)))
    )
    return read_frame(viewer, stmt)


def customer_in_scope(viewer: Viewer, customer_id: int) -> bool:
    """True when ``customer_id`` exists and the viewer may see them."""
    number = _customer_id(customer_id)
    if number is None:
        return False
    stmt = sa.select(sa.func.count()).select_from(C).where(C.c.customer_id == number)
    return bool(read_scalar(viewer, stmt))


def customer_profile(viewer: Viewer, customer_id: int) -> pd.DataFrame:
    """One row: the customer's master data, branch, household and partner employer.

    Empty when the customer does not exist or is outside the viewer's scope.
    """
    h, e = s.dim_household, s.dim_partner_employer
    stmt = (
        sa.select(
            C.c.customer_id,
            C.c.full_name,
            C.c.id_number,
            C.c.mobile,
            C.c.card_number,
            C.c.gender,
            C.c.birth_year,
            C.c.occupation,
            C.c.industry_class,
            C.c.risk_grade,
            C.c.risk_assessed_on,
            C.c.opened_on,
            C.c.closed_on,
            C.c.branch_id,
            C.c.rm_staff_id,
            C.c.household_id,
            C.c.employer_id,
            B.c.name_en.label("branch_name_en"),
            B.c.name_zh.label("branch_name_zh"),
            h.c.is_farm_household,
            h.c.village_zh,
            e.c.name_en.label("employer_name_en"),
            e.c.name_zh.label("employer_name_zh"),
        )
        .select_from(
            C.join(B, B.c.branch_id == C.c.branch_id)
            .outerjoin(h, h.c.household_id == C.c.household_id)
            .outerjoin(e, e.c.employer_id == C.c.employer_id)
        )
        .where(C.c.customer_id == (_customer_id(customer_id) or -1))
    )
    return read_frame(viewer, stmt)


def wealth_manager(viewer: Viewer, customer_id: int) -> pd.DataFrame:
    """The customer's relationship / wealth manager (one row, or none when unassigned)."""
    st_ = s.dim_staff
    stmt = (
        sa.select(
            st_.c.staff_id,
            st_.c.full_name,
            st_.c.role,
            st_.c.hongyan_level,
            st_.c.branch_id,
            st_.c.role_since,
        )
        .select_from(st_.join(C, C.c.rm_staff_id == st_.c.staff_id))
        .where(C.c.customer_id == (_customer_id(customer_id) or -1))
    )
    return read_frame(viewer, stmt)


def household_members(viewer: Viewer, customer_id: int) -> pd.DataFrame:
    """Everyone in the customer's household the viewer may see, with this month's AUM and tier.

    The household's total assets are the sum of ``aum_rmb`` (closed members count zero).
    """
    number = _customer_id(customer_id) or -1
    household = sa.select(C.c.household_id).where(C.c.customer_id == number).scalar_subquery()
    latest = sa.select(sa.func.max(F.c.month_start)).scalar_subquery()
    stmt = (
        sa.select(
            C.c.customer_id,
            C.c.full_name,
            C.c.gender,
            C.c.birth_year,
            C.c.occupation,
            C.c.branch_id,
            C.c.closed_on,
            F.c.tier_code,
            sa.func.coalesce(F.c.aum_rmb, 0.0).label("aum_rmb"),
        )
        .select_from(
            C.outerjoin(F, sa.and_(F.c.customer_id == C.c.customer_id, F.c.month_start == latest))
        )
        .where(C.c.household_id == household)
        .order_by(sa.func.coalesce(F.c.aum_rmb, 0.0).desc(), C.c.customer_id)
    )
    return read_frame(viewer, stmt)


def customer_months(viewer: Viewer, customer_id: int) -> pd.DataFrame:
    """Every month of the customer in the warehouse, oldest first: balances by asset class,
    channels, spending, products, tier with the grace counter (one customer: a few dozen rows).
    """
    stmt = (
        sa.select(F)
        .where(F.c.customer_id == (_customer_id(customer_id) or -1))
        .order_by(F.c.month_start)
    )
    return read_frame(viewer, stmt)


def product_holdings(viewer: Viewer, customer_id: int) -> pd.DataFrame:
    """The customer's product holdings (open and closed) with category, risk grade and bundle
    membership, newest first. ``is_open`` is true when the holding is open at the customer's
    latest month end."""
    h, p = s.fact_product_holding, s.dim_product
    number = _customer_id(customer_id) or -1
    latest = _latest_month(number)
    stmt = (
        sa.select(
            h.c.holding_id,
            h.c.customer_id,
            h.c.product_id,
            h.c.branch_id,
            p.c.product_code,
            p.c.name_en,
            p.c.name_zh,
            p.c.category,
            p.c.risk_grade.label("product_risk_grade"),
            p.c.is_core_bundle,
            p.c.exclusive_employer_id,
            h.c.opened_on,
            h.c.closed_on,
            h.c.maturity_on,
            h.c.amount_rmb,
            h.c.is_renewed,
            sa.or_(h.c.closed_on.is_(None), h.c.closed_on > latest).label("is_open"),
        )
        .select_from(h.join(p, p.c.product_id == h.c.product_id))
        .where(h.c.customer_id == number)
        .order_by(h.c.opened_on.desc(), h.c.holding_id.desc())
    )
    return read_frame(viewer, stmt)


def vip_services_used(viewer: Viewer, customer_id: int) -> pd.DataFrame:
    """VIP value-added services the customer used: per service type, count and last use."""
    v = s.fact_vip_service_use
    stmt = (
        sa.select(
            v.c.customer_id,
            v.c.service_type,
            sa.func.count().label("count_uses"),
            sa.func.max(v.c.used_on).label("last_used_on"),
        )
        .where(v.c.customer_id == (_customer_id(customer_id) or -1))
        .group_by(v.c.customer_id, v.c.service_type)
        .order_by(v.c.service_type)
    )
    return read_frame(viewer, stmt)


def churn_score(viewer: Viewer, customer_id: int) -> pd.DataFrame:
    """The customer's latest churn score with its reasons (``mart_churn_score``).

    Empty when the scores mart is not part of this warehouse (no scoring run yet, or a build
    without the churn model): the page then says so instead of failing.
    """
    table = getattr(s, "mart_churn_score", None)
    if table is None or table.metadata is not s.metadata:
        return pd.DataFrame(columns=["customer_id", "probability", "reason_codes"])
    columns = [
        table.c[name]
        for name in (
            "customer_id",
            "branch_id",
            "month_start",
            "probability",
            "score_band",
            "top_reason",
            "reason_codes",
            "model_version",
            "expected_assets_at_risk_rmb",
        )
        if name in table.c
    ]
    stmt = (
        sa.select(*columns)
        .where(table.c.customer_id == (_customer_id(customer_id) or -1))
        .order_by(table.c.month_start.desc())
        .limit(1)
    )
    try:
        return read_frame(viewer, stmt)
    except sa.exc.DBAPIError:  # the table is declared but this warehouse build has none yet
        return pd.DataFrame(columns=[c.name for c in columns])


# ------------------------------------------------------------------ contact log (app store)


def contact_history(viewer: Viewer, customer_id: int, limit: int = 50) -> pd.DataFrame:
    """The customer's contacts, newest first, if the viewer may see the customer (else empty).

    Mobiles, ID and card numbers written into the note or next step are masked unless the
    viewer sees personal data unmasked.
    """
    log = app_store.contact_log
    if not customer_in_scope(viewer, customer_id):
        return pd.DataFrame(columns=[c.name for c in log.columns])
    stmt = (
        sa.select(log)
        .where(log.c.customer_id == int(customer_id))
        .order_by(log.c.created_at.desc(), log.c.contact_id)
        .limit(max(1, int(limit)))
    )
    with app_store.app_engine().connect() as conn:
        result = conn.execute(stmt)
        frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    return masking.mask_free_text_columns(frame, CONTACT_FREE_TEXT, viewer)


@dataclass(frozen=True)
class Contact:
    """A contact to record: what was done with the customer, how it ended, what comes next.

    ``contact_id`` is made when the form is first drawn, so submitting it twice stores it once.
    """

    customer_id: int
    contact_type: str
    outcome: str
    note: str = ""
    next_step: str | None = None
    next_step_on: dt.date | None = None
    contact_id: str = ""


def record_contact(contact: Contact, *, by: Viewer) -> str:
    """Store ``contact`` made by ``by`` in the contact log and audit it; return its id.

    Raises ``PermissionError`` when the customer is outside ``by``'s scope, ``ValueError`` for an
    unknown contact type or outcome, and ``app_store.AuditWriteError`` when the audit row could
    not be written (the contact is then not stored either: one transaction would span two
    stores, so the audit goes first).
    """
    if contact.contact_type not in contact_rules.CONTACT_TYPE_CODES:
        raise ValueError(f"unknown contact type {contact.contact_type!r}")
    if contact.outcome not in contact_rules.CONTACT_OUTCOME_CODES:
        raise ValueError(f"unknown contact outcome {contact.outcome!r}")
    profile = customer_profile(by, contact.customer_id)
    if profile.empty:
        raise PermissionError("customer not found or not permitted")
    contact_id = contact.contact_id or str(uuid.uuid4())
    app_store.audit(
        "contact_record",
        by,
        customer_ids=[int(contact.customer_id)],
        detail={"contact_id": contact_id, "type": contact.contact_type, "outcome": contact.outcome},
    )
    row = {
        "contact_id": contact_id,
        "customer_id": int(contact.customer_id),
        "branch_id": int(profile["branch_id"].iloc[0]),
        "staff_id": by.staff_id,
        "user_id": by.user_id,
        "contact_type": contact.contact_type,
        "outcome": contact.outcome,
        "next_step": (contact.next_step or None),
        "next_step_on": contact.next_step_on,
        "note": (contact.note or "")[: contact_rules.NOTE_MAX_CHARS] or None,
        "created_at": app_store.utc_now(),
    }
    log = app_store.contact_log
    with app_store.app_engine().begin() as conn:
        exists = conn.execute(
            sa.select(sa.func.count()).select_from(log).where(log.c.contact_id == contact_id)
        ).scalar()
        if not exists:
            conn.execute(sa.insert(log).values(**row))
    return contact_id

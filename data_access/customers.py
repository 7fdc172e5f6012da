"""The unified customer view (客户统一视图): find a customer, then read everything about them.

Every function takes the viewer first and reads through :func:`data_access.query.read_frame`,
so a customer outside the viewer's scope simply has no rows: a search never finds them, and a
customer id typed into the URL reads as "not found". Names, ID numbers, mobiles and card
numbers leave here masked (unless the viewer holds an unmask grant); the search itself runs on
the unmasked source columns in SQL, so a name can be found although it is shown as 张*.

The contact log lives in the app store; :func:`contact_history` and :func:`record_contact`
check the customer against the viewer's warehouse scope before they touch it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from analytics import contact_rules
from data_access import app_store
from data_access import schema as s
from data_access.query import read_frame, read_scalar
from data_access.viewer import Viewer

C = s.dim_customer
F = s.fact_customer_month
B = s.dim_branch
MAX_SEARCH_RESULTS = 50


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


def search_customers(viewer: Viewer, search: str, limit: int = 20) -> pd.DataFrame:
    """Customers in scope matching ``search``: customer number, part of the name, or the last
    four digits of the mobile. Newest-month AUM and tier come along for the result list.

    Digits match the customer number exactly, and, when exactly four, the mobile's last four;
    anything else matches the name anywhere (case-insensitive, ``%`` and ``_`` taken literally).
    Returns at most ``limit`` rows (capped at MAX_SEARCH_RESULTS), exact number matches first.
    """
    text = (search or "").strip()
    if not text:
        return pd.DataFrame(columns=["customer_id", "full_name", "mobile", "branch_id"])
    conditions = []
    number = _customer_id(text) if text.isdigit() else None
    if number is not None:
        conditions.append(C.c.customer_id == number)
    if text.isdigit() and len(text) == 4:
        conditions.append(C.c.mobile.endswith(text, autoescape=True))
    if text.isdigit() and len(text) == 11:
        conditions.append(C.c.mobile == text)
    if not text.isdigit():
        conditions.append(sa.func.lower(C.c.full_name).contains(text.lower(), autoescape=True))
    if not conditions:
        return pd.DataFrame(columns=["customer_id", "full_name", "mobile", "branch_id"])
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
        .where(sa.or_(*conditions))
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
    """The customer's contacts, newest first, if the viewer may see the customer (else empty)."""
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
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


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

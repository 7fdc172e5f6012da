"""The retention workflow in the app store: record an action, assign a case, read the history.

A *case* (``app_store.retention_case``) is one watchlist customer in one watch month: who
follows them up, the status (not contacted, contacted, retained, lost) and the next follow-up
date. An *action* is a contact (``app_store.contact_log``: callback, visit, retention offer ...)
with its outcome and next step. Recording an action writes the contact, updates the case and
appends the audit row in **one app-store transaction**; the contact id is made when the form is
drawn, so a double submit stores it once. Every write first checks, in the warehouse and within
the actor's scope, that the customer is on that month's watchlist.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from analytics import contact_rules, retention_rules
from catalogue.roles import Capability
from data_access import app_store, customers
from data_access import schema as s
from data_access.query import read_frame
from data_access.viewer import Viewer

CASE = app_store.retention_case
LOG = app_store.contact_log
M = s.mart_churn_score
CASE_COLUMNS: tuple[str, ...] = (
    "status",
    "assigned_staff_id",
    "follow_up_on",
    "last_contact_type",
    "last_outcome",
    "last_contact_at",
)


class RetentionError(ValueError):
    """An action that cannot be recorded as given (the message says what to fix)."""


@dataclass(frozen=True)
class RetentionAction:
    """What was done with a watchlist customer, how it ended, and what comes next."""

    customer_id: int
    watch_month: dt.date
    contact_type: str
    outcome: str
    status: str = retention_rules.STATUS_AFTER_CONTACT
    next_step: str = ""
    follow_up_on: dt.date | None = None
    note: str = ""
    contact_id: str = ""


def new_contact_id() -> str:
    """The idempotency key a form holds from the moment it is drawn."""
    return str(uuid.uuid4())


def _month(value: dt.date | pd.Timestamp) -> dt.date:
    return pd.Timestamp(value).date().replace(day=1)


def _watched(by: Viewer, customer_id: int, month: dt.date) -> pd.Series:
    """The customer's watchlist row, checked against ``by``'s scope; PermissionError if none."""
    if not by.can(Capability.MAY_RECORD_CONTACTS):
        raise PermissionError(f"the role {by.role!r} may not record retention actions")
    stmt = sa.select(M.c.customer_id, M.c.branch_id, M.c.rm_staff_id).where(
        M.c.customer_id == int(customer_id), M.c.month_start == month
    )
    found = read_frame(by, stmt)
    if found.empty:
        raise PermissionError("the customer is not on this watchlist or not in your scope")
    return found.iloc[0]


def validate(action: RetentionAction, today: dt.date | None = None) -> RetentionAction:
    """The action with its text trimmed; RetentionError naming the first problem found."""
    if action.contact_type not in contact_rules.CONTACT_TYPE_CODES:
        raise RetentionError(f"unknown contact type {action.contact_type!r}")
    if action.outcome not in contact_rules.CONTACT_OUTCOME_CODES:
        raise RetentionError(f"unknown outcome {action.outcome!r}")
    if action.status not in retention_rules.STATUS_CODES or action.status == "open":
        raise RetentionError(f"a recorded action cannot leave the status {action.status!r}")
    today = today or dt.date.today()
    if action.follow_up_on is not None and action.follow_up_on < today:
        raise RetentionError("the follow-up date is in the past")
    if action.follow_up_on is not None and action.status in ("retained", "lost"):
        raise RetentionError("a closed case (retained or lost) needs no follow-up date")
    note = (action.note or "").strip()[: contact_rules.NOTE_MAX_CHARS]
    step = (action.next_step or "").strip()[:64]
    return RetentionAction(
        customer_id=int(action.customer_id),
        watch_month=_month(action.watch_month),
        contact_type=action.contact_type,
        outcome=action.outcome,
        status=action.status,
        next_step=step,
        follow_up_on=action.follow_up_on,
        note=note,
        contact_id=action.contact_id or new_contact_id(),
    )


def _upsert_case(conn: sa.Connection, key: dict, values: dict) -> None:
    exists = conn.execute(
        sa.select(sa.func.count())
        .select_from(CASE)
        .where(CASE.c.customer_id == key["customer_id"], CASE.c.watch_month == key["watch_month"])
    ).scalar()
    if exists:
        conn.execute(
            sa.update(CASE)
            .where(
                CASE.c.customer_id == key["customer_id"], CASE.c.watch_month == key["watch_month"]
            )
            .values(**values)
        )
    else:
        conn.execute(sa.insert(CASE).values(**key, **values))


def record_action(action: RetentionAction, *, by: Viewer, warehouse_version: str = "") -> str:
    """Store ``action`` by ``by``: contact, case status and audit row in one transaction.

    Returns the contact id. A second call with the same ``contact_id`` changes nothing and
    returns the same id. Raises RetentionError for invalid input, PermissionError when the
    customer is not on ``by``'s watchlist that month, and app_store.AuditWriteError (nothing is
    stored then) when the audit row cannot be written.
    """
    action = validate(action)
    watched = _watched(by, action.customer_id, action.watch_month)
    now = app_store.utc_now()
    engine = app_store.app_engine()
    try:
        with engine.begin() as conn:
            done = conn.execute(
                sa.select(sa.func.count())
                .select_from(LOG)
                .where(LOG.c.contact_id == action.contact_id)
            ).scalar()
            if done:
                return action.contact_id
            conn.execute(
                sa.insert(LOG).values(
                    contact_id=action.contact_id,
                    customer_id=action.customer_id,
                    branch_id=int(watched["branch_id"]),
                    staff_id=by.staff_id,
                    user_id=by.user_id,
                    contact_type=action.contact_type,
                    outcome=action.outcome,
                    next_step=action.next_step or None,
                    next_step_on=action.follow_up_on,
                    note=action.note or None,
                    created_at=now,
                )
            )
            _upsert_case(
                conn,
                {"customer_id": action.customer_id, "watch_month": action.watch_month},
                {
                    "branch_id": int(watched["branch_id"]),
                    "status": action.status,
                    "follow_up_on": action.follow_up_on,
                    "last_contact_id": action.contact_id,
                    "updated_at": now,
                    "updated_by": by.user_id,
                },
            )
            app_store.audit(
                "contact_record",
                by,
                customer_ids=[action.customer_id],
                detail={
                    "contact_id": action.contact_id,
                    "type": action.contact_type,
                    "outcome": action.outcome,
                    "status": action.status,
                    "watch_month": action.watch_month.isoformat(),
                    "source": "watchlist",
                },
                warehouse_version=warehouse_version or None,
                conn=conn,
            )
    except sa.exc.IntegrityError:  # the same contact id stored by a concurrent submit
        return action.contact_id
    return action.contact_id


def assign_case(
    customer_id: int,
    watch_month: dt.date,
    staff_id: int | None,
    *,
    by: Viewer,
    warehouse_version: str = "",
) -> None:
    """Give the case to ``staff_id`` (None: unassign), audited in the same transaction.

    Only a manager or branch head may assign, and only to a manager of the customer's branch
    within their scope. Raises PermissionError otherwise.
    """
    if not by.can(Capability.MAY_ASSIGN_CASES):
        raise PermissionError("only branch heads and managers assign retention cases")
    month = _month(watch_month)
    watched = _watched(by, customer_id, month)
    if staff_id is not None:
        staff = read_frame(
            by,
            sa.select(s.dim_staff.c.staff_id).where(
                s.dim_staff.c.staff_id == int(staff_id),
                s.dim_staff.c.branch_id == int(watched["branch_id"]),
            ),
        )
        if staff.empty:
            raise PermissionError("the staff member is not at the customer's branch")
    now = app_store.utc_now()
    with app_store.app_engine().begin() as conn:
        current = conn.execute(
            sa.select(CASE.c.status).where(
                CASE.c.customer_id == int(customer_id), CASE.c.watch_month == month
            )
        ).scalar()
        _upsert_case(
            conn,
            {"customer_id": int(customer_id), "watch_month": month},
            {
                "branch_id": int(watched["branch_id"]),
                "assigned_staff_id": None if staff_id is None else int(staff_id),
                "status": current or "open",
                "updated_at": now,
                "updated_by": by.user_id,
            },
        )
        app_store.audit(
            "retention_update",
            by,
            customer_ids=[int(customer_id)],
            detail={"assigned_staff_id": staff_id, "watch_month": month.isoformat()},
            warehouse_version=warehouse_version or None,
            conn=conn,
        )


def case_statuses(watch_month: dt.date) -> dict[int, str]:
    """Status of every case of ``watch_month`` by customer id (ids only: the warehouse query
    that uses them is scoped)."""
    stmt = sa.select(CASE.c.customer_id, CASE.c.status).where(
        CASE.c.watch_month == _month(watch_month)
    )
    with app_store.app_engine().connect() as conn:
        return {int(cid): status for cid, status in conn.execute(stmt)}


def _cases(customer_ids: Iterable[int], watch_month: dt.date) -> pd.DataFrame:
    ids = [int(c) for c in customer_ids]
    columns = ["customer_id", *CASE_COLUMNS]
    if not ids:
        return pd.DataFrame(columns=columns)
    stmt = (
        sa.select(
            CASE.c.customer_id,
            CASE.c.status,
            CASE.c.assigned_staff_id,
            CASE.c.follow_up_on,
            LOG.c.contact_type.label("last_contact_type"),
            LOG.c.outcome.label("last_outcome"),
            LOG.c.created_at.label("last_contact_at"),
        )
        .select_from(CASE.outerjoin(LOG, LOG.c.contact_id == CASE.c.last_contact_id))
        .where(CASE.c.watch_month == _month(watch_month), CASE.c.customer_id.in_(ids))
    )
    with app_store.app_engine().connect() as conn:
        result = conn.execute(stmt)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def attach_cases(rows: pd.DataFrame, watch_month: dt.date) -> pd.DataFrame:
    """``rows`` (watchlist customers already read within scope) with their case columns;
    customers without a case are ``open``."""
    if rows.empty:
        return rows.assign(**{c: pd.Series(dtype=object) for c in CASE_COLUMNS})
    cases = _cases(rows["customer_id"], watch_month)
    merged = rows.merge(cases, on="customer_id", how="left")
    merged["status"] = merged["status"].fillna("open")
    return merged


def contact_log_stamp() -> tuple[int, str]:
    """How many contacts are recorded and when the latest was: changes with every new contact,
    so results derived from the contact log can be cached under it."""
    log = app_store.contact_log
    with app_store.app_engine().connect() as conn:
        stmt = sa.select(sa.func.count(), sa.func.max(log.c.created_at))
        count, latest = conn.execute(stmt).one()
    return int(count), str(latest)


def contacted_by_type(watch_month: dt.date) -> dict[str, list[int]]:
    """Customer ids of ``watch_month``'s contacted cases, grouped by their last contact type."""
    stmt = (
        sa.select(CASE.c.customer_id, LOG.c.contact_type)
        .select_from(CASE.outerjoin(LOG, LOG.c.contact_id == CASE.c.last_contact_id))
        .where(
            CASE.c.watch_month == _month(watch_month),
            CASE.c.status.in_(sorted(retention_rules.CONTACTED_STATUSES)),
        )
    )
    grouped: dict[str, list[int]] = {}
    with app_store.app_engine().connect() as conn:
        for customer_id, contact_type in conn.execute(stmt):
            grouped.setdefault(contact_type or "other", []).append(int(customer_id))
    return grouped


def action_history(viewer: Viewer, customer_id: int, limit: int = 50) -> pd.DataFrame:
    """The customer's recorded contacts, newest first, if the viewer may see the customer; the
    same rows as the customer view's contact history, notes masked the same way."""
    return customers.contact_history(viewer, customer_id, limit)

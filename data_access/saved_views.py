"""Saved views: a user's named page + filters (the URL query string), kept in the app store.

An analyst who has combined filters saves them under a name and reopens them later; a view is
the page key and the query string that reproduces it (ids and codes only, never names, so a
view works in either language). Names are unique per user: saving under an existing name
replaces that view. These functions write the app store, not the warehouse, so they take the
user's id rather than a Viewer.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from urllib.parse import parse_qs, urlencode

import pandas as pd
import sqlalchemy as sa

from data_access import app_store

T = app_store.saved_view
MAX_NAME = 96
# Parameters that belong to the person, not to the view.
_NOT_SAVED = frozenset({"lang"})


def to_query_string(params: Mapping[str, str | Sequence[str]]) -> str:
    """A stable query string (keys sorted, repeated keys kept) without per-person parameters."""
    pairs: list[tuple[str, str]] = []
    for key in sorted(params):
        if key in _NOT_SAVED:
            continue
        values = params[key]
        for value in [values] if isinstance(values, str) else list(values):
            pairs.append((key, str(value)))
    return urlencode(pairs)


def from_query_string(query_string: str) -> dict[str, list[str]]:
    """The parameters of a saved query string (each a list, as ``st.query_params.get_all``)."""
    return {k: list(v) for k, v in parse_qs(query_string, keep_blank_values=False).items()}


def save_view(
    user_id: str,
    name: str,
    page: str,
    params: Mapping[str, str | Sequence[str]],
    url: str | None = None,
) -> str:
    """Save (or replace) the view ``name`` of ``user_id``; returns its id.

    Raises ``ValueError`` for an empty name.
    """
    name = name.strip()[:MAX_NAME]
    if not name:
        raise ValueError("A saved view needs a name")
    view_id = str(uuid.uuid4())
    with app_store.app_engine(url).begin() as conn:
        conn.execute(sa.delete(T).where(T.c.user_id == user_id, T.c.name == name))
        conn.execute(
            sa.insert(T).values(
                view_id=view_id,
                user_id=user_id,
                name=name,
                page=page,
                query_string=to_query_string(params),
                created_at=app_store.utc_now(),
            )
        )
    return view_id


def list_views(user_id: str, url: str | None = None) -> pd.DataFrame:
    """The user's saved views, by name: ``view_id, name, page, query_string, created_at``."""
    stmt = (
        sa.select(T.c.view_id, T.c.name, T.c.page, T.c.query_string, T.c.created_at)
        .where(T.c.user_id == user_id)
        .order_by(T.c.name)
    )
    with app_store.app_engine(url).connect() as conn:
        result = conn.execute(stmt)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def delete_view(user_id: str, view_id: str, url: str | None = None) -> bool:
    """Delete one of the user's views (another user's view is never touched); True if deleted."""
    with app_store.app_engine(url).begin() as conn:
        result = conn.execute(sa.delete(T).where(T.c.user_id == user_id, T.c.view_id == view_id))
    return result.rowcount > 0


__all__ = ["delete_view", "from_query_string", "list_views", "save_view", "to_query_string"]

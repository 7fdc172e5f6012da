"""Saved views: per user, unique names, round trip of the query string, reopen from the page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from data_access import app_store, saved_views
from data_access.warehouse import Warehouse
from tests.test_app_shell import new_app, sign_in, use_stores


@pytest.fixture
def store(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'views.sqlite'}"
    yield url
    app_store.dispose_engines()


def test_save_list_replace_and_delete(store: str) -> None:
    params = {"tier": ["vip", "affluent"], "month": "2026-06", "lang": "zh", "seg_gender": ["F"]}
    view_id = saved_views.save_view("ana", "VIP women", "segments", params, url=store)
    views = saved_views.list_views("ana", url=store)
    assert views["name"].tolist() == ["VIP women"]
    row = views.iloc[0]
    assert row["page"] == "segments" and row["view_id"] == view_id
    assert saved_views.from_query_string(row["query_string"]) == {
        "month": ["2026-06"],
        "seg_gender": ["F"],
        "tier": ["vip", "affluent"],
    }  # the language is the person's, not the view's
    saved_views.save_view("ana", "VIP women", "migration", {"from": "2025-10"}, url=store)
    views = saved_views.list_views("ana", url=store)
    assert views["page"].tolist() == ["migration"]  # same name: replaced
    assert saved_views.list_views("bob", url=store).empty
    assert not saved_views.delete_view("bob", views.iloc[0]["view_id"], url=store)
    assert saved_views.delete_view("ana", views.iloc[0]["view_id"], url=store)
    assert saved_views.list_views("ana", url=store).empty


def test_a_view_needs_a_name(store: str) -> None:
    with pytest.raises(ValueError):
        saved_views.save_view("ana", "  ", "segments", {}, url=store)


def test_save_and_reopen_from_the_page(
    demo_duckdb: Warehouse, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_stores(monkeypatch, demo_duckdb.url, tmp_path)
    try:
        params = {"seg_gender": "F", "tier": "mass"}
        at = sign_in(new_app(params).switch_page("pages/segments.py"), "analyst")
        at.text_input(key="views_name_segments").input("Mass women")
        at.button(key="views_save_segments").click().run()
        assert not at.exception, at.exception
        with app_store.app_engine().connect() as conn:
            (user_id,) = conn.execute(sa.select(app_store.saved_view.c.user_id)).one()
        assert "analyst" in user_id
        views = saved_views.list_views(user_id)
        assert views["name"].tolist() == ["Mass women"]
        assert saved_views.from_query_string(views.iloc[0]["query_string"])["tier"] == ["mass"]
        # Change the filters, then reopen the view: the saved filters come back.
        at.multiselect(key="seg_flt_gender").set_value([]).run()
        at.button(key=f"views_open_{views.iloc[0]['view_id']}").click().run()
        assert not at.exception, at.exception
        assert at.multiselect(key="seg_flt_gender").value == ["F"]
    finally:
        app_store.dispose_engines()

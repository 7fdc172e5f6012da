"""What exists: the build's metadata, the months in the data, the organisation tree."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from data_access import schema as s
from data_access.query import read_frame
from data_access.viewer import Viewer


def warehouse_info(viewer: Viewer) -> dict:
    """The live build: version, source, whether it is the demo, first and as-of month."""
    frame = read_frame(viewer, sa.select(s.meta_warehouse))
    if frame.empty:
        return {}
    return frame.iloc[0].to_dict()


def available_months(viewer: Viewer) -> list[dt.date]:
    """Months present in the marts, oldest first."""
    frame = read_frame(
        viewer, sa.select(s.dim_month.c.month_start).order_by(s.dim_month.c.month_start)
    )
    return [ts.date() for ts in frame["month_start"]]


def org_units(viewer: Viewer) -> pd.DataFrame:
    """Branches the viewer may see, with their cooperative and prefecture (one row per branch)."""
    b, c, p = s.dim_branch, s.dim_cooperative, s.dim_prefecture
    stmt = (
        sa.select(
            b.c.branch_id,
            b.c.name_en.label("branch_name_en"),
            b.c.name_zh.label("branch_name_zh"),
            b.c.branch_type,
            b.c.count_staff,
            c.c.cooperative_id,
            c.c.name_en.label("cooperative_name_en"),
            c.c.name_zh.label("cooperative_name_zh"),
            p.c.prefecture_id,
            p.c.name_en.label("prefecture_name_en"),
            p.c.name_zh.label("prefecture_name_zh"),
        )
        .join(c, c.c.cooperative_id == b.c.cooperative_id)
        .join(p, p.c.prefecture_id == b.c.prefecture_id)
        .order_by(p.c.prefecture_id, c.c.cooperative_id, b.c.branch_id)
    )
    return read_frame(viewer, stmt)

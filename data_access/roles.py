"""Roles and what each may see: the one table the data layer and navigation both consult."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    code: str
    name_en: str
    name_zh: str
    scope_level: str  # all | prefecture | cooperative | branch | own_customers | none
    sees_customer_detail: bool
    sees_unmasked: bool  # may request unmasking (with a reason, audited)
    min_group_size: int  # aggregates over fewer customers are suppressed


ROLES: dict[str, Role] = {
    r.code: r
    for r in (
        Role("executive", "Executive", "省联社领导", "all", True, True, 1),
        Role(
            "prefecture_manager",
            "Prefecture manager",
            "市州办事处负责人",
            "prefecture",
            True,
            False,
            1,
        ),
        Role(
            "cooperative_manager",
            "Cooperative manager",
            "县级行社负责人",
            "cooperative",
            True,
            True,
            1,
        ),
        Role("branch_head", "Branch head", "网点负责人", "branch", True, True, 1),
        Role("wealth_manager", "Wealth manager", "理财经理", "own_customers", True, False, 1),
        Role("analyst", "Analyst", "数据分析师", "all", True, False, 5),
        Role("admin", "Administrator", "系统管理员", "none", False, False, 1),
    )
}

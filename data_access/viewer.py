"""Who is looking: every data-layer query takes a Viewer and is scoped by it."""

from __future__ import annotations

from dataclasses import dataclass

from catalogue.roles import ROLES, Capability, Role


@dataclass(frozen=True)
class Viewer:
    """A signed-in person, their role and the part of the organisation they may see.

    Frozen and hashable: it is part of every cache key, so one viewer's results never reach
    another.
    """

    user_id: str
    role: str
    display_name: str = ""
    prefecture_id: int | None = None
    cooperative_id: int | None = None
    branch_id: int | None = None
    staff_id: int | None = None
    unmask_until: float | None = None  # epoch seconds; set only by an audited unmask grant

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"Unknown role {self.role!r}")

    @property
    def role_info(self) -> Role:
        return ROLES[self.role]

    def can(self, capability: Capability) -> bool:
        """Whether this viewer's role has ``capability`` (catalogue.roles)."""
        return ROLES[self.role].can(capability)

    @property
    def scope_key(self) -> tuple:
        """What decides the rows this viewer sees (used in cache keys)."""
        return (
            self.role,
            self.prefecture_id,
            self.cooperative_id,
            self.branch_id,
            self.staff_id,
        )

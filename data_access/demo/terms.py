"""Term products as chains of holdings: time deposits, wealth-management products, loans.

A holding runs from its opening month to its maturity; at maturity it is renewed (a new holding
starts the same day) or not, in which case the money goes back to demand deposits and a new one
may be opened a few months later. A deposit that matures and is not renewed is one of the
strongest churn signals, so renewals are blocked while a customer is drifting away.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from data_access.demo.customers import NEVER


@dataclass
class Chain:
    """Month-end holding flags (months x customers) and one row per holding."""

    held: np.ndarray  # bool (M, n)
    episode: np.ndarray  # int16 (M, n): how many holdings the customer has opened so far
    customer: np.ndarray  # chunk position of each holding's customer
    open_m: np.ndarray
    maturity_m: np.ndarray
    end_m: np.ndarray  # month it matured or was closed; NEVER while still held
    renewed: np.ndarray  # 1 renewed, 0 matured and not renewed, -1 unknown (NULL)
    row_episode: np.ndarray


def run_chain(
    rng: np.random.Generator,
    user: np.ndarray,
    term: np.ndarray,
    phase: np.ndarray,
    open_m: np.ndarray,
    close_m: np.ndarray,
    blocked: np.ndarray,
    renew_p: np.ndarray,
    gap_max: int = 4,
) -> Chain:
    """Walk month by month, vectorised over customers.

    ``phase`` is the first maturity month for customers who hold the product when the window
    opens, or the month a new customer first opens it. ``blocked`` (M, n) stops renewals and new
    openings; ``renew_p`` (M, n) is the renewal probability at a maturity.
    """
    months, n = blocked.shape
    term = term.astype(np.int64)
    existing = user & (open_m < 0)
    held = existing.copy()
    maturity = np.where(existing, phase, NEVER).astype(np.int64)
    opened = np.where(existing, phase - term, NEVER).astype(np.int64)
    next_open = np.where(user & ~existing, phase, NEVER).astype(np.int64)
    episode = existing.astype(np.int16)
    held_out = np.zeros((months, n), dtype=bool)
    episode_out = np.zeros((months, n), dtype=np.int16)
    rows: list[tuple[np.ndarray, ...]] = []

    def _record(mask: np.ndarray, end: int, renewed: np.ndarray | int) -> None:
        index = np.flatnonzero(mask)
        if len(index):
            flag = np.broadcast_to(np.asarray(renewed, dtype=np.int8), mask.shape)[index]
            rows.append(
                (
                    index,
                    opened[index],
                    maturity[index],
                    np.full(len(index), end),
                    flag,
                    episode[index],
                )
            )

    for t in range(months):
        closing = close_m == t
        alive = (t >= open_m) & (t <= close_m)
        matured = held & (maturity == t)
        renew = matured & ~closing & ~blocked[t] & (rng.random(n) < renew_p[t])
        _record(matured, t, renew.astype(np.int8))
        lapsed = matured & ~renew
        held[lapsed] = False
        next_open[lapsed] = t + rng.integers(1, gap_max + 1, int(lapsed.sum()))
        opened[renew] = t
        maturity[renew] = t + term[renew]
        episode[renew] += 1
        early = held & closing
        _record(early, t, -1)
        held[early] = False
        starting = ~held & (t >= next_open) & alive & ~closing & ~blocked[t]
        held[starting] = True
        opened[starting] = t
        maturity[starting] = t + term[starting]
        next_open[starting] = NEVER
        episode[starting] += 1
        held_out[t] = held & alive
        episode_out[t] = episode
    _record(held, NEVER, -1)
    if rows:
        parts = [np.concatenate(p) for p in zip(*rows, strict=True)]
    else:
        parts = [np.zeros(0, dtype=np.int64)] * 6
    return Chain(held_out, episode_out, *parts)

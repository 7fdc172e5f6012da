"""Seeded random streams, one per component (and per customer chunk), independent of each other.

Each component draws from its own stream derived from the build seed and a stable name, so adding
a draw in one module never shifts the numbers of another, and chunking customers never changes
what a chunk gets: the same seed, sizes and as-of month give byte-identical tables. Names are
turned into integers with CRC-32, not Python's ``hash()``, which is salted per process.
"""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, component: str, part: int = 0) -> np.random.Generator:
    """A generator for ``component`` (and ``part``, e.g. a chunk number) under ``seed``."""
    key = zlib.crc32(component.encode("utf-8"))
    return np.random.default_rng(np.random.SeedSequence([int(seed), key, int(part)]))


def choice_index(rng: np.random.Generator, weights: np.ndarray, size: int) -> np.ndarray:
    """Indices drawn with the given (unnormalised) weights; faster than ``rng.choice`` for big n."""
    cumulative = np.cumsum(np.asarray(weights, dtype=float))
    return np.searchsorted(cumulative / cumulative[-1], rng.random(size), side="right")


def row_choice(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """One index per row of a (n, k) matrix of probabilities (rows need not be normalised)."""
    cumulative = np.cumsum(probabilities, axis=1)
    draws = rng.random(len(probabilities)) * cumulative[:, -1]
    return (cumulative < draws[:, None]).sum(axis=1)


def exact_counts(total: int, shares: np.ndarray) -> np.ndarray:
    """Split ``total`` into integer counts proportional to ``shares`` (largest remainder)."""
    shares = np.asarray(shares, dtype=float)
    raw = shares / shares.sum() * total
    counts = np.floor(raw).astype(np.int64)
    order = np.argsort(-(raw - counts), kind="stable")
    counts[order[: total - counts.sum()]] += 1
    return counts


def poissonish(rng: np.random.Generator, mean: np.ndarray, spread: float = 0.35) -> np.ndarray:
    """Non-negative integer counts around ``mean``: cheaper than ``rng.poisson`` on big arrays."""
    noise = np.exp(rng.standard_normal(mean.shape, dtype=np.float32) * spread - spread**2 / 2)
    return np.floor(mean * noise + rng.random(mean.shape, dtype=np.float32)).astype(np.int32)

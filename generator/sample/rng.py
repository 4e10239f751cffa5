"""Counter-based random draws: every draw is a fixed integer hash of (seed, index, decision).

Nothing here keeps state. A story's draws depend only on its seed, its index and the name of
the decision (`"hero.first"`, `"unit:003.08"`), so story i is the same whatever --count,
--start or --workers, and renaming or adding one decision leaves every other draw alone. The
hash is SplitMix64's finaliser on unsigned 64-bit integers: numpy computes it for a whole
batch of stories at once, and since it is plain wrapping integer arithmetic (no numpy
Generator method is involved) its output cannot change with the numpy version or platform.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

MASK64 = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15
_M1 = 0xBF58476D1CE4E5B9
_M2 = 0x94D049BB133111EB
SEED_LIMIT = 1 << 63

U64 = npt.NDArray[np.uint64]


def mix64(z: int) -> int:
    """SplitMix64's finaliser on one Python int (the reference for `mix64_array`)."""
    z &= MASK64
    z = ((z ^ (z >> 30)) * _M1) & MASK64
    z = ((z ^ (z >> 27)) * _M2) & MASK64
    return z ^ (z >> 31)


def mix64_array(z: U64) -> U64:
    """SplitMix64's finaliser on a uint64 array; overflow wraps, as the algorithm intends."""
    z = z ^ (z >> np.uint64(30))
    z = z * np.uint64(_M1)
    z = z ^ (z >> np.uint64(27))
    z = z * np.uint64(_M2)
    return z ^ (z >> np.uint64(31))


def decision_key(name: str) -> int:
    """A stable 64-bit key for a named decision."""
    return int.from_bytes(hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest(), "little")


def story_key(seed: int, index: int) -> int:
    """The key all of one story's draws derive from."""
    return mix64(mix64(seed ^ GOLDEN) + (index * GOLDEN))


def story_keys(seed: int, start: int, count: int) -> U64:
    """`story_key(seed, i)` for i in [start, start + count), computed as one array."""
    base = np.uint64(mix64(seed ^ GOLDEN))
    with np.errstate(over="ignore"):
        indices = np.arange(start, start + count, dtype=np.uint64)
        return mix64_array(base + indices * np.uint64(GOLDEN))


def retry_keys(keys: U64, attempt: int) -> U64:
    """Story keys for a story's `attempt`-th redraw (from 1): as independent of its first draws
    and of each other as other stories' keys are."""
    with np.errstate(over="ignore"):
        return mix64_array(keys ^ np.uint64(decision_key(f"retry:{attempt}")))


def draw_table(keys: U64, decisions: Sequence[int]) -> U64:
    """One 64-bit draw per (story, decision): rows are stories, columns decisions."""
    table = np.asarray(decisions, dtype=np.uint64)
    with np.errstate(over="ignore"):
        return mix64_array(keys[:, None] ^ table[None, :])


def below(draw: int, n: int) -> int:
    """Map a 64-bit draw onto range(n) (Lemire's multiply-shift; bias below 2**-50 here)."""
    return (draw * n) >> 64


def weighted(draw: int, cumulative: Sequence[int]) -> int:
    """Index picked by a draw from cumulative integer weights."""
    target = below(draw, cumulative[-1])
    for i, bound in enumerate(cumulative):
        if target < bound:
            return i
    raise ValueError("cumulative weights must end with a positive total")


def below_array(draws: U64, n: int) -> npt.NDArray[np.int64]:
    """`below` for a whole array of draws: exactly (draw * n) >> 64, without 128-bit integers.

    With draw = hi * 2**32 + lo and n < 2**32, (draw * n) >> 64 equals
    (hi * n + ((lo * n) >> 32)) >> 32, and no partial product overflows 64 bits."""
    if not 0 < n < 1 << 32:
        return np.array([below(int(d), n) for d in draws.tolist()], dtype=np.int64)
    width = np.uint64(32)
    scale = np.uint64(n)
    high = (draws >> width) * scale
    low = ((draws & np.uint64(0xFFFFFFFF)) * scale) >> width
    return ((high + low) >> width).astype(np.int64)


def below_each(draws: U64, sizes: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """`below(draws[i], sizes[i])` for every i (each size in 1 .. 2**32 - 1), by `below_array`'s
    exact split of the 64-bit product."""
    width = np.uint64(32)
    scale = sizes.astype(np.uint64)
    high = (draws >> width) * scale
    low = ((draws & np.uint64(0xFFFFFFFF)) * scale) >> width
    return ((high + low) >> width).astype(np.int64)


def weighted_array(draws: U64, cumulative: Sequence[int]) -> npt.NDArray[np.int64]:
    """`weighted` for a whole array of draws."""
    targets = below_array(draws, cumulative[-1])
    return np.searchsorted(np.asarray(cumulative, dtype=np.int64), targets, side="right").astype(np.int64)

"""Counter-based draws: pinned values, batch == scalar, independence of decisions."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from generator.sample import rng


def test_pinned_values_never_change() -> None:
    # These numbers are the reproducibility contract: if they change, every fixture changes.
    # SplitMix64's published first output for state 0 is mix64(GOLDEN) = 0xE220A8397B1DCDAF.
    assert rng.mix64(rng.GOLDEN) == 0xE220A8397B1DCDAF
    assert rng.decision_key("hero.first") == 0x40CC1185863F2F54
    assert rng.story_key(7, 0) == int(rng.story_keys(7, 0, 1)[0])


@given(st.integers(0, rng.SEED_LIMIT - 1), st.integers(0, 2**40), st.integers(1, 40))
def test_batch_equals_scalar(seed: int, start: int, count: int) -> None:
    keys = rng.story_keys(seed, start, count)
    assert [int(k) for k in keys] == [rng.story_key(seed, start + i) for i in range(count)]


def test_draw_table_is_per_decision() -> None:
    keys = rng.story_keys(3, 10, 4)
    a = rng.draw_table(keys, [rng.decision_key("a"), rng.decision_key("b")])
    b = rng.draw_table(keys, [rng.decision_key("b")])
    assert a[:, 1].tolist() == b[:, 0].tolist()
    assert int(a[2, 0]) == rng.mix64(rng.story_key(3, 12) ^ rng.decision_key("a"))


@given(st.integers(0, 2**64 - 1), st.integers(1, 10_000))
def test_below_stays_in_range(draw: int, n: int) -> None:
    assert 0 <= rng.below(draw, n) < n


def test_weighted() -> None:
    cumulative = [4, 7, 8]
    picks = [rng.weighted(d << 60, cumulative) for d in range(16)]
    assert picks == [0] * 8 + [1] * 6 + [2] * 2


def test_array_draws_equal_the_one_at_a_time_reference() -> None:
    """below_array and weighted_array are exactly below and weighted, edges and big n included."""
    keys = rng.story_keys(11, 0, 3000)
    draws = np.concatenate([keys, np.array([0, 1, 2**32 - 1, 2**32, 2**63, 2**64 - 1], dtype=np.uint64)])
    as_ints = [int(d) for d in draws.tolist()]
    for n in (1, 2, 3, 17, 46, 2**31 + 5, 2**32 - 1, 2**40):
        assert rng.below_array(draws, n).tolist() == [rng.below(d, n) for d in as_ints], n
    for cumulative in ([4, 7, 8], [1], [0, 5, 5, 9]):
        assert rng.weighted_array(draws, cumulative).tolist() == [rng.weighted(d, cumulative) for d in as_ints]


def test_ranking_breaks_ties_by_column_whatever_the_sort() -> None:
    from generator.sample.unit_rules import rank, rank_key

    same = np.uint64(0xABCDEF0123456780)
    draws = np.array([[same, same | np.uint64(3), same, np.uint64(5)]], dtype=np.uint64)
    # The first three agree on all but their lowest bits: the later column comes first.
    assert rank(draws).tolist() == [[2, 1, 0, 3]]
    keys = [rank_key(int(d), column, 4) for column, d in enumerate(draws[0].tolist())]
    assert sorted(range(4), key=keys.__getitem__, reverse=True) == [2, 1, 0, 3]

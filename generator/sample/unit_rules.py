"""Choose each story's units, for a whole batch of stories at once.

The rule, per story: walk the arc's phases; in each, rank the phase's units by their draws
(highest first) and take units in that order while the phase is short of its sentence target,
skipping a unit that
- is an intro (only the story's first phase takes one, before anything else), or already taken;
- shares an event with a taken unit (one birth, one move, one debut album per story);
- requires a unit that was not taken (it refers back to it);
- would overshoot the target by more than two sentences (unless the phase is still empty);
- would pass --sentences' maximum, or give one seed more than MAX_FROM_ONE_SEED sentences.
Within a phase, taken units are told in the order their seeds told them.

Here the walk runs rank by rank over a batch: each step looks at every story's unit of that
rank with a handful of numpy operations, so the per-story cost is a few array elements rather
than a Python loop. Sets (taken units, events) are bit masks in rows of uint64 words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from ..model.controls import Controls
from ..model.grammar import Grammar
from . import rng

MAX_FROM_ONE_SEED = 9  # sentences; stories run to about 20
# How far a unit may take a phase that has begun past its sentence target: the `slack` of
# UnitChooser._walk (target + 2), named for the linter's capacity; a test holds the two equal.
MAX_OVERSHOOT = 2

Ints = npt.NDArray[np.int64]
Words = npt.NDArray[np.uint64]


def bit_masks(members: Sequence[Iterable[int]], width: int) -> Words:
    """Row i has bit j set for every j in members[i]: one uint64 per row when width <= 64, else
    rows of ceil(width / 64) words."""
    masks = np.zeros((len(members), max(1, -(-width // 64))), dtype=np.uint64)
    for i, bits in enumerate(members):
        for j in bits:
            masks[i, j // 64] |= np.uint64(1 << (j % 64))
    return masks[:, 0] if masks.shape[1] == 1 else masks


def relative_positions(grammar: Grammar) -> list[float]:
    """Where each unit's first sentence sits in its own seed, from 0 (first) to 1 (last)."""
    position: dict[str, float] = {}
    for record in grammar.seeds:
        ids = [sid for paragraph in record.paragraphs for sid in paragraph]
        for i, sid in enumerate(ids):
            position[sid] = i / max(len(ids) - 1, 1)
    return [position.get(u.id, 0.5) for u in grammar.units]


class UnitChooser:
    """Per-unit facts as arrays, and the batched walk over them."""

    def __init__(self, grammar: Grammar, controls: Controls, first_column: int) -> None:
        units = grammar.units
        self.grammar = grammar
        self.controls = controls
        index = {u.id: i for i, u in enumerate(units)}
        seeds = {seed: i for i, seed in enumerate(sorted({u.sentences[0].source.seed for u in units}))}
        events = {e: i for i, e in enumerate(sorted({e for u in units for e in u.events}))}
        self.length: Ints = np.array([len(u.sentences) for u in units], dtype=np.int64)
        self.seed_of: Ints = np.array([seeds[u.sentences[0].source.seed] for u in units], dtype=np.int64)
        self.seed_count = len(seeds)
        self.intro = np.array([u.intro for u in units], dtype=bool)
        # Units an ordinary turn may take: not intros, and not units that require one the grammar lacks.
        self.open = np.array([not u.intro and all(r in index for r in u.requires) for u in units], dtype=bool)
        self.repeats_phases = any(len(set(arc.phases)) < len(arc.phases) for arc in grammar.arcs)
        # A story's state is one bit set: the events told so far, and which units were taken, for
        # the units some unit requires (or for all, if an arc visits a phase twice and a unit
        # could come up again). `sets`: the bits a unit sets; `blocks`: bits that rule it out;
        # `needs`: bits it requires.
        tracked = range(len(units)) if self.repeats_phases else sorted({index[r] for u in units for r in u.requires if r in index})
        bit = {name: i for i, name in enumerate([*(("event", e) for e in events), *(("unit", i) for i in tracked)])}
        self.sets = bit_masks([[bit["event", e] for e in u.events] + ([bit["unit", i]] if ("unit", i) in bit else [])
                               for i, u in enumerate(units)], len(bit))
        self.blocks = bit_masks([[bit["event", e] for e in u.events] + ([bit["unit", i]] if self.repeats_phases else [])
                                 for i, u in enumerate(units)], len(bit))
        self.needs = bit_masks([[bit["unit", index[r]] for r in u.requires if r in index] for u in units], len(bit))
        self.any_blocks = bool(self.blocks.any())
        self.any_needs = bool(self.needs.any())
        positions = relative_positions(grammar)
        rank_of = {p: r for r, p in enumerate(sorted(set(positions)))}
        self.position_rank: Ints = np.array([rank_of[p] for p in positions], dtype=np.int64)
        self.phase_units = {p: np.array([i for i, u in enumerate(units) if u.phase == p], dtype=np.int64) for p in grammar.phases}
        self.phase_columns = {p: first_column + cols for p, cols in self.phase_units.items()}
        # Each arc's steps (the phases --phases keeps) and its sentence targets, one row per seed.
        self.steps = []
        for arc in grammar.arcs:
            keep = [k for k, p in enumerate(arc.phases) if controls.phases is None or p in controls.phases]
            targets = np.array([[lengths[k] for k in keep] for lengths in arc.lengths], dtype=np.int64).reshape(len(arc.lengths), len(keep))
            self.steps.append((tuple(arc.phases[k] for k in keep), targets))

    def choose(self, table: rng.U64, arcs: Ints, length_draws: rng.U64) -> tuple[list[tuple[str, ...]], Ints, Ints]:
        """Each story's phases; its units (a row of indices into grammar.units, in telling order);
        and how many of the row's leading entries it tells."""
        size = len(arcs)
        phases: list[tuple[str, ...]] = [()] * size
        told = np.zeros((size, len(self.length)), dtype=np.int64)
        counts = np.zeros(size, dtype=np.int64)
        for arc in sorted(set(arcs.tolist())):
            rows = np.flatnonzero(arcs == arc)
            steps, targets = self.steps[arc]
            lengths = targets[rng.below_array(length_draws[rows], len(targets))]
            told[rows], counts[rows] = self._walk(table[rows], steps, self._bounded(lengths))
            for row in rows.tolist():
                phases[row] = steps
        return phases, told, counts

    def _bounded(self, targets: Ints) -> Ints:
        """Scale each story's sentence targets into the --sentences bounds."""
        low, high = self.controls.min_sentences, self.controls.max_sentences
        total = np.maximum(targets.sum(axis=1), 1)
        goal = np.maximum(low, np.minimum(total, high if high is not None else total))
        scaled = np.maximum(1, np.rint(targets * goal[:, None] / total[:, None])).astype(np.int64)
        return np.where((goal == total)[:, None], targets, scaled)

    def _walk(self, table: rng.U64, steps: tuple[str, ...], targets: Ints) -> tuple[Ints, Ints]:
        size = len(table)
        rows = np.arange(size)
        state = np.zeros((size, *self.sets.shape[1:]), dtype=np.uint64)
        # Sentences taken from each seed, flat: story i's count for seed s is at i * seeds + s.
        per_seed = np.zeros(size * self.seed_count, dtype=np.int64)
        row_base = rows * self.seed_count
        total = np.zeros(size, dtype=np.int64)
        limit = self.controls.max_sentences
        # Sort key of each taken unit: (step, position in its seed, order taken), where a story's
        # intro comes first; untaken units sort last.
        turns = len(self.length) + 1
        per_step = (int(self.position_rank.max(initial=0)) + 2) * turns
        untaken = np.iinfo(np.int64).max
        order = np.full((size, len(self.length)), untaken, dtype=np.int64)

        for step, phase in enumerate(steps):
            local = self.phase_units[phase]
            if len(local) == 0:
                continue
            target = targets[:, step]
            slack = target + 2  # how far a unit may overshoot the target, once the phase has begun
            count = np.zeros(size, dtype=np.int64)
            ranked = local[rank(table[:, self.phase_columns[phase]])]
            chosen = np.zeros(ranked.shape, dtype=bool)
            intro_taken = None
            if step == 0:  # the story opens by introducing its protagonist
                intro = self.intro[ranked]
                first = ranked[rows, intro.argmax(axis=1)]
                intro_taken = intro.any(axis=1)
                if limit is not None:
                    intro_taken &= self.length[first] <= limit
            for turn in range(-1 if intro_taken is not None else 0, len(local)):
                if turn < 0:
                    assert intro_taken is not None
                    unit, ok = first, intro_taken
                    n = self.length[unit]
                else:
                    ok = count < target
                    if not ok.any():
                        break
                    unit = ranked[:, turn]
                    n = self.length[unit]
                    ok &= self.open[unit]
                    if self.any_blocks:
                        ok &= _disjoint(state, self.blocks[unit])
                    if self.any_needs:
                        ok &= _contains(state, self.needs[unit])
                    ok &= (count == 0) | (count + n <= slack)
                    if limit is not None:
                        ok &= total + n <= limit
                seed = row_base + self.seed_of[unit]
                if turn >= 0:
                    ok &= per_seed[seed] + n <= MAX_FROM_ONE_SEED
                    chosen[:, turn] = ok
                added = n * ok
                mask: npt.NDArray[np.bool_] = np.asarray(ok)
                state |= np.where(mask if state.ndim == 1 else mask[:, None], self.sets[unit], np.uint64(0))
                per_seed[seed] += added
                total += added
                count += added
            keys = step * per_step + (self.position_rank[ranked] + 1) * turns + np.arange(1, len(local) + 1)
            order[rows[:, None], ranked] = np.where(chosen, keys, order[rows[:, None], ranked])
            if intro_taken is not None:
                order[rows[intro_taken], first[intro_taken]] = step * per_step

        counts = (order != untaken).sum(axis=1)
        # Taken units have distinct keys, so any sort puts them in the same order.
        return np.argsort(order, axis=1), counts


def rank(draws: rng.U64) -> Ints:
    """Each row's columns, highest draw first. Ties are broken by column, later first, so every
    sort algorithm gives the same ranking: a draw's lowest bits, as many as it takes to number
    the columns, are replaced by the column number (two draws agreeing on all their other bits
    is too rare to matter)."""
    columns = draws.shape[1]
    keys = (draws & ~np.uint64(_tie_mask(columns))) | np.arange(columns, dtype=np.uint64)
    return np.argsort(keys, axis=1)[:, ::-1]


def rank_key(draw: int, column: int, columns: int) -> int:
    """The key `rank` sorts a draw by (for code that ranks one story at a time)."""
    return (draw & ~_tie_mask(columns)) | column


def _tie_mask(columns: int) -> int:
    return (1 << max(1, (columns - 1).bit_length())) - 1


def _disjoint(sets: Words, masks: Words) -> npt.NDArray[np.bool_]:
    common = sets & masks
    return common == 0 if common.ndim == 1 else (common == 0).all(axis=1)  # type: ignore[no-any-return]


def _contains(sets: Words, masks: Words) -> npt.NDArray[np.bool_]:
    common = sets & masks
    return common == masks if common.ndim == 1 else (common == masks).all(axis=1)  # type: ignore[no-any-return]

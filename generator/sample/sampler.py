"""The seeded sampler: pick an arc, units and slot values for each story, from draws alone.

Each choice reads its own named draw (see `rng`), so story (seed, index) is a pure function of
the grammar, the culture pack, the seed and the index. Units are ranked by a per-unit draw
(rendezvous hashing): editing or adding one template only changes the stories that pick it.

A unit is told through one of its variants (its sentences' paths through their phrase-level
alternatives, `model.alternatives`), read from a draw of its own (`variant:<unit id>`), so the
variant draws disturb no other draw. Stories are drawn in batches of consecutive indices and every choice is made for the whole
batch at once with numpy (`slot_values`, `unit_rules`). A batch is columns: per slot, an option
list and each story's index into it, the form the fast renderers read. `Plan` is one story's row
of a batch.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import accumulate

import numpy as np
import numpy.typing as npt

from ..errors import ArgumentError
from ..model.alternatives import SAID_TWICE, opener_marks, told_units
from ..model.controls import Controls
from ..model.culture import Culture
from ..model.grammar import Grammar
from ..model.plan import Batch, Column, Ints, Plan
from . import rng
from .constraints import Allowed, UnitConstraints
from .controls import check_controls, check_lengths, describe_bounds, length_bounds, wanted_lengths
from .slot_values import SlotValues
from .unit_rules import UnitChooser

DECISIONS = ("pronouns", "arc", "lengths")  # the story-level draws; slot values name their own
BATCH_SIZE = 2048  # stories drawn together: big enough that numpy's per-call cost is shared thinly
LENGTH_TRIES = 12  # redraws of a story's units that its length may take to come within bounds
# Redraws tried together, by attempt number: about three in five stories need none, and each
# attempt brings about three in five of the rest within bounds; drawing a round at once costs
# one batched pass, not one per attempt, and a round of one attempt draws no redraw not needed.
RETRY_ROUNDS = ((1, 1), (2, 3), (4, 8), (9, LENGTH_TRIES))

class Sampler:
    """Draws story plans from a grammar and a culture pack."""

    def __init__(self, grammar: Grammar, culture: Culture, controls: Controls | None = None, *, probe: bool = True) -> None:
        """`probe`: refuse --sentences bounds the grammar cannot keep (see `check_lengths`)."""
        self.grammar = grammar
        self.culture = culture
        self.controls = controls or Controls()
        check_controls(self.controls, grammar)
        self.pronoun_keys = list(grammar.pronoun_weights)
        self.pronoun_cumulative = list(accumulate(grammar.pronoun_weights.values()))
        self.pronoun_names = np.array(self.pronoun_keys, dtype=object)
        self.arc_cumulative = list(accumulate(a.weight for a in grammar.arcs))
        self.slot_values = SlotValues(grammar, culture, self.controls)
        self.decision_names = (*DECISIONS, *self.slot_values.draws)
        self.decisions = [rng.decision_key(name) for name in self.decision_names]
        self.decisions += [rng.decision_key(f"unit:{u.id}") for u in grammar.units]
        # Each unit's variants: the grammar the renderers run lays them out as units of their own.
        self.told, starts, counts = told_units(grammar)
        self.variant_start = np.array(starts, dtype=np.int64)
        self.variant_count = np.array(counts, dtype=np.int64)
        self.told_length = np.array([len(u.sentences) for u in self.told.units], dtype=np.int64)  # a batch's units are these
        self.marks = np.array(opener_marks(self.told.units), dtype=np.uint64)
        self.variant_column = len(self.decisions)
        self.decisions += [rng.decision_key(f"variant:{u.id}") for u in grammar.units]
        self.wanted = wanted_lengths(self.controls, grammar)  # --sentences' bounds, or the seeds' lengths
        self.chooser = UnitChooser(grammar, self.controls, first_column=len(self.decision_names))
        self.constraints = UnitConstraints(self.told, culture)  # over the told units
        self.bounded = self.controls.min_sentences > 0 or self.controls.max_sentences is not None
        if self.bounded and probe:
            check_lengths(self)

    def lengths(self, batch: Batch) -> Ints:
        """How many sentences each story of a batch tells."""
        return self._told_lengths(batch.units, batch.unit_counts)

    def _told_lengths(self, told: Ints, counts: Ints, length: Ints | None = None) -> Ints:
        """Each story's sentences: the first `counts` of its row of `told`, which indexes `length`
        (by default the told units' lengths)."""
        live = np.arange(told.shape[1]) < counts[:, None]
        return np.asarray(((self.told_length if length is None else length)[told] * live).sum(axis=1), dtype=np.int64)

    def batches(self, seed: int, start: int, count: int) -> Iterator[Batch]:
        """Stories start .. start+count-1, a batch at a time; a story outside the --sentences
        bounds is an error, never written."""
        for batch in self.draw(seed, start, count):
            if self.bounded:
                lengths = self.lengths(batch)
                low, high = length_bounds(self.controls)
                outside = np.flatnonzero((lengths < low) | (lengths > high))
                if len(outside):
                    i = int(outside[0])
                    raise ArgumentError(f"{{}}: story {seed}-{batch.start + i} would have {lengths[i]} sentences, not "
                                        f"{describe_bounds(self.controls)}; this grammar cannot keep every story within them",
                                        "controls", "--sentences")
            yield batch

    def draw(self, seed: int, start: int, count: int) -> Iterator[Batch]:
        """`batches`, unchecked."""
        for batch_start in range(start, start + count, BATCH_SIZE):
            size = min(BATCH_SIZE, start + count - batch_start)
            keys = rng.story_keys(seed, batch_start, size)
            table = rng.draw_table(keys, self.decisions)
            draws = dict(zip(self.decision_names, table.T))
            if self.controls.pronouns is not None:
                sets = np.full(size, self.pronoun_keys.index(self.controls.pronouns), dtype=np.int64)
            else:
                sets = rng.weighted_array(draws["pronouns"], self.pronoun_cumulative)
            pronouns = self.pronoun_names[sets].tolist()
            values = self.slot_values.columns(draws, sets)
            # A unit is told only when the story's values make its templates true (its seed's
            # variant is the unit itself), and then through a variant whose templates they make true.
            allowed = self.constraints.allowed(values, size)
            phases, units, unit_counts = self.units(table, allowed)
            phases, units, unit_counts, kept = self.within_lengths(keys, table, phases, units, unit_counts, allowed)
            told = self.variants(kept, units, unit_counts, allowed)
            yield Batch(seed, batch_start, pronouns, values, phases, told, unit_counts)

    def units(self, table: rng.U64, allowed: Allowed | None) -> tuple[list[tuple[str, ...]], Ints, Ints]:
        """Each story's phases, units (indices into grammar.units, in telling order) and how many it tells."""
        arcs = rng.weighted_array(table[:, self.decision_names.index("arc")], self.arc_cumulative)
        units_allowed = None if allowed is None else allowed[:, self.variant_start]
        return self.chooser.choose(table, arcs, table[:, self.decision_names.index("lengths")], units_allowed)

    def within_lengths(self, keys: rng.U64, table: rng.U64, phases: list[tuple[str, ...]], units: Ints, counts: Ints,
                       allowed: Allowed | None) -> tuple[list[tuple[str, ...]], Ints, Ints, rng.U64]:
        """A story whose length falls outside `self.wanted` redraws what it tells (its slot values
        stay), from keys of its own, up to LENGTH_TRIES times, and keeps the draw nearest the
        bounds: the first within them, else the first of the nearest (never a sentence cut or
        padded in). The redraws of a round are drawn together, one batch (RETRY_ROUNDS). Returns
        the phases, units and counts kept, and the draws they were made from (a story's variants
        are read from the same draws as its units, once the units are settled)."""
        low, high = self.wanted
        miss = self._outside(units, counts, low, high)
        kept = table
        for first, last in RETRY_ROUNDS:
            redo = np.flatnonzero(miss > 0)
            if not redo.size:
                break
            tries = last - first + 1
            tried = rng.draw_table(np.concatenate([rng.retry_keys(keys[redo], a) for a in range(first, last + 1)]), self.decisions)
            new_phases, new_units, new_counts = self.units(tried, None if allowed is None else np.tile(allowed[redo], (tries, 1)))
            new_miss = self._outside(new_units, new_counts, low, high).reshape(tries, len(redo))
            best = new_miss.argmin(axis=0)  # each story's first redraw of those nearest the bounds
            nearer = new_miss[best, np.arange(len(redo))] < miss[redo]
            rows, chosen = redo[nearer], (best * len(redo) + np.arange(len(redo)))[nearer]
            if not rows.size:
                continue
            if kept is table:
                kept = table.copy()  # the story's first draws stay as they were
            kept[rows] = tried[chosen]
            width = max(units.shape[1], new_units.shape[1])
            units = np.pad(units, ((0, 0), (0, width - units.shape[1])))
            units[rows] = np.pad(new_units[chosen], ((0, 0), (0, width - new_units.shape[1])))
            counts[rows] = new_counts[chosen]
            miss[rows] = new_miss[best[nearer], np.flatnonzero(nearer)]
            for row, pick in zip(rows.tolist(), chosen.tolist()):
                phases[row] = new_phases[pick]
        return phases, units, counts, kept

    def _outside(self, units: Ints, counts: Ints, low: int, high: int | float) -> Ints:
        """How many sentences each story (a row of units of the grammar) is short of `low` or past
        `high` (0 within them)."""
        lengths = self._told_lengths(units, counts, self.chooser.length)
        return np.asarray(np.maximum(low - lengths, 0) + np.maximum(lengths - high, 0), dtype=np.int64)

    def variants(self, table: rng.U64, units: Ints, unit_counts: Ints, allowed: Allowed | None) -> Ints:
        """Each told unit's variant, as an index into `self.told.units`: its draw picks one, and
        a story tells only a variant its values make true (`allowed`, story x told unit) and no
        opener twice, so a variant that would repeat one the story has told (or opens two of its
        own sentences alike), or is untrue, gives way to the next of its unit's variants that is
        neither (else the first true one from the drawn one on: the seed's own always is)."""
        # Columns past every story's last told unit are dropped: nothing reads them.
        units = units[:, :int(unit_counts.max(initial=0))]
        rows = np.arange(len(table))[:, None]
        draws = table[rows, self.variant_column + units]
        count = self.variant_count[units]
        drawn = rng.below_each(draws, count)
        start = self.variant_start[units]
        told = start + drawn
        used = np.full(len(units), SAID_TWICE, dtype=np.uint64)
        # Column j of `told` changes only at turn j, so whether each drawn variant is true can be
        # read for all of them at once.
        drawn_true = self._true(allowed, rows, told)
        for j in range(units.shape[1]):
            live = j < unit_counts
            pick = told[:, j]
            untrue = live & ~drawn_true[:, j]
            # Only the stories whose pick clashes look on through the unit's variants, all at once:
            # the variants after the drawn one, in turn (steps 1 .. n-1, wrapping round).
            r = np.flatnonzero(live & (((self.marks[pick] & used) != 0) | untrue))
            if r.size:
                n = count[r, j][:, None]
                steps = np.arange(1, int(n.max()))
                other = start[r, j][:, None] + (drawn[r, j][:, None] + steps) % n
                true = (steps < n) & self._true(allowed, r[:, None], other)
                free = true & ((self.marks[other] & used[r, None]) == 0)
                first_free, first_true = free.argmax(axis=1), true.argmax(axis=1)
                ahead = np.arange(len(r))
                pick[r] = np.where(free.any(axis=1), other[ahead, first_free],
                                   np.where(untrue[r] & true.any(axis=1), other[ahead, first_true], pick[r]))
            used |= np.where(live, self.marks[pick], np.uint64(0))
        return told

    @staticmethod
    def _true(allowed: Allowed | None, stories: Ints, told: Ints) -> npt.NDArray[np.bool_]:
        """Whether each of `stories`' values make the told unit at `told` true (arrays of one shape,
        or broadcast to one)."""
        if allowed is None:
            return np.ones(np.broadcast_shapes(stories.shape, told.shape), dtype=bool)
        return allowed[stories, told]

    def option_tables(self) -> dict[str, Column | None]:
        """Each slot's option list, the same array in every batch (None: values made per story)."""
        batch = next(self.draw(0, 0, 1))
        return {key: None if c.index is None else c.options for key, c in batch.codes.items()}

    def plans(self, seed: int, start: int, count: int) -> Iterator[Plan]:
        """Plans for stories start .. start+count-1."""
        for batch in self.batches(seed, start, count):
            for i in range(len(batch)):
                yield batch.plan(i, self.told)

    def plan(self, seed: int, index: int) -> Plan:
        """The plan of one story."""
        return next(self.plans(seed, index, 1))

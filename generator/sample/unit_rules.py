"""Choose each story's units, for a whole batch of stories at once.

The rule, per story: walk the arc's phases; in each, rank the phase's units by their draws
(highest first) and take units in that order while the phase is short of its sentence target,
skipping a unit that
- is an intro (only the story's first phase takes one, before anything else), or already taken;
- shares an event with a taken unit (one birth, one move, one ending per story);
- is excluded by a taken unit (`exclusions`: it says the same thing, or it is set in another
  city than the one a taken unit moves the hero to);
- starts earlier in the life than the story's earlier phases reached (`life_stages`);
- requires a unit that was not taken (it refers back to it), or needs something told (a
  performance, a hardship, playing for people) that neither an earlier phase nor a unit told
  before it in this phase tells;
- would take a begun phase past `overshoot_limit`, the story past the most sentences it may
  tell (--sentences' maximum, else what the seeds' lengths allow) less ENDING_ROOM for each
  phase still to come, or take more of one seed than `fits_seed_share` allows.
Within a phase, taken units are told in life order, then in the order their seeds told them,
and the ending last (`telling_order`). The linter reads the same rules.

Here the walk runs rank by rank over a batch: each step looks at every story's unit of that
rank with a handful of numpy operations, so the per-story cost is a few array elements rather
than a Python loop. Sets (taken units, events) are bit masks in rows of uint64 words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..model.controls import Controls
from ..model.grammar import Grammar
from . import rng
from .controls import wanted_lengths
from .unit_relations import TOLD_BEFORE, exclusions, life_stages, telling_order, told, told_before

MAX_FROM_ONE_SEED = 9  # sentences; stories run to about 20
# How far a unit may take a phase that has begun past its sentence target: the `slack` of
# UnitChooser._walk (target + 2), named for the linter's capacity; a test holds the two equal.
MAX_OVERSHOOT = 2  # sentences a unit may take a started phase past its target, or the target again


def overshoot_limit(target: int) -> int:
    """The most sentences a phase with this target may hold once it has begun."""
    return max(target + MAX_OVERSHOOT, 2 * target)


ENDING_ROOM = 2  # sentences of the most a story may tell kept for each phase still to come
SCENE_COMPANY = 3  # sentences of its seed a longer whole scene may come with


def fits_seed_share(taken: int, sentences: int) -> bool:
    """Whether a story that has `taken` sentences from a seed may take a unit of `sentences` more
    from it: up to MAX_FROM_ONE_SEED, or a longer unit (a whole scene) with at most SCENE_COMPANY
    other sentences of its seed."""
    return taken + sentences <= max(MAX_FROM_ONE_SEED, sentences + SCENE_COMPANY)

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


def walk_hosts(arcs: Sequence[tuple[str, ...]]) -> list[tuple[int, tuple[int, ...]]]:
    """For each arc's steps, the arc whose walk it can share and where its steps stand in that
    one's: arcs whose steps are in order a part of a longer arc's, from the same first step, walk
    with it (a step they lack takes nothing, and so leaves their story as it was), so a batch
    walks once per host instead of once per arc. An arc with a step twice walks alone."""
    hosts: list[tuple[int, tuple[int, ...]]] = []
    by_length = sorted(range(len(arcs)), key=lambda a: (-len(arcs[a]), a))
    for arc, steps in enumerate(arcs):
        for host in by_length:
            where = _within(steps, arcs[host])
            if where is not None and len(set(arcs[host])) == len(arcs[host]):
                hosts.append((host, where))
                break
        else:
            hosts.append((arc, tuple(range(len(steps)))))
    return hosts


def arc_steps(grammar: Grammar, controls: Controls) -> list[tuple[tuple[str, ...], Ints]]:
    """Each arc's steps (the phases --phases keeps) and its sentence targets, one row per seed."""
    steps = []
    for arc in grammar.arcs:
        keep = [k for k, p in enumerate(arc.phases) if controls.phases is None or p in controls.phases]
        targets = np.array([[lengths[k] for k in keep] for lengths in arc.lengths], dtype=np.int64).reshape(len(arc.lengths), len(keep))
        steps.append((tuple(arc.phases[k] for k in keep), targets))
    return steps


def _within(steps: tuple[str, ...], host: tuple[str, ...]) -> tuple[int, ...] | None:
    """Where each of `steps` stands in `host`, if they are in order a part of it with its first step."""
    if not steps or not host or steps[0] != host[0] or len(set(steps)) < len(steps):
        return None
    where, pos = [], 0
    for step in steps:
        while pos < len(host) and host[pos] != step:
            pos += 1
        if pos == len(host):
            return None
        where.append(pos)
        pos += 1
    return tuple(where)


class UnitChooser:
    """Per-unit facts as arrays, and the batched walk over them."""

    def __init__(self, grammar: Grammar, controls: Controls, first_column: int) -> None:
        units = grammar.units
        self.grammar = grammar
        self.controls = controls
        most = wanted_lengths(controls, grammar)[1]  # a unit taking a story past it is skipped (no redraw needed)
        self.most = None if most == float("inf") else int(most)
        index = {u.id: i for i, u in enumerate(units)}
        seeds = {seed: i for i, seed in enumerate(sorted({u.sentences[0].source.seed for u in units}))}
        events = {e: i for i, e in enumerate(sorted({e for u in units for e in u.events}))}
        self.length: Ints = np.array([len(u.sentences) for u in units], dtype=np.int64)
        self.seed_of: Ints = np.array([seeds[u.sentences[0].source.seed] for u in units], dtype=np.int64)
        self.seed_count = len(seeds)
        # The most sentences of its seed a story may hold once it takes the unit (fits_seed_share).
        self.seed_cap: Ints = np.maximum(MAX_FROM_ONE_SEED, self.length + SCENE_COMPANY)
        tellable = np.array(told(grammar), dtype=bool)
        self.intro = np.array([u.intro for u in units], dtype=bool) & tellable
        # Units an ordinary turn may take: not intros, and only units a sampled story may tell.
        self.open = ~np.array([u.intro for u in units], dtype=bool) & tellable
        self.repeats_phases = any(len(set(arc.phases)) < len(arc.phases) for arc in grammar.arcs)
        # A story's state is one bit set: the events told so far, and which units were taken, for
        # the units some unit requires (or for all, if an arc visits a phase twice and a unit
        # could come up again). `sets`: the bits a unit sets; `blocks`: bits that rule it out;
        # `needs`: bits it requires.
        excluded = exclusions(grammar)
        tracked = range(len(units)) if self.repeats_phases else sorted(
            {index[r] for u in units for r in u.requires if r in index} | {index[u.id] for u in units if excluded[u.id]})
        bit = {name: i for i, name in enumerate([*(("event", e) for e in events), *(("unit", i) for i in tracked),
                                                 *(("told", kind) for kind in TOLD_BEFORE)])}
        # What a unit needs told before it (a performance for a unit on a stage, a hardship for
        # 'the once-struggling musician'), and what it tells that others may need.
        earlier = [told_before(u) for u in units]
        self.sets = bit_masks([[bit["event", e] for e in u.events] + ([bit["unit", i]] if ("unit", i) in bit else [])
                               + [bit["told", kind] for kind in earlier[i][0]] for i, u in enumerate(units)], len(bit))
        self.blocks = bit_masks([[bit["event", e] for e in u.events] + ([bit["unit", i]] if self.repeats_phases else [])
                                 + [bit["unit", index[x]] for x in sorted(excluded[u.id])]
                                 + [bit["told", kind] for kind in earlier[i][2]] for i, u in enumerate(units)], len(bit))
        self.needs = bit_masks([[bit["unit", index[r]] for r in u.requires if r in index]
                                + [bit["told", kind] for kind in earlier[i][1]] for i, u in enumerate(units)], len(bit))
        # A performance sets up the stage only for the rest of its phase: 'as she walked offstage'
        # a phase after the concert reads as a scene that never began.
        self.phase_scoped = ~bit_masks([[bit["told", "performance"]]], len(bit))[0]
        # What of TOLD_BEFORE each unit tells and needs, and each kind's bit: within a phase, a need
        # is met only by a unit told before the one that needs it (`_fill_phase`).
        self.tells_kind, self.needs_kind = (np.array([[kind in e[j] for kind in TOLD_BEFORE] for e in earlier], dtype=bool)
                                            .reshape(len(units), len(TOLD_BEFORE)) for j in (0, 1))
        self.kind_bits = bit_masks([[bit["told", kind]] for kind in TOLD_BEFORE], len(bit))
        self.tells_any, self.needs_any = (np.asarray(kinds.any(axis=1), dtype=bool) for kinds in (self.tells_kind, self.needs_kind))
        self.any_blocks, self.any_needs, self.any_told_needs = (bool(m.any()) for m in (self.blocks, self.needs, self.needs_any))
        stages = life_stages(grammar)
        self.entry_stage: Ints = np.array([entry for entry, _ in stages], dtype=np.int64)
        self.exit_stage: Ints = np.array([exit_ for _, exit_ in stages], dtype=np.int64)
        keys = telling_order(grammar)
        rank_of = {k: r for r, k in enumerate(sorted(set(keys)))}
        self.position_rank: Ints = np.array([rank_of[k] for k in keys], dtype=np.int64)
        self.phase_units = {p: np.array([i for i, u in enumerate(units) if u.phase == p], dtype=np.int64) for p in grammar.phases}
        self.phase_columns = {p: first_column + cols for p, cols in self.phase_units.items()}
        self.steps = arc_steps(grammar, controls)
        self.hosts = walk_hosts([steps for steps, _ in self.steps])
        self.host_of: Ints = np.array([host for host, _ in self.hosts], dtype=np.int64)  # each arc's host

    def choose(self, table: rng.U64, arcs: Ints, length_draws: rng.U64,
               allowed: npt.NDArray[np.bool_] | None = None) -> tuple[list[tuple[str, ...]], Ints, Ints]:
        """Each story's phases; its units (a row of indices into grammar.units, in telling order);
        and how many of the row's leading entries it tells. `allowed` (story x unit): the units
        each story's values let it tell (None: all)."""
        size = len(arcs)
        phases = [self.steps[arc][0] for arc in arcs.tolist()]
        told = np.zeros((size, len(self.length)), dtype=np.int64)
        counts = np.zeros(size, dtype=np.int64)
        host_of = self.host_of[arcs]
        for host in sorted(set(host_of.tolist())):
            rows = np.flatnonzero(host_of == host)
            steps = self.steps[host][0]
            # Each story's targets on its host's steps; a step its own arc lacks takes nothing.
            targets = np.zeros((len(rows), len(steps)), dtype=np.int64)
            present = np.zeros((len(rows), len(steps)), dtype=bool)
            for arc in sorted(set(arcs[rows].tolist())):
                mine = np.flatnonzero(arcs[rows] == arc)
                own = self.steps[arc][1]
                at = np.array(self.hosts[arc][1], dtype=np.int64)
                lengths = own[rng.below_array(length_draws[rows[mine]], len(own))]
                targets[mine[:, None], at] = self._bounded(lengths)
                present[mine[:, None], at] = True
            told[rows], counts[rows] = self._walk(table[rows], steps, targets, present,
                                                  None if allowed is None else allowed[rows])
        return phases, told, counts

    def _bounded(self, targets: Ints) -> Ints:
        """Scale each story's sentence targets into the --sentences bounds."""
        low, high = self.controls.min_sentences, self.controls.max_sentences
        total = np.maximum(targets.sum(axis=1), 1)
        goal = np.maximum(low, np.minimum(total, high if high is not None else total))
        scaled = np.maximum(1, np.rint(targets * goal[:, None] / total[:, None])).astype(np.int64)
        return np.where((goal == total)[:, None], targets, scaled)

    def _walk(self, table: rng.U64, steps: tuple[str, ...], targets: Ints, present: npt.NDArray[np.bool_],
              allowed: npt.NDArray[np.bool_] | None) -> tuple[Ints, Ints]:
        size = len(table)
        rows = np.arange(size)
        walk = _Walk(np.zeros((size, *self.sets.shape[1:]), dtype=np.uint64), np.zeros(size * self.seed_count, dtype=np.int64),
                     rows * self.seed_count, np.zeros(size, dtype=np.int64), np.zeros(size, dtype=np.int64))
        # Sort key of each taken unit: (step, position in its seed, order taken), where a story's
        # intro comes first; untaken units sort last.
        turns = len(self.length) + 1
        per_step = (int(self.position_rank.max(initial=0)) + 2) * turns
        # A key's low bits hold its unit's index, so sorting the keys sorts the units (faster
        # than an argsort); untaken units keep theirs too, so every entry is a unit.
        shift = max(1, (len(self.length) - 1).bit_length())
        untaken = np.iinfo(np.int64).max >> shift
        order = np.full((size, len(self.length)), untaken, dtype=np.int64)
        for step, phase in enumerate(steps):
            local = self.phase_units[phase]
            if len(local) == 0:
                continue
            ranked = local[rank(table[:, self.phase_columns[phase]])]
            walk.state &= self.phase_scoped
            intro: tuple[Ints, npt.NDArray[np.bool_]] | None = None
            usable = None if allowed is None else allowed[rows[:, None], ranked]
            if step == 0:  # the story opens by introducing its protagonist
                intros = self.intro[ranked] if usable is None else self.intro[ranked] & usable
                first = ranked[rows, intros.argmax(axis=1)]
                taken: npt.NDArray[np.bool_] = np.asarray(intros.any(axis=1))
                if self.most is not None:
                    taken &= self.length[first] <= self.most
                self._take(walk, first, taken)
                intro = first, taken
            # A phase that fell short of its target hands the shortfall on to the next one.
            shortfall = np.maximum(targets[:, :step].sum(axis=1) - walk.total, 0) if step else 0
            target = np.where(present[:, step], targets[:, step] + shortfall, 0)
            # Room is kept for the phases still to come, so the story can still end as it should.
            room = self.most - ENDING_ROOM * present[:, step + 1:].sum(axis=1) if self.most is not None else None
            chosen = self._fill_phase(walk, ranked, target, room, intro is not None, usable)
            story, turn = np.nonzero(chosen)
            unit = ranked[story, turn]
            # Time only moves forward: a later phase starts no earlier in the life than this one ended.
            np.maximum.at(walk.reached, story, self.exit_stage[unit])
            if intro is not None:
                walk.reached = np.maximum(walk.reached, np.where(intro[1], self.exit_stage[intro[0]], 0))
            order[story, unit] = step * per_step + (self.position_rank[unit] + 1) * turns + turn + 1
            if intro is not None:
                first, taken = intro
                order[rows[taken], first[taken]] = step * per_step
        counts = (order != untaken).sum(axis=1)
        # Taken units have distinct keys, so their order is the same however the sort breaks ties.
        units = np.arange(len(self.length), dtype=np.int64)
        return np.sort((order << shift) | units, axis=1) & ((1 << shift) - 1), counts

    def _fill_phase(self, walk: _Walk, ranked: Ints, target: Ints, room: Ints | None, opened: bool,
                    usable: npt.NDArray[np.bool_] | None) -> npt.NDArray[np.bool_]:
        """Take a phase's units in rank order while the phase is short of its target; which of
        the ranked units each story took. What a unit needs told before it is told in an earlier
        phase, or in this one by a unit told before it (taken before it, at no later a position),
        so a need never reorders the telling. `opened`: the phase already holds the story's intro."""
        count = walk.total.copy() if opened else np.zeros(len(ranked), dtype=np.int64)  # only the intro precedes the first phase
        slack = np.maximum(target + MAX_OVERSHOOT, 2 * target)  # overshoot_limit, for the batch
        # What stays fixed while the phase fills, for every story and turn at once: whether the
        # unit may be told here at all (not an intro, true of the story, not earlier in the life
        # than the story has reached), its length and its seed's row.
        lengths = self.length[ranked]
        fits = self.open[ranked] & (self.entry_stage[ranked] >= walk.reached[:, None])
        if usable is not None:
            fits &= usable
        seed_rows = walk.row_base[:, None] + self.seed_of[ranked]
        # How many units from each turn on could still be told: a story with none left drops out.
        left = np.zeros((len(ranked), ranked.shape[1] + 1), dtype=np.int64)
        left[:, :-1] = fits[:, ::-1].cumsum(axis=1)[:, ::-1]
        chosen = np.zeros(ranked.shape, dtype=bool)
        if self.any_told_needs:
            carried = _has_bits(walk.state, self.kind_bits)  # story x kind: told before the phase
            teller = np.full((len(ranked), len(TOLD_BEFORE)), np.iinfo(np.int64).max, dtype=np.int64)  # each kind's first position here
        # Each turn looks only at the stories still short of their target with units left to try
        # (a story's count only grows, so the set only shrinks): late turns cost a few stories.
        active = np.flatnonzero((count < target) & (left[:, 0] > 0))
        for turn in range(ranked.shape[1]):
            if not active.size:
                break
            rows = active[fits[active, turn]]
            unit = ranked[rows, turn]
            n = lengths[rows, turn]
            state = walk.state[rows]
            ok = np.ones(len(rows), dtype=bool) if room is None else walk.total[rows] + n <= room[rows]
            if self.any_blocks:
                ok &= _disjoint(state, self.blocks[unit])
            if self.any_needs:
                ok &= _contains(state, self.needs[unit])
            if self.any_told_needs:
                needy = np.flatnonzero(self.needs_any[unit])  # only a few units need something told
                if needy.size:
                    u, r = unit[needy], rows[needy]
                    ok[needy] &= (~self.needs_kind[u] | carried[r] | (teller[r] <= self.position_rank[u][:, None])).all(axis=1)
            so_far = count[rows]
            ok &= (so_far == 0) | (so_far + n <= slack[rows])
            seeds = seed_rows[rows, turn]
            ok &= walk.per_seed[seeds] + n <= self.seed_cap[unit]  # fits_seed_share, for the batch
            pick = np.flatnonzero(ok)
            took, added = rows[pick], n[pick]
            chosen[took, turn] = True
            unit = unit[pick]
            if self.any_told_needs:
                t, u = took[self.tells_any[unit]], unit[self.tells_any[unit]]
                teller[t] = np.where(self.tells_kind[u], np.minimum(teller[t], self.position_rank[u][:, None]), teller[t])
            walk.state[took] |= self.sets[unit]
            walk.per_seed[seeds[pick]] += added
            walk.total[took] += added
            count[took] += added
            active = active[(count[active] < target[active]) & (left[active, turn + 1] > 0)]
        return chosen

    def _take(self, walk: _Walk, unit: Ints, ok: npt.NDArray[np.bool_]) -> Ints:
        """Record that the stories where `ok` took `unit`; the sentences each story added."""
        added = self.length[unit] * ok
        mask = np.asarray(ok)
        walk.state |= np.where(mask if walk.state.ndim == 1 else mask[:, None], self.sets[unit], np.uint64(0))
        walk.per_seed[walk.row_base + self.seed_of[unit]] += added
        walk.total += added
        return added


@dataclass
class _Walk:
    """A batch's state while units are taken: the bits set (events told, units taken), the
    sentences taken from each seed (story i's count for seed s at row_base[i] + s), the total,
    and the stage of the life reached before the current phase."""

    state: Words
    per_seed: Ints
    row_base: Ints
    total: Ints
    reached: Ints  # the stage of the life the story's earlier phases reached


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


def _has_bits(sets: Words, masks: Words) -> npt.NDArray[np.bool_]:
    """Whether each set (row) has any bit of each mask: a sets x masks table."""
    if sets.ndim == 1:
        return (sets[:, None] & masks[None, :]) != 0  # type: ignore[no-any-return]
    return ((sets[:, None, :] & masks[None, :, :]) != 0).any(axis=2)  # type: ignore[no-any-return]


def _disjoint(sets: Words, masks: Words) -> npt.NDArray[np.bool_]:
    common = sets & masks
    return common == 0 if common.ndim == 1 else (common == 0).all(axis=1)  # type: ignore[no-any-return]


def _contains(sets: Words, masks: Words) -> npt.NDArray[np.bool_]:
    common = sets & masks
    return common == masks if common.ndim == 1 else (common == masks).all(axis=1)  # type: ignore[no-any-return]

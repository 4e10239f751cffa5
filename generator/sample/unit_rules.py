"""Choose each story's units, for a whole batch of stories at once.

The rule, per story: walk the arc's phases; in each, rank the phase's units by their draws
(highest first) and take units in that order while the phase is short of its sentence target,
skipping a unit that
- is an intro (only the story's first phase takes one, before anything else), or already taken;
- shares an event with a taken unit (one birth, one move, one ending per story);
- is excluded by a taken unit (`exclusions`: it says the same thing, or it is set in another
  city than the one a taken unit moves the hero to);
- starts earlier in the life than the story's earlier phases reached (`life_stages`);
- requires a unit that was not taken (it refers back to it);
- would take a begun phase past `overshoot_limit`, pass --sentences' maximum, or take more of
  one seed than `fits_seed_share` allows.
Within a phase, taken units are told in life order, then in the order their seeds told them,
and the ending last (`telling_order`). The linter reads the same rules.

Here the walk runs rank by rank over a batch: each step looks at every story's unit of that
rank with a handful of numpy operations, so the per-story cost is a few array elements rather
than a Python loop. Sets (taken units, events) are bit masks in rows of uint64 words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..model import narrative
from ..model.controls import Controls
from ..model.grammar import Grammar, Unit
from ..model.templates import masked
from . import rng

MAX_FROM_ONE_SEED = 9  # sentences; stories run to about 20
# How far a unit may take a phase that has begun past its sentence target: the `slack` of
# UnitChooser._walk (target + 2), named for the linter's capacity; a test holds the two equal.
MAX_OVERSHOOT = 2  # sentences a unit may take a started phase past its target, or the target again


def overshoot_limit(target: int) -> int:
    """The most sentences a phase with this target may hold once it has begun."""
    return max(target + MAX_OVERSHOOT, 2 * target)


SCENE_COMPANY = 3  # sentences of its seed a longer whole scene may come with


def fits_seed_share(taken: int, sentences: int) -> bool:
    """Whether a story that has `taken` sentences from a seed may take a unit of `sentences` more
    from it: up to MAX_FROM_ONE_SEED, or a longer unit (a whole scene) with at most SCENE_COMPANY
    other sentences of its seed."""
    return taken + sentences <= max(MAX_FROM_ONE_SEED, sentences + SCENE_COMPANY)

Ints = npt.NDArray[np.int64]
Words = npt.NDArray[np.uint64]


def told(grammar: Grammar) -> list[bool]:
    """Which units a sampled story may tell: not one that keeps its seed's proper nouns
    (`Unit.literals`), nor one that requires a unit the grammar lacks or never tells."""
    index = {u.id: u for u in grammar.units}
    ok = {u.id: not u.literals for u in grammar.units}
    changed = True
    while changed:  # a requirement chain is short; settle it by rounds
        changed = False
        for unit in grammar.units:
            if ok[unit.id] and not all(r in index and ok[r] for r in unit.requires):
                ok[unit.id] = False
                changed = True
    return [ok[u.id] for u in grammar.units]


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


CLOSING = "closing"  # the event of a seed's last unit: a story has one, and tells it last
PHASE_FLOOR = 0.5  # each later phase of the arc starts at least this far into the stages of a life


def life_stages(grammar: Grammar) -> list[tuple[int, int]]:
    """The stages of the life each unit starts at and brings its story to (see
    `narrative.stage_of`); a unit that names none is where its seed was when it was told, and no
    unit is earlier than its phase's place in the arc (a breakthrough is no childhood)."""
    spans: dict[str, tuple[int, int]] = {}
    reached: dict[str, int] = {}
    order = {u.id: p for u, p in zip(grammar.units, relative_positions(grammar))}
    for unit in sorted(grammar.units, key=lambda u: (u.sentences[0].source.seed, order[u.id])):
        seed = unit.sentences[0].source.seed
        floor = int(grammar.phases.index(unit.phase) * PHASE_FLOOR * (len(narrative.STAGES) - 1) / max(len(grammar.phases) - 1, 1))
        found = [f for f in (narrative.stage_of(masked(s.parts)) for s in unit.sentences) if f is not None]
        before = max(reached.get(seed, 0), floor)
        reached[seed] = max([before, *found])
        spans[unit.id] = (max(min(found, default=before), floor), reached[seed])
    return [spans[u.id] for u in grammar.units]


def telling_order(grammar: Grammar) -> list[tuple[int, int, float]]:
    """The key a phase's taken units are told in: the stage of the life each starts at, then the
    one it ends at, so time only moves forward, then where the unit sat in its seed; a unit set
    on a stage comes after the performance that set it up, and the ending last."""
    last = len(narrative.STAGES)  # an ending is told last of all; a unit set on a stage just before it

    def key(unit: Unit, entry: int, exit_: int, position: float) -> tuple[int, int, float]:
        if CLOSING in unit.events:
            return last, 1, position
        return (last, 0, position) if scene_needs(unit)[1] else (entry, exit_, position)

    return [key(unit, entry, exit_, position)
            for unit, (entry, exit_), position in zip(grammar.units, life_stages(grammar), relative_positions(grammar))]


PLACES = ("home", "city", "capital", "largest_city", "abroad.city")  # slots a scene can be set in


def _place_roles(unit: Unit) -> tuple[set[str], set[str]]:
    """The place slots a unit's sentences set scenes in, and those it moves the hero to."""
    at: set[str] = set()
    moves: set[str] = set()
    for sentence in unit.sentences:
        before = ""
        for part in sentence.parts:
            if isinstance(part, str):
                before += part
            elif part.key in PLACES and not narrative.ORIGIN.search(before):
                (moves if narrative.MOVE.search(before) else at).add(part.key)
    return at, moves


def _salience(unit: Unit) -> list[tuple[set[str], set[str]]]:
    """Each sentence's salient phrases and content words, read once."""
    return [(narrative.salient_phrases(text), set(narrative.content_words(text)))
            for text in (masked(s.parts) for s in unit.sentences)]


def _says_the_same(a: list[tuple[set[str], set[str]]], b: list[tuple[set[str], set[str]]]) -> bool:
    """Two units that share a salient phrase, or as many content words as a retelling does."""
    return any(px & py or len(wx & wy) >= narrative.SAME_THING for px, wx in a for py, wy in b)


# Words that place the hero on a stage, and those that set a performance up.
_ON_STAGE = re.compile(r"\b(?:on stage|offstage|take a bow|took a bow|sea of (?:adoring )?(?:fans|faces))\b", re.IGNORECASE)
_PERFORMANCE_SET_UP = re.compile(r"\b(?:took|take|taking) (?:the|to the) stage\b|\b(?:concert|competition|festival|"
                                 r"performance|audition|recital|gig|venue)\b", re.IGNORECASE)


def scene_needs(unit: Unit) -> tuple[bool, bool]:
    """Whether a unit sets up a performance, and whether it needs one told before it (it puts
    the hero on a stage, or before a sea of faces, that it does not set up itself)."""
    text = " ".join(masked(s.parts) for s in unit.sentences)
    sets = bool(_PERFORMANCE_SET_UP.search(text))
    # An ending is told last, so it sets up nothing for another unit.
    return sets and CLOSING not in unit.events, bool(_ON_STAGE.search(text)) and not sets


TOLD_BEFORE = ("performance", "hardship", "away")  # what a unit may need, or may not follow, in its story


def told_before(unit: Unit) -> tuple[set[str], set[str], set[str]]:
    """What of TOLD_BEFORE a unit tells; what it needs told before it; and what it may not come
    after. A unit on a stage needs a performance (`scene_needs`); one that takes a hardship as
    told ('the once-struggling musician', 'against all odds') needs rejections, setbacks or doubt;
    a scene at home may not come after the hero moved away from it, with no travel back."""
    text = " ".join(masked(s.parts) for s in unit.sentences)
    sets_scene, needs_scene = scene_needs(unit)
    hardship = bool(narrative.HARDSHIP.search(narrative.AFTER_HARDSHIP.sub("", text)))
    after = bool(narrative.AFTER_HARDSHIP.search(text))
    at, moves = _place_roles(unit)
    tells = {kind for kind, told in (("performance", sets_scene), ("hardship", hardship), ("away", moves - {"home"})) if told}
    needs = {kind for kind, needed in (("performance", needs_scene), ("hardship", after and not hardship)) if needed}
    return tells, needs, {"away"} if "home" in at and not moves else set()


def exclusions(grammar: Grammar) -> dict[str, set[str]]:
    """Units that never meet in one story: those that say the same thing, and a unit that moves
    the hero somewhere with one whose scene is set in another city (a place jump)."""
    units = grammar.units
    places = [_place_roles(u) for u in units]
    salience = [_salience(u) for u in units]
    out: dict[str, set[str]] = {u.id: set() for u in units}
    for i, a in enumerate(units):
        for j in range(i + 1, len(units)):
            b = units[j]
            (at_a, to_a), (at_b, to_b) = places[i], places[j]
            jump = any(to and (at - {"home"}) - to for to, at in ((to_a, at_b | to_b), (to_b, at_a | to_a)))
            if jump or _says_the_same(salience[i], salience[j]):
                out[a.id].add(b.id)
                out[b.id].add(a.id)
    return out


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
        self.any_blocks = bool(self.blocks.any())
        self.any_needs = bool(self.needs.any())
        stages = life_stages(grammar)
        self.entry_stage: Ints = np.array([entry for entry, _ in stages], dtype=np.int64)
        self.exit_stage: Ints = np.array([exit_ for _, exit_ in stages], dtype=np.int64)
        keys = telling_order(grammar)
        rank_of = {k: r for r, k in enumerate(sorted(set(keys)))}
        self.position_rank: Ints = np.array([rank_of[k] for k in keys], dtype=np.int64)
        self.phase_units = {p: np.array([i for i, u in enumerate(units) if u.phase == p], dtype=np.int64) for p in grammar.phases}
        self.phase_columns = {p: first_column + cols for p, cols in self.phase_units.items()}
        # Each arc's steps (the phases --phases keeps) and its sentence targets, one row per seed.
        self.steps = []
        for arc in grammar.arcs:
            keep = [k for k, p in enumerate(arc.phases) if controls.phases is None or p in controls.phases]
            targets = np.array([[lengths[k] for k in keep] for lengths in arc.lengths], dtype=np.int64).reshape(len(arc.lengths), len(keep))
            self.steps.append((tuple(arc.phases[k] for k in keep), targets))

    def choose(self, table: rng.U64, arcs: Ints, length_draws: rng.U64,
               allowed: npt.NDArray[np.bool_] | None = None) -> tuple[list[tuple[str, ...]], Ints, Ints]:
        """Each story's phases; its units (a row of indices into grammar.units, in telling order);
        and how many of the row's leading entries it tells. `allowed` (story x unit): the units
        each story's values let it tell (None: all)."""
        size = len(arcs)
        phases: list[tuple[str, ...]] = [()] * size
        told = np.zeros((size, len(self.length)), dtype=np.int64)
        counts = np.zeros(size, dtype=np.int64)
        for arc in sorted(set(arcs.tolist())):
            rows = np.flatnonzero(arcs == arc)
            steps, targets = self.steps[arc]
            lengths = targets[rng.below_array(length_draws[rows], len(targets))]
            told[rows], counts[rows] = self._walk(table[rows], steps, self._bounded(lengths),
                                                  None if allowed is None else allowed[rows])
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

    def _walk(self, table: rng.U64, steps: tuple[str, ...], targets: Ints,
              allowed: npt.NDArray[np.bool_] | None) -> tuple[Ints, Ints]:
        size = len(table)
        rows = np.arange(size)
        walk = _Walk(np.zeros((size, *self.sets.shape[1:]), dtype=np.uint64), np.zeros(size * self.seed_count, dtype=np.int64),
                     rows * self.seed_count, np.zeros(size, dtype=np.int64), np.zeros(size, dtype=np.int64))
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
            ranked = local[rank(table[:, self.phase_columns[phase]])]
            intro: tuple[Ints, npt.NDArray[np.bool_]] | None = None
            usable = None if allowed is None else allowed[rows[:, None], ranked]
            if step == 0:  # the story opens by introducing its protagonist
                intros = self.intro[ranked] if usable is None else self.intro[ranked] & usable
                first = ranked[rows, intros.argmax(axis=1)]
                taken: npt.NDArray[np.bool_] = np.asarray(intros.any(axis=1))
                if self.controls.max_sentences is not None:
                    taken &= self.length[first] <= self.controls.max_sentences
                self._take(walk, first, taken)
                intro = first, taken
            chosen = self._fill_phase(walk, ranked, targets[:, step], intro is not None, usable)
            # Time only moves forward: a later phase starts no earlier in the life than this one ended.
            told = self.exit_stage[ranked] * chosen
            walk.reached = np.maximum(walk.reached, told.max(axis=1, initial=0))
            if intro is not None:
                walk.reached = np.maximum(walk.reached, np.where(intro[1], self.exit_stage[intro[0]], 0))
            keys = step * per_step + (self.position_rank[ranked] + 1) * turns + np.arange(1, len(local) + 1)
            order[rows[:, None], ranked] = np.where(chosen, keys, order[rows[:, None], ranked])
            if intro is not None:
                first, taken = intro
                order[rows[taken], first[taken]] = step * per_step
        counts = (order != untaken).sum(axis=1)
        # Taken units have distinct keys, so any sort puts them in the same order.
        return np.argsort(order, axis=1), counts

    def _fill_phase(self, walk: _Walk, ranked: Ints, target: Ints, opened: bool,
                    usable: npt.NDArray[np.bool_] | None) -> npt.NDArray[np.bool_]:
        """Take a phase's units in rank order while the phase is short of its target; which of
        the ranked units each story took. `opened`: the phase already holds the story's intro."""
        count = walk.total.copy() if opened else np.zeros(len(ranked), dtype=np.int64)  # only the intro precedes the first phase
        slack = np.maximum(target + MAX_OVERSHOOT, 2 * target)  # overshoot_limit, for the batch
        limit = self.controls.max_sentences
        chosen = np.zeros(ranked.shape, dtype=bool)
        for turn in range(ranked.shape[1]):
            ok = count < target
            if not ok.any():
                break
            unit = ranked[:, turn]
            n = self.length[unit]
            ok &= self.open[unit]
            if usable is not None:
                ok &= usable[:, turn]
            ok &= self.entry_stage[unit] >= walk.reached
            if self.any_blocks:
                ok &= _disjoint(walk.state, self.blocks[unit])
            if self.any_needs:
                ok &= _contains(walk.state, self.needs[unit])
            ok &= (count == 0) | (count + n <= slack)
            if limit is not None:
                ok &= walk.total + n <= limit
            taken = walk.per_seed[walk.row_base + self.seed_of[unit]]
            ok &= taken + n <= np.maximum(MAX_FROM_ONE_SEED, n + SCENE_COMPANY)  # fits_seed_share, for the batch
            chosen[:, turn] = ok
            count += self._take(walk, unit, ok)
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


def _disjoint(sets: Words, masks: Words) -> npt.NDArray[np.bool_]:
    common = sets & masks
    return common == 0 if common.ndim == 1 else (common == 0).all(axis=1)  # type: ignore[no-any-return]


def _contains(sets: Words, masks: Words) -> npt.NDArray[np.bool_]:
    common = sets & masks
    return common == masks if common.ndim == 1 else (common == masks).all(axis=1)  # type: ignore[no-any-return]

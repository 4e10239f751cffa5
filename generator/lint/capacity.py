"""A lower bound on the number of distinct stories a grammar makes with a culture pack, so a
fixture generator knows when `--count` starts to repeat.

The bound is the smallest, over every arc and lengths row the sampler can draw, of
(openings: intro units x hero names they show) x (unit selections forced by first-ranked units,
see `_arc_bound`). Names come from the culture pack; rankings are taken to be free. The unit
rules are the sampler's (sample/unit_rules.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .lattices import LatticeSize

import math
from collections.abc import Iterable
from dataclasses import dataclass

from ..model.culture import Culture
from ..model.grammar import Arc, Unit
from ..model.templates import slot_keys
from ..sample.unit_rules import fits_seed_share, overshoot_limit
from .slots import hero_genders


@dataclass
class Capacity:
    """A lower bound on the number of distinct stories, and a one-line account of it."""

    lower_bound: int
    explanation: str
    lattices: tuple[LatticeSize, ...] = ()  # each sentence's lattice of alternatives, for the report


@dataclass
class _Bound:
    value: int
    openings: int
    intros: int
    candidates: list[int]
    per_story: list[int]
    arc: Arc
    row: tuple[int, ...]


def grammar_capacity(arcs: tuple[Arc, ...], units: list[Unit], weights: dict[str, int], culture: Culture) -> Capacity | None:
    """The capacity of a grammar that passed its checks, with this culture pack."""
    full, first = _hero_names(culture, hero_genders(weights))
    bounds = [_arc_bound(arc, row, units, full, first) for arc in arcs if arc.weight > 0 for row in arc.lengths]
    if not bounds:
        return None
    b = min(bounds, key=lambda bound: bound.value)
    openings = (f"{b.intros} intro unit{'s' if b.intros != 1 else ''} x up to {full} hero names from culture "
                f"'{culture.name}'" if b.intros else f"no intro unit; culture '{culture.name}'")
    explanation = (
        f"for the tightest arc {'>'.join(b.arc.phases)} with lengths {list(b.row)}: "
        f"{b.openings} openings ({openings}) x {'*'.join(map(str, b.candidates))} first-ranked units per phase "
        f"/ {'*'.join(map(str, b.per_story))} (the most of them one story can hold)"
    )
    return Capacity(b.value, explanation)


def _hero_names(culture: Culture, genders: tuple[str, ...]) -> tuple[int, int]:
    """Distinct full names and distinct given names a hero of these genders can have."""
    full: set[str] = set()
    first: set[str] = set()
    for gender in genders:
        for given in culture.given_names.get(gender, ()):
            first.add(given)
            for pair in culture.surnames:
                full.add(f"{given} {pair[gender]}")
    return len(full), len(first)


def _distinct_texts(units: Iterable[Unit]) -> list[Unit]:
    seen: dict[tuple[str, ...], Unit] = {}
    for unit in units:
        seen.setdefault(tuple(s.template for s in unit.sentences), unit)
    return list(seen.values())


def _seed(unit: Unit) -> str:
    return unit.sentences[0].source.seed  # a unit's sentences come from one seed


def _openings(intros: list[Unit], full: int, first: int) -> int:
    """Distinct openings: each intro once per hero name it shows (one opening if there is no intro)."""
    if not intros:
        return 1
    keys = [{key for s in unit.sentences for key in slot_keys(s.parts)} for unit in intros]
    return sum(full if "hero.name" in used else first if "hero.first" in used else 1 for used in keys)


def _arc_bound(arc: Arc, row: tuple[int, ...], units: list[Unit], full: int, first: int) -> _Bound:
    """Distinct (opening, unit selection) pairs some stories of this arc and lengths row must show.

    The top-ranked intro of the arc's first phase opens the story. In each phase the top-ranked
    unit is taken if nothing chosen before it can block it: it requires nothing, shares no event
    with any unit that could come earlier, and its seed cannot already have given too many
    sentences. Any combination of such candidates (one per phase) is some story's choice, and
    one story holds at most `per_story` candidates of a phase, so there are at least
    openings * prod(candidates) / prod(per_story) distinct selections.
    """
    intros = _distinct_texts(u for u in units if u.intro and u.phase == arc.phases[0])
    earlier = list(intros)
    candidates: list[int] = []
    per_story: list[int] = []
    done: set[str] = set()
    for step, (phase, target) in enumerate(zip(arc.phases, row)):
        pool = [u for u in units if u.phase == phase and not u.intro]
        opened = step == 0 and bool(intros)  # the intro already counts toward the target
        longest_intro = max(len(u.sentences) for u in intros) if opened else 0
        room = target - min(len(u.sentences) for u in intros) if opened else target
        chosen = _first_ranked(pool, earlier, target, longest_intro) if phase not in done and longest_intro < target else []
        chosen = _distinct_texts(chosen)
        candidates.append(len(chosen) if chosen else 1)
        per_story.append(_most_per_story(sorted(len(u.sentences) for u in chosen), room) if chosen else 1)
        done.add(phase)
        earlier += pool
    openings = _openings(intros, full, first)
    value = -(-openings * math.prod(candidates) // math.prod(per_story))
    return _Bound(value, openings, len(intros), candidates, per_story, arc, row)


def _first_ranked(pool: list[Unit], earlier: list[Unit], target: int, after_intro: int) -> list[Unit]:
    """The units of a phase that are taken whenever they rank first in it (`after_intro`: the
    sentences an intro has already told in this phase, 0 if none)."""
    events = {e for u in earlier for e in u.events}
    chosen: list[Unit] = []
    for unit in pool:
        if unit.requires or events & set(unit.events):
            continue
        if after_intro and after_intro + len(unit.sentences) > overshoot_limit(target):
            continue
        from_seed = sum(len(u.sentences) for u in earlier if _seed(u) == _seed(unit))
        if not fits_seed_share(from_seed, len(unit.sentences)):
            continue
        chosen.append(unit)
    return chosen


def _most_per_story(sizes: list[int], room: int) -> int:
    """How many of these units one phase can take: the sampler only takes a unit while the
    phase has fewer than `room` sentences, so all but the last unit taken fit below `room`."""
    taken, total = 1, 0
    for size in sizes[:-1]:
        total += size
        if total >= room:
            break
        taken += 1
    return taken

"""What a grammar's units are to one another, read from their text once: which a story may
tell, the stage of the life each starts at and reaches, the order a phase tells them in, what each
needs told before it or may not follow, and which never meet in one story. The sampler
(`unit_rules`) turns these into bit masks; the linter and `learn --report` read them as they are.
"""

from __future__ import annotations

import re

from ..model import narrative
from ..model.alternatives import sampled_variants
from ..model.grammar import Grammar, Unit
from ..model.slots import PLACES
from ..model.templates import masked


def told(grammar: Grammar) -> list[bool]:
    """Which units a sampled story may tell: not one that keeps words of its seed no slot took
    (`Unit.literals`) on every path, nor one that requires a unit the grammar lacks or never tells."""
    index = {u.id: u for u in grammar.units}
    ok = {u.id: bool(sampled_variants(u)) for u in grammar.units}
    changed = True
    while changed:  # a requirement chain is short; settle it by rounds
        changed = False
        for unit in grammar.units:
            if ok[unit.id] and not all(r in index and ok[r] for r in unit.requires):
                ok[unit.id] = False
                changed = True
    return [ok[u.id] for u in grammar.units]


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


TOLD_BEFORE = ("performance", "hardship", "away", "performing")  # what a unit may need, or may not follow, in its story


def told_before(unit: Unit) -> tuple[set[str], set[str], set[str]]:
    """What of TOLD_BEFORE a unit tells; what it needs told before it; and what it may not come
    after. A unit on a stage needs a performance (`scene_needs`); one that takes a hardship as
    told ('the once-struggling musician', 'against all odds') needs rejections, setbacks or doubt;
    one that carries on playing for people ('continued to play gigs') needs it told; a scene at
    home may not come after the hero moved away from it, with no travel back."""
    text = " ".join(masked(s.parts) for s in unit.sentences)
    sets_scene, needs_scene = scene_needs(unit)
    hardship = bool(narrative.HARDSHIP.search(narrative.AFTER_HARDSHIP.sub("", text)))
    after = bool(narrative.AFTER_HARDSHIP.search(text))
    at, moves = _place_roles(unit)
    performing = narrative.tells_performing(text)
    tells = {kind for kind, told in (("performance", sets_scene), ("hardship", hardship), ("away", moves - {"home"}),
                                     ("performing", performing)) if told and CLOSING not in unit.events}  # an ending is told last
    in_a_city = bool(at & {"city", "capital", "largest_city"}) and not moves  # 'In Astana, she found ...'
    needs = {kind for kind, needed in (("performance", needs_scene), ("hardship", after and not hardship),
                                       ("away", in_a_city), ("performing", narrative.carries_on_performing(text))) if needed}
    return tells, needs, {"away"} if "home" in at and not moves else set()


def exclusions(grammar: Grammar) -> dict[str, set[str]]:
    """Units that never meet in one story: those that say the same thing; a unit that moves the
    hero somewhere with one whose scene is set in another city (a place jump); and two whose
    spans of the life cannot be told in either order without going back in time (one runs from
    the break to fame, the other is the debut), or whose years would run backwards or fall
    outside the life a story gives its hero ("(1936–2004)", then "In 2014 ...")."""
    units = grammar.units
    places = [_place_roles(u) for u in units]
    salience = [_salience(u) for u in units]
    stages = life_stages(grammar)
    # Within a phase a unit set on a stage is told after the others, and an ending last of all.
    told_last = [2 if CLOSING in u.events else int(scene_needs(u)[1]) for u in units]
    texts = [" ".join(masked(s.parts) for s in u.sentences) for u in units]
    dated = [(*narrative.years(text), bool(narrative.DEATH.search(text))) for text in texts]
    aged = [narrative.ages(text) for text in texts]
    told_at = [(grammar.phases.index(u.phase), key) for u, key in zip(units, telling_order(grammar))]
    out: dict[str, set[str]] = {u.id: set() for u in units}
    for i, a in enumerate(units):
        for j in range(i + 1, len(units)):
            b = units[j]
            (at_a, to_a), (at_b, to_b) = places[i], places[j]
            jump = any(to and (at - {"home"}) - to for to, at in ((to_a, at_b | to_b), (to_b, at_a | to_a)))
            (entry_a, exit_a), (entry_b, exit_b) = stages[i], stages[j]
            tangled = exit_a > entry_b and exit_b > entry_a
            if a.phase == b.phase and told_last[i] != told_last[j]:  # their order in the phase is fixed
                (_, first_exit), (later_entry, _) = (stages[i], stages[j]) if told_last[i] < told_last[j] else (stages[j], stages[i])
                tangled |= first_exit > later_entry
            first, later = (i, j) if told_at[i] <= told_at[j] else (j, i)
            backwards = narrative.ages_run_backwards(aged[first], aged[later])
            if jump or tangled or backwards or _out_of_time(dated[first], dated[later]) or _says_the_same(salience[i], salience[j]):
                out[a.id].add(b.id)
                out[b.id].add(a.id)
    return out


Dated = tuple[tuple[int, int] | None, list[int], bool]  # a life's span, the other years, whether it tells a death


def _out_of_time(first: Dated, later: Dated) -> bool:
    """Whether two units' years cannot both be true in that order: the later names only years
    before the first's, or one names a year outside the other's span of life, or a death in
    another year than the span's last."""
    (span_a, years_a, died_a), (span_b, years_b, died_b) = first, later
    if years_a and years_b and min(years_a) > max(years_b):
        return True
    return any(span is not None and (any(not span[0] <= y <= span[1] for y in years) or (died and span[1] not in years))
               for span, years, died in ((span_a, years_b, died_b and bool(years_b)), (span_b, years_a, died_a and bool(years_a))))

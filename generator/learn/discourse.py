"""Discourse structure of a seed: units of dependent sentences, their phases, events and antecedents."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import narrative
from ..model.slots import slot_table
from .knowledge import Knowledge
from .mentions import Mention
from .segment import Sentence

# Where each phase sits in a typical story (0 = first sentence, 1 = last); a weak prior that
# cue words override.
_PHASE_CENTRES = {"origin": 0.08, "struggle": 0.35, "breakthrough": 0.6, "triumph": 0.88}
_PRIOR_WEIGHT = 3.0
_BACKWARD_COST = 2.5
_SKIP_COST = 1.5
CLOSING = "closing"  # the event of a seed's last unit
_TOLD_ANYWHERE = frozenset({"birth", "move"})  # events a unit tells wherever in it they stand
_PRONOUN_START = re.compile(r"^(?:He|She|They|It)\b")
_OTHER_SUBJECT = re.compile(r"(?<![^\W\d_])(?:he|she)(?![^\W\d_])")  # a subject pronoun inside a sentence
_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]")


@dataclass
class DraftUnit:
    """A unit while it is being learned: sentence positions in its seed plus what it needs."""

    sentences: list[int]
    phase: str = "origin"
    intro: bool = False
    events: set[str] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)
    requires: set[int] = field(default_factory=set)


def _another_characters_pronoun(sentence: Sentence, mentions: list[Mention], know: Knowledge) -> bool:
    """A sentence that opens on a pronoun that is not the protagonist's ("He offered ...", "It ..."),
    or uses one with no one named before it in the sentence ('"It was a phase," he says now.')."""
    starts_with_hero = any(m.start == sentence.start and m.slot.startswith("hero.") for m in mentions)
    if _PRONOUN_START.match(sentence.text) and not starts_with_hero:
        return True
    people = set(know.role_nouns) | set(slot_table().kin)
    for match in _OTHER_SUBJECT.finditer(sentence.text):
        at = sentence.start + match.start()
        if any(m.start <= at < m.end for m in mentions):
            continue  # the protagonist's
        before = _QUOTED.sub("", sentence.text[: match.start()])
        named = any(w[0].isupper() for w in re.findall(r"[^\W\d_][\w'’-]*", before)[1:])
        if not named and not any(re.search(rf"\b{re.escape(p)}\b", before) for p in people):
            return True
    return False


def leaned_on(sentences: list[Sentence], mentions: list[Mention], know: Knowledge) -> list[int]:
    """For each sentence, the earliest sentence it is bound to (itself if none): the sentence
    before it, for a connective, time anaphora or another character's pronoun; the sentence that
    licenses a definite reference (a scene's nouns within a few sentences, an event's anywhere
    before); and a setup is bound to the sentence that pays it off, both ways."""
    bound = list(range(len(sentences)))
    for i, sentence in enumerate(sentences):
        text = sentence.text
        if i and (narrative.opens_on_what_came_before(text) or _another_characters_pronoun(sentence, mentions, know)
                  or narrative.ANNOUNCEMENT.search(sentences[i - 1].text)):
            bound[i] = min(bound[i], i - 1)
        for reference, licensor in narrative.definite_references(text):
            reach = 0 if narrative.is_event_reference(reference) else max(0, i - narrative.WINDOW)
            j = next((j for j in range(i - 1, reach - 1, -1) if licensor.search(sentences[j].text)), None)
            if j is not None:
                bound[i] = min(bound[i], j)
        for event in narrative.setups(text):
            k = next((k for k in range(i + 1, len(sentences)) if narrative.pays_off(event, sentences[k].text)), None)
            if k is not None:
                bound[k] = min(bound[k], i)
    return bound


def group_units(sentences: list[Sentence], mentions: list[Mention], know: Knowledge) -> list[DraftUnit]:
    """Group sentences into units told whole: each sentence with every sentence from the one it
    is bound to (see `leaned_on`), so a scene or a thread is never cut."""
    bound = leaned_on(sentences, mentions, know)
    units: list[DraftUnit] = []
    start = 0
    for i in range(1, len(sentences) + 1):
        # A unit ends where no later sentence leans back into it.
        if i == len(sentences) or min(bound[i:]) >= i:
            units.append(DraftUnit(list(range(start, i))))
            start = i
    units[0].intro = True
    units[-1].events.add(CLOSING)  # one ending per story
    for unit in units:  # and a unit that ends a life as the last one does is an ending too
        if any(narrative.CLOSURE.search(sentences[i].text) for i in unit.sentences):
            unit.events.add(CLOSING)
    return units


def _cue_at(cue: str, text: str) -> bool:
    """A cue matches at the start of a word ("hone" is not in "phone")."""
    return re.search(r"(?<![a-z])" + re.escape(cue), text) is not None


def _cue_hits(text: str, cues: list[str]) -> int:
    return sum(1 for cue in cues if _cue_at(cue, text))


def label_phases(units: list[DraftUnit], sentences: list[Sentence], know: Knowledge) -> None:
    """Give each unit a phase: cue words plus a position prior, smoothed by a Viterbi pass."""
    phases = list(know.phase_cues)
    total = max(len(sentences) - 1, 1)
    scores: list[list[float]] = []
    for unit in units:
        # A unit is what it opens with: its first sentence's cues count double.
        opening = sentences[unit.sentences[0]].text.lower()
        text = " ".join(sentences[i].text for i in unit.sentences).lower()
        position = (unit.sentences[0] + unit.sentences[-1]) / 2 / total
        scores.append([
            _cue_hits(opening, know.phase_cues[p]) + _cue_hits(text, know.phase_cues[p])
            - _PRIOR_WEIGHT * abs(position - _PHASE_CENTRES.get(p, 0.5))
            for p in phases
        ])
    best = [scores[0][k] if k == 0 else float("-inf") for k in range(len(phases))]  # stories open in origin
    back: list[list[int]] = []
    for row in scores[1:]:
        step_best, step_back = [], []
        for k in range(len(phases)):
            options = [best[j] - _transition_cost(j, k) for j in range(len(phases))]
            j = max(range(len(phases)), key=lambda x: (options[x], -x))
            step_best.append(options[j] + row[k])
            step_back.append(j)
        best, back = step_best, [*back, step_back]
    k = max(range(len(phases)), key=lambda x: (best[x], -x))
    path = [k]
    for step in reversed(back):
        k = step[k]
        path.append(k)
    for unit, k in zip(units, reversed(path)):
        unit.phase = phases[k]


def _transition_cost(src: int, dst: int) -> float:
    if dst < src:
        return _BACKWARD_COST
    return _SKIP_COST * max(dst - src - 1, 0)


def link_antecedents(units: list[DraftUnit], sentences: list[Sentence], mentions: list[Mention],
                     know: Knowledge) -> None:
    """Tag events, and make each unit require the unit that first introduced what it refers back to."""
    introducer: dict[str, int] = {}
    for number, unit in enumerate(units):
        lo, hi = sentences[unit.sentences[0]].start, sentences[unit.sentences[-1]].end
        # What a unit tells is what its first sentence tells (a scene mentions much in passing),
        # and what a sentence only hopes for ("set his sights on stardom") has not happened.
        told = narrative.GOAL.split(sentences[unit.sentences[0]].text)[0].lower()
        # Except for a birth or a move: where a unit tells one, it is the story's one.
        done = " ".join(narrative.GOAL.split(sentences[i].text)[0].lower() for i in unit.sentences)
        kinds = {kind for m in mentions if lo <= m.start < hi and (kind := _introduced_kind(m.slot, know))}
        unit.events |= {event for event, cues in know.events.items()
                        if any(_cue_at(cue, done if event in _TOLD_ANYWHERE else told) for cue in cues)}
        for kind in sorted(kinds):
            if kind in introducer:
                unit.requires.add(introducer[kind])
            else:
                introducer[kind] = number
                unit.events.add(kind)
        unit.kinds = kinds


def _introduced_kind(slot: str, know: Knowledge) -> str:
    """What a slot's first mention introduces and later ones refer back to ('' for nothing):
    the city abroad, the competition, the mentor, or a relative by their name."""
    role = slot.partition(".")[0]
    return know.discourse_slots.get(slot) or (role if role in slot_table().kin else "")


def phase_runs(units: list[DraftUnit]) -> tuple[list[str], list[int]]:
    """Collapse unit phases into the seed's arc and the number of sentences in each step."""
    arc: list[str] = []
    lengths: list[int] = []
    for unit in units:
        if arc and arc[-1] == unit.phase:
            lengths[-1] += len(unit.sentences)
        else:
            arc.append(unit.phase)
            lengths.append(len(unit.sentences))
    return arc, lengths

"""Discourse structure of a seed: units of dependent sentences, their phases, events and antecedents."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import narrative
from ..model.slots import slot_table
from .inflection import lemmas
from .knowledge import Knowledge
from .mentions import Mention
from .people import NAMED_ROLES
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
# A quotation with no speaker of its own ('"I never got them back."'): the speaker is the one before's.
_UNTAGGED_QUOTE = re.compile(r"[\"“][^\"”]+[\"”]")


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
    before it, for a connective, time anaphora, another character's pronoun, an object "it" or a
    quotation with no speaker of its own; the sentence that
    licenses a definite reference (a scene's nouns within a few sentences, an event's anywhere
    before); and a setup is bound to the sentence that pays it off, both ways."""
    bound = list(range(len(sentences)))
    hero = epithets(" ".join(s.text for s in sentences))
    for i, sentence in enumerate(sentences):
        text = sentence.text
        if i and (narrative.opens_on_what_came_before(text) or _another_characters_pronoun(sentence, mentions, know)
                  or narrative.ANNOUNCEMENT.search(sentences[i - 1].text) or _UNTAGGED_QUOTE.fullmatch(text)
                  or _refers_back_with_it(_QUOTED.sub("", text))):
            bound[i] = min(bound[i], i - 1)
        for reference, licensor in narrative.definite_references(text):
            reach = 0 if narrative.is_event_reference(reference) else max(0, i - narrative.WINDOW)
            j = next((j for j in range(i - 1, reach - 1, -1) if licensor.search(sentences[j].text)), None)
            if j is not None:
                bound[i] = min(bound[i], j)
        for j in _told_before(sentences, i, hero):
            bound[i] = min(bound[i], j)
        if i and _bridges(sentences, i, hero):
            bound[i] = min(bound[i], i - 1)
        for event in narrative.setups(text):
            k = next((k for k in range(i + 1, len(sentences)) if narrative.pays_off(event, sentences[k].text)), None)
            if k is not None:
                bound[k] = min(bound[k], i)
    return bound


_DETERMINED = re.compile(r"\b(?:[Tt]he|[Tt]hat|[Tt]hose|[Tt]his|[Tt]hese) ((?:[a-z][\w-]* ){0,3}[a-z][\w-]*)")
_NOUN_REACH = 2  # sentences back in which a repeated noun is the same thing
# Words that make a definite phrase one of a kind, not a reference back ("the largest city", "the first time").
_UNIQUE = frozenset(["national", "annual", "international", "world", "first", "next", "last", "final", "same",
                     "following", "upcoming", "only", "whole", "entire"])
# What a story calls its hero ("a young musician named X", "X was a singer-songwriter"): no reference to another sentence.
_EPITHET = re.compile(r"\b(?:an?|the) (?:[\w-]+ ){0,3}?([a-z][\w-]*) named\b|\b(?:was|is|became) an? ((?:[\w-]+ ){0,3}[a-z][\w-]*)")


def _noun_lemmas(words: list[str]) -> set[str]:
    return {lemma for w in words for lemma in lemmas(w).get("NOUN", ())}


def _verb_lemmas(words: list[str]) -> set[str]:
    return {lemma for w in words for lemma in lemmas(w).get("VERB", ())}


_IT = re.compile(r"\b([a-z]+) it\b(?! (?:to|that|was|is)\b)(?: ([a-z]+))?")


def _refers_back_with_it(text: str) -> bool:
    """Whether "it" stands as the object of a verb or a preposition ("on it, badly", "lets him
    keep it"): it refers to a thing told before ("made it big", "found it hard to" do not)."""
    return any((m.group(1) in _PREPOSITIONS or "VERB" in lemmas(m.group(1))) and "make" not in lemmas(m.group(1)).get("VERB", ())
               and not (m.group(2) and set(lemmas(m.group(2))) & {"ADJ", "ADV"} and "NOUN" not in lemmas(m.group(2)))
               for m in _IT.finditer(text))


_PREPOSITIONS = frozenset(["on", "with", "of", "in", "into", "onto", "to", "from", "at", "for", "about", "without", "under", "over"])


COMMON_IN_ENGLISH = 5.5  # Zipf frequency (wordfreq) from which a noun is everywhere: "the end", "the way", "the time"


def _common(noun: str) -> bool:
    from wordfreq import zipf_frequency  # learning-only dependency

    return zipf_frequency(noun, "en") >= COMMON_IN_ENGLISH


def _head(words: list[str]) -> str | None:
    """The head noun of a phrase after its determiner: past its adjectives, the last of the nouns
    that follow them (None if no noun comes, or a word makes the phrase one of a kind)."""
    k = 0
    while k < len(words) and set(lemmas(words[k])) == {"ADJ"}:
        if words[k] in _UNIQUE or words[k].endswith("est"):
            return None
        k += 1
    nouns = []
    while k < len(words) and "NOUN" in lemmas(words[k]) and words[k] not in narrative._STOPWORDS:
        nouns.append(words[k])
        k += 1
    return nouns[-1] if nouns and not set(words[:k]) & _UNIQUE else None



def epithets(text: str) -> set[str]:
    """The nouns a seed calls people by in a predicate or before a name: its hero's epithets."""
    return _noun_lemmas([w for m in _EPITHET.finditer(text) for group in m.groups() if group for w in group.split()])


def _told_before(sentences: list[Sentence], i: int, hero: set[str]) -> list[int]:
    """The sentences a definite noun phrase of sentence i leans on, whatever its noun: the
    nearest of the last two that names the same noun ("his father's cousin" ... "The cousin lets
    him keep it"), and for "the decade" or "that year", the nearest that names a year. A phrase
    the sentence licenses itself, or one that names the hero ("the young musician"), leans on none."""
    text = sentences[i].text
    found = []
    for match in _DETERMINED.finditer(text):
        head = _head(match.group(1).split())
        nouns = _noun_lemmas([head]) - hero if head else set()
        dated = bool(nouns & {"decade", "year"})
        if not nouns or (_common(head or "") and not dated) or nouns & _noun_lemmas(re.findall(r"[a-z]+", text[:match.start()].lower())):
            continue
        if any(pattern.match(head or "") for pattern, _ in narrative.LICENSORS):
            continue  # a scene's noun ("the crowd"): `narrative.definite_references` binds it
        reach = narrative.WINDOW if dated else _NOUN_REACH
        doers = {n[:-2] for n in nouns if n.endswith("er")}  # "those players" after "has played": who did it
        for j in range(i - 1, max(0, i - reach) - 1, -1):
            words = re.findall(r"[a-z]+", sentences[j].text.lower())
            if (narrative.YEAR.search(sentences[j].text) if dated else nouns & _noun_lemmas(words) or doers & _verb_lemmas(words)):
                found.append(j)
                break
    return found


# A sentence's subject, after at most a short opening phrase ("In 1998, the ...").
_OPENING_DEFINITE = re.compile(r"^(?:[A-Z][\w ,'-]{0,40}?, )?(?:[Tt]he|[Tt]hose|[Tt]hese) ((?:[a-z][\w-]* ){0,3}[a-z][\w-]*)")


def _bridges(sentences: list[Sentence], i: int, hero: set[str]) -> bool:
    """Whether sentence i opens on a definite noun phrase for something no earlier sentence
    named ("The sessions took place ..." after an invitation to record, "The adjudicators
    awarded ..." after a competition): a reader takes it as a part of the scene just told, so
    it leans on the sentence before. Not when a name follows it ("The critic S. K. Ghoshal"),
    the noun is everywhere in English, or a scene's noun `narrative.definite_references` binds."""
    match = _OPENING_DEFINITE.match(sentences[i].text)
    if not match:
        return False
    words = match.group(1).split()
    head = _head(words)
    if head is None or _common(head) or any(pattern.match(head) for pattern, _ in narrative.LICENSORS):
        return False
    nouns = _noun_lemmas([head]) - hero
    at = re.search(rf"\b{re.escape(head)}\b", match.group(1))
    after = sentences[i].text[match.start(1) + (at.end() if at else len(match.group(1))):]
    if not nouns or re.match(r"\s+[A-Z]", after):
        return False
    earlier = re.findall(r"[a-z]+", " ".join(s.text for s in sentences[:i]).lower())
    return not nouns & _noun_lemmas(earlier)


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
        # (only the hope itself is left out: "set his sights on stardom, relocating to X" moves).
        done = " ".join(re.sub(narrative.GOAL.pattern + r"[^,.;]*", "", sentences[i].text, flags=re.IGNORECASE).lower()
                        for i in unit.sentences)
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
    the city abroad, the competition, the mentor, a relative, a teacher or an associate by their
    name (or a pronoun of theirs)."""
    role = slot.partition(".")[0]
    return know.discourse_slots.get(slot) or (role if role in slot_table().kin or role in NAMED_ROLES else "")


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

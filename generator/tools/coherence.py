"""What a careful reader notices in a story, found by general signals of English narrative.

Each check looks at a story as a list of sentences (and, for generated stories, at where each
sentence came from), never at phrases of particular seeds:
- scene breaks: a sentence that leans on something no earlier sentence set up: a definite
  reference to a scene ("the crowd", "the judges", "the night"), to an event or a person
  ("the competition", "the scout"), another character's pronoun, or, in a generated story, an
  opening connective or time anaphora ("But", "As the night wore on") whose sentence no longer
  follows the one it was written after, or playing carried on ("continued to play gigs") that
  no earlier sentence told;
- unresolved threads: a setup (an invitation, an upcoming event, a booked flight) whose event
  never comes;
- time regressions: a sentence that returns to an earlier stage of the life (childhood, training,
  early gigs, the break, the rise, fame, legacy) than the story has reached;
- place jumps: after a move, a scene somewhere else with no travel (generated stories, whose
  places are annotated);
- repeated content: one salient phrase (three words, two of them content words) in two sentences;
- fragment paragraphs: a paragraph of one sentence.
The same checks run on the seeds and on other writers' corpora, which hold none of these.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model.grammar import Grammar
from ..model.narrative import (
    MOVE,
    ORIGIN,
    SAME_THING,
    WINDOW,
    ages,
    ages_run_backwards,
    carries_on_performing,
    content_words,
    definite_references,
    is_event_reference,
    opens_on_what_came_before,
    pays_off,
    salient_phrases,
    setups,
    stage_of,
    tells_performing,
)
from ..model.story import Story

_PLACE_SLOTS = ("home", "city", "capital", "largest_city", "abroad.city")

KINDS = ("scene_breaks", "unresolved_threads", "time_regressions", "place_jumps", "repeated_content", "fragment_paragraphs")

@dataclass(frozen=True)
class Sentence:
    """A sentence as the checks see it: its text, its paragraph, the place it is set in (if
    annotated), whether it moves the hero there, whether it still follows the sentence it was
    written after (None: not known), and the spans of slot values in it."""

    text: str
    paragraph: int
    follows_source: bool | None = None
    place: str | None = None
    moves: bool = False
    masked: str = ""  # the text with slot values blanked, for phrases


@dataclass(frozen=True)
class Finding:
    """One thing a reader would flag: its kind, the sentence (0-based) and what it was."""

    kind: str
    sentence: int
    detail: str


def check_sentences(sentences: Sequence[Sentence]) -> list[Finding]:
    """Every finding in one story, in sentence order within each kind."""
    found: list[Finding] = []
    for check in (_scene_breaks, _unresolved_threads, _time_regressions, _place_jumps, _repeats, _fragments):
        found += check(sentences)
    return found


def _scene_breaks(sentences: Sequence[Sentence]) -> list[Finding]:
    found = []
    for i, s in enumerate(sentences):
        if s.follows_source is False and opens_on_what_came_before(s.text):
            found.append(Finding("scene_breaks", i, "leans on a sentence it no longer follows"))
            continue
        recent = " ".join(x.text for x in sentences[max(0, i - WINDOW):i])
        earlier = " ".join(x.text for x in sentences[:i])
        for reference, licensor in definite_references(s.text):
            if not licensor.search(earlier if is_event_reference(reference) else recent):
                found.append(Finding("scene_breaks", i, f"'{reference}' with nothing before it to refer to"))
                break
        else:
            if carries_on_performing(s.text) and not any(tells_performing(x.text) for x in sentences[:i]):
                found.append(Finding("scene_breaks", i, "carries on playing for people no earlier sentence told"))
    return found


def _unresolved_threads(sentences: Sequence[Sentence]) -> list[Finding]:
    found = []
    for i, s in enumerate(sentences):
        for event in sorted(setups(s.text)):
            if not any(pays_off(event, x.text) for x in sentences[i + 1:]):
                found.append(Finding("unresolved_threads", i, f"the {event} never comes"))
    return found


def _time_regressions(sentences: Sequence[Sentence]) -> list[Finding]:
    found = []
    reached = -1
    told: list[int] = []  # the ages named so far
    for i, s in enumerate(sentences):
        stage, aged = stage_of(s.text), ages(s.text)
        if stage is not None:
            if stage < reached:
                found.append(Finding("time_regressions", i, f"back to stage {stage} after stage {reached}"))
            reached = max(reached, stage)
        if ages_run_backwards(told, aged):
            found.append(Finding("time_regressions", i, f"back to age {min(aged)} after age {max(told)}"))
        told += aged
    return found


def _place_jumps(sentences: Sequence[Sentence]) -> list[Finding]:
    found = []
    here: str | None = None
    moved = False
    for i, s in enumerate(sentences):
        if s.place is None:
            continue
        if s.moves:
            here, moved = s.place, True
        elif moved and s.place != here:
            found.append(Finding("place_jumps", i, f"in {s.place} after moving to {here}, with no travel"))
            here = s.place
        elif here is None:
            here = s.place
    return found


def _repeats(sentences: Sequence[Sentence]) -> list[Finding]:
    found = []
    words = [set(content_words(x.masked or x.text)) for x in sentences]
    phrases = [salient_phrases(x.masked or x.text) for x in sentences]
    for i in range(len(sentences)):
        for j in range(i):
            again = phrases[i] & phrases[j]
            shared = words[i] & words[j]
            if again or len(shared) >= SAME_THING:
                what = f"'{sorted(again)[0]}'" if again else ", ".join(sorted(shared))
                found.append(Finding("repeated_content", i, f"{what} again (sentence {j + 1})"))
                break
    return found


def _fragments(sentences: Sequence[Sentence]) -> list[Finding]:
    sizes: dict[int, list[int]] = {}
    for i, s in enumerate(sentences):
        sizes.setdefault(s.paragraph, []).append(i)
    return [Finding("fragment_paragraphs", members[0], "a paragraph of one sentence")
            for members in sizes.values() if len(members) == 1]


def text_sentences(text: str, spans: Sequence[tuple[int, int]]) -> list[Sentence]:
    """Sentences of plain prose (a seed, another writer's story) at the given spans."""
    return [Sentence(text[a:b], text.count("\n\n", 0, a)) for a, b in spans]


def seed_predecessors(grammar: Grammar) -> dict[str, str | None]:
    """Each sentence template's predecessor in its seed (None for a seed's first sentence)."""
    predecessor: dict[str, str | None] = {}
    for record in grammar.seeds:
        ids = [sid for paragraph in record.paragraphs for sid in paragraph]
        predecessor.update(zip(ids, [None, *ids[:-1]]))
    return predecessor


def story_sentences(story: Story, predecessor: dict[str, str | None]) -> list[Sentence]:
    """A generated story's sentences, with where each came from and the places annotated."""
    text = story.text
    out = []
    previous: str | None = None
    for span in story.sentences:
        inside = [e for e in story.entities if span.start <= e.start < span.end]
        # A place named as the hero's origin ("her native X") sets no scene there.
        places = [e for e in inside if e.slot in _PLACE_SLOTS and not ORIGIN.search(text[span.start:e.start])]
        masked = list(text[span.start:span.end])
        for e in inside:
            masked[e.start - span.start:e.end - span.start] = "_" * (e.end - e.start)
        place = places[0] if places else None
        moves = place is not None and bool(MOVE.search(text[span.start:place.start]))
        out.append(Sentence(text[span.start:span.end], text.count("\n\n", 0, span.start),
                            predecessor.get(span.template) == previous,
                            None if place is None else story.values.get(place.slot), moves, "".join(masked)))
        previous = span.template
    return out


def check_story(story: Story, predecessor: dict[str, str | None]) -> list[Finding]:
    """Every finding in a generated story (`predecessor`: see `seed_predecessors`)."""
    return check_sentences(story_sentences(story, predecessor))

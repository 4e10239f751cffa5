"""The reference JSON record of a story, and what the JSON formats (JSONL, JSON) share.

`json.dumps(record(...), ensure_ascii=False)` is what the JSON formats write, and the byte
assembler (`render.records`), which writes the same bytes a batch at a time, is held to it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .. import __version__
from .base import BatchedFormat, Renderers

if TYPE_CHECKING:
    from ..model.grammar import Grammar
    from ..model.plan import Batch
    from ..model.story import Story


RECORD_VERSION = 1

# The cast shows these facts of each character, under these names; abroad.* and instrument.* are not people.
CAST_FACTS = {"name": "name", "first": "first", "age": "age", "they": "pronoun_subject",
              "them": "pronoun_object", "their": "pronoun_possessive"}
NOT_PEOPLE = ("abroad", "instrument")


def cast_layout(keys: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
    """Per character (sorted by role): the (fact, slot key) pairs the cast shows, in value order."""
    people: dict[str, list[tuple[str, str]]] = {}
    for key in keys:
        role, _, fact = key.partition(".")
        if fact in CAST_FACTS and role not in NOT_PEOPLE:
            people.setdefault(role, []).append((CAST_FACTS[fact], key))
    return dict(sorted(people.items()))


def cast(story: Story) -> dict[str, dict[str, str]]:
    """Each character with the facts about them: name, pronouns, age."""
    return {role: {fact: story.values[key] for fact, key in facts} for role, facts in cast_layout(story.values).items()}


def meta(grammar: Grammar, culture: str) -> dict[str, Any]:
    """What made a record: engine, record version, grammar and culture pack."""
    return {
        "engine": f"storygen {__version__}",
        "record_version": RECORD_VERSION,
        "grammar": grammar.name,
        "grammar_sha256": grammar.sha256,
        "culture": culture,
    }


def record(story: Story, grammar: Grammar, culture: str) -> dict[str, Any]:
    """The JSON record of one story, with gold annotations."""
    return {
        "id": story.id,
        "seed": story.seed,
        "index": story.index,
        "text": story.text,
        "pronouns": story.pronouns,
        "arc": list(story.arc),
        "cast": cast(story),
        "slots": {key: story.values[key] for key in sorted(grammar.slots) if key in story.values},
        "entities": [
            {"start": e.start, "end": e.end, "label": e.label, "slot": e.slot, "entity": e.entity}
            for e in story.entities
        ],
        "sentences": [
            {"start": s.start, "end": s.end, "phase": s.phase, "template": s.template, "source": s.source}
            for s in story.sentences
        ],
        "phases": [{"phase": p.phase, "start": p.start, "end": p.end} for p in story.phases],
        "meta": meta(grammar, culture),
    }


class RecordFormat(BatchedFormat):
    """A format of JSON records: each record after `before` and followed by `after`, except that
    the record opening the output comes after `opening` instead."""

    before = ""
    opening = ""
    after = ""

    def chunk(self, story: Story, grammar: Grammar, culture: str, first: bool) -> str:
        lead = self.opening if first else self.before
        return lead + json.dumps(record(story, grammar, culture), ensure_ascii=False) + self.after

    def batch(self, renderers: Renderers, batch: Batch, first: bool) -> list[bytes]:
        described = meta(renderers.grammar, renderers.culture.name)
        return renderers.record_renderer.records_chunk(batch, described, self.before, self.after, self.opening if first else None)

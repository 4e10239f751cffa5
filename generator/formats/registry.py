"""Write stories in the fixture formats.

Every format is a header, one chunk per story and a footer, so chunks made in worker processes
can be joined in order and give the same bytes as a single process.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .. import __version__
from ..model.grammar import Grammar
from ..model.story import Story

STORY_BREAK = "\n* * *\n\n"
RECORD_VERSION = 1
EXTENSIONS = {".txt": "text", ".jsonl": "jsonl", ".json": "json", ".md": "markdown", ".csv": "csv", ".conll": "conll"}
CSV_FIELDS = ("id", "seed", "index", "pronouns", "arc", "text")
_TOKEN = re.compile(r"n't\b|'(?:s|d|ll|re|ve|m)\b|\w+(?=n't\b)|\w+(?:-\w+)*|[^\w\s]")


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


def csv_slots(grammar: Grammar) -> list[str]:
    """Slots that get a CSV column: facts, not pronoun forms or agreeing words."""
    return sorted(k for k, t in grammar.slots.items() if t.label not in ("PRONOUN", "AGREEMENT"))


def _csv_row(story: Story, grammar: Grammar) -> str:
    buffer = io.StringIO()
    row = [story.id, story.seed, story.index, story.pronouns, " -> ".join(story.arc), story.text]
    row += [story.values.get(key, "") for key in csv_slots(grammar)]
    csv.writer(buffer, lineterminator="\n").writerow(row)
    return buffer.getvalue()


def _csv_header(grammar: Grammar) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([*CSV_FIELDS, *csv_slots(grammar)])
    return buffer.getvalue()


def conll_tokens(story: Story) -> list[list[tuple[str, str]]]:
    """Sentences of (token, BIO tag); entity edges are always token edges. Pronouns are not tagged."""
    entities = [e for e in story.entities if e.label != "PRONOUN"]
    sentences = []
    for s in story.sentences:
        cuts = sorted({s.start, s.end, *(p for e in entities if s.start <= e.start < s.end for p in (e.start, e.end))})
        tokens: list[tuple[str, str]] = []
        for lo, hi in zip(cuts, cuts[1:]):
            entity = next((e for e in entities if e.start == lo and e.end == hi), None)
            for k, match in enumerate(_TOKEN.finditer(story.text, lo, hi)):
                tag = "O" if entity is None else ("B-" if k == 0 else "I-") + entity.label
                tokens.append((match.group(0), tag))
        sentences.append(tokens)
    return sentences


def _conll(story: Story) -> str:
    lines = ["-DOCSTART-\tO", ""]
    for sentence in conll_tokens(story):
        lines += [f"{token}\t{tag}" for token, tag in sentence]
        lines.append("")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Format:
    """How one output format frames and writes stories."""

    name: str
    header: Callable[[Grammar], str]
    chunk: Callable[[Story, Grammar, str, bool], str]  # (story, grammar, culture, first) -> text
    footer: Callable[[bool], str]  # (wrote anything) -> text


def _text_chunk(story: Story, grammar: Grammar, culture: str, first: bool) -> str:
    return ("" if first else STORY_BREAK) + story.text + "\n"


FORMATS: dict[str, Format] = {
    "text": Format("text", lambda g: "", _text_chunk, lambda wrote: ""),
    "jsonl": Format("jsonl", lambda g: "",
                    lambda s, g, c, first: json.dumps(record(s, g, c), ensure_ascii=False) + "\n", lambda wrote: ""),
    "json": Format("json", lambda g: "[",
                   lambda s, g, c, first: ("\n" if first else ",\n") + json.dumps(record(s, g, c), ensure_ascii=False),
                   lambda wrote: "\n]\n" if wrote else "]\n"),
    "markdown": Format("markdown", lambda g: "",
                       lambda s, g, c, first: ("" if first else "\n") + f"## Story {s.id}\n\n{s.text}\n",
                       lambda wrote: ""),
    "csv": Format("csv", _csv_header, lambda s, g, c, first: _csv_row(s, g), lambda wrote: ""),
    "conll": Format("conll", lambda g: "", lambda s, g, c, first: _conll(s), lambda wrote: ""),
}

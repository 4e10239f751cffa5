"""Write stories in the fixture formats; every record carries seed and index."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from . import __version__
from .grammar import Grammar
from .render import Story

FORMATS = ("text", "jsonl")
EXTENSIONS = {".txt": "text", ".jsonl": "jsonl"}
STORY_BREAK = "\n* * *\n\n"
RECORD_VERSION = 1


def write_texts(texts: Iterable[str], out: TextIO) -> None:
    """Plain text: paragraphs split by blank lines, stories by a '* * *' line."""
    first = True
    for text in texts:
        if not first:
            out.write(STORY_BREAK)
        out.write(text)
        out.write("\n")
        first = False


def record(story: Story, grammar: Grammar) -> dict[str, Any]:
    """The JSON record of one story, with gold annotations."""
    return {
        "id": story.id,
        "seed": story.seed,
        "index": story.index,
        "text": story.text,
        "pronouns": story.pronouns,
        "arc": list(story.arc),
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
        "meta": {
            "engine": f"storygen {__version__}",
            "record_version": RECORD_VERSION,
            "grammar": grammar.name,
            "grammar_sha256": grammar.sha256,
        },
    }


def write_jsonl(stories: Iterable[Story], grammar: Grammar, out: TextIO) -> None:
    """One JSON object per line, keys in a fixed order, UTF-8 kept as is."""
    for story in stories:
        out.write(json.dumps(record(story, grammar), ensure_ascii=False))
        out.write("\n")

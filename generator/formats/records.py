"""The reference JSON record of a story, and what the JSON formats (JSONL, JSON) share.

`record` builds the record's dict field by field in the order of the layout (`model.record`);
`json.dumps(record(...), ensure_ascii=False)` is what the JSON formats write, and the byte
assembler (`render.records`), which writes the same bytes a batch at a time, is held to it.
The layout is imported by the functions that read it, so that only JSON output loads it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .. import __version__
from .base import BatchedFormat, Renderers

if TYPE_CHECKING:
    from ..model.grammar import Grammar
    from ..model.plan import Batch
    from ..model.provenance import Provenance
    from ..model.story import Story
    from ..render.batch import Sections


def told(story: Story) -> list[str]:
    """The slot keys whose values a record shows: those the story's text names, in the order of
    its values."""
    named = set(story.told)
    return [key for key in story.values if key in named]


def cast(story: Story) -> dict[str, dict[str, str | int]]:
    """Each character the text names a fact of, with those facts: name, pronouns, age."""
    from ..model.record import cast_layout, json_value

    return {role: {fact: json_value(key, story.values[key]) for fact, key in facts}
            for role, facts in cast_layout(told(story)).items()}


def meta(made: Provenance) -> dict[str, Any]:
    """What made a record: engine, record version, grammar, culture pack, profile, split,
    controls and run (in the layout's order)."""
    from ..model.record import CONTROLS, META, RECORD_VERSION, RUN, json_value

    c = made.controls
    controls = {"set": {key: json_value(key, value) for key, value in c.values.items()}, "pronouns": c.pronouns,
                "phases": None if c.phases is None else list(c.phases), "min_sentences": c.min_sentences,
                "max_sentences": c.max_sentences}
    run = {"seed": made.seed, "start": made.start, "count": made.count}
    values = {"engine": f"storygen {__version__}", "record_version": RECORD_VERSION, "grammar": made.grammar,
              "grammar_sha256": made.grammar_sha256, "culture": made.culture, "culture_sha256": made.culture_sha256,
              "profile": made.profile, "split": made.split,
              "controls": {f.name: controls[f.name] for f in CONTROLS}, "run": {f.name: run[f.name] for f in RUN}}
    return {field.name: values[field.name] for field in META}


def record(story: Story, grammar: Grammar, made: Provenance) -> dict[str, Any]:
    """The JSON record of one story, with gold annotations. A field the layout lists with fields
    of its own is a list of the story's objects (entities, sentences, phases), each read off by
    those fields' names; any other field is the story's attribute of that name unless made here."""
    from ..model.record import RECORD, json_value, slot_keys

    built = {
        "arc": list(story.arc),
        "cast": cast(story),
        "slots": {key: json_value(key, story.values[key]) for key in slot_keys(grammar, told(story))},
        "meta": meta(made),
    }
    out: dict[str, Any] = {}
    for field in RECORD:
        if field.name in built:
            out[field.name] = built[field.name]
        elif field.fields:
            out[field.name] = [{f.name: getattr(item, f.name) for f in field.fields} for item in getattr(story, field.name)]
        else:
            out[field.name] = getattr(story, field.name)
    return out


class RecordFormat(BatchedFormat):
    """A format of JSON records: each record after `before` and followed by `after`, except that
    the record opening the output comes after `opening` instead."""

    before = ""
    opening = ""
    after = ""

    def chunk(self, story: Story, grammar: Grammar, made: Provenance, first: bool) -> str:
        lead = self.opening if first else self.before
        return lead + json.dumps(record(story, grammar, made), ensure_ascii=False) + self.after

    def sections(self, renderers: Renderers, batch: Batch, made: Provenance, first: bool) -> Sections:
        return renderers.record_renderer.record_sections(batch, meta(made), self.before, self.after, self.opening if first else None)

    def recorded(self, content: str) -> dict[str, Any] | None:
        first = self.records(content)
        return first[0].get("meta") if first and isinstance(first[0], dict) else None



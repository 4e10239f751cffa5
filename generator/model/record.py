"""What a JSON record holds, in one place: its fields in order, each with its JSON Schema and meaning.

Everything that writes or describes a record reads this layout: the reference record
(`formats.records.record`), the byte assembler (`render.records`, whose framing strings come from
these names and whose field order is checked against them) and the JSON Schema (`tools.schema`).
A field of an object, or of the objects in an array, is named like the attribute of the model
type it is read from (`Entity.start`, `SentenceSpan.template`, ...).
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .grammar import Grammar
from .slots import slot_table

RECORD_VERSION = 2  # 2: meta records everything that made the record; slots and cast only what the text tells


@dataclass(frozen=True)
class Field:
    """One field: its name, the JSON Schema of its value (for an object, or an array of objects,
    without the objects' properties) and what it means; for an object or an array of objects, the
    objects' fields in order."""

    name: str
    schema: Mapping[str, Any]
    description: str = ""
    fields: tuple[Field, ...] = ()


_OFFSET = {"type": "integer", "minimum": 0}
_NUMBERS = [key for key, spec in slot_table().slots.items() if spec.source is not None and spec.source.kind == "age"]
_INTEGER, _TEXT = {"type": "integer"}, {"type": "string"}
_VALUES = {"type": "object", "properties": {key: _INTEGER for key in _NUMBERS}, "additionalProperties": _TEXT}
_FACTS = {"type": "object", "properties": {slot_table().cast_fact(key): _INTEGER for key in _NUMBERS if slot_table().cast_fact(key)},
          "additionalProperties": _TEXT}

SPAN = (Field("start", _OFFSET, "offset in text of the first character"),
        Field("end", _OFFSET, "offset in text just past the last character"))

ENTITY = (
    *SPAN,
    Field("label", {"enum": list(slot_table().labels)}, "entity label of the slot (from the slot table)"),
    Field("slot", {"type": "string"}, "key of the slot whose value this mention is"),
    Field("entity", {"type": "string"}, "shared by every mention of one entity, pronouns included"),
)

SENTENCE = (
    *SPAN,
    Field("phase", {"type": "string"}, "phase of the arc the sentence tells"),
    Field("template", {"type": "string"}, "id of the sentence template"),
    Field("source", {"type": "string"}, "seed file the template was learned from"),
)

PHASE = (Field("phase", {"type": "string"}, "phase of the arc"), *SPAN)

_SHA256 = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
CONTROLS = (
    Field("set", {"type": "object", "properties": _VALUES["properties"], "additionalProperties": _TEXT}, "slot values fixed by --set, by slot key (ages as numbers)"),
    Field("pronouns", {"enum": ["he", "she", "they", None]}, "the pronoun set fixed by --set pronouns=..., or null"),
    Field("phases", {"type": ["array", "null"], "items": {"type": "string"}}, "the phases --phases keeps, or null for all"),
    Field("min_sentences", {"type": "integer", "minimum": 0}, "--sentences' minimum (0: none)"),
    Field("max_sentences", {"type": ["integer", "null"], "minimum": 1}, "--sentences' maximum, or null for none"),
)

RUN = (
    Field("seed", {"type": "integer", "minimum": 0}, "the run's seed (--seed)"),
    Field("start", {"type": "integer", "minimum": 0}, "index of the run's first story (--start)"),
    Field("count", {"type": "integer", "minimum": 0}, "how many stories the run wrote (--count)"),
)

META = (
    Field("engine", {"type": "string"}, "'storygen <version>'"),
    Field("record_version", {"const": RECORD_VERSION}, "version of this record layout"),
    Field("grammar", {"type": "string"}, "name of the grammar"),
    Field("grammar_sha256", _SHA256, "SHA-256 of the grammar file's text"),
    Field("culture", {"type": "string"}, "culture pack the names and places come from"),
    Field("culture_sha256", _SHA256, "SHA-256 of the culture pack file's text"),
    Field("profile", {"type": "string"}, "the profile overlaid on the culture pack (--profile)"),
    Field("split", {"enum": ["train", "test", None]}, "the template split used (--split), or null for all templates"),
    Field("controls", {"type": "object"}, "what --set, --phases and --sentences fixed", CONTROLS),
    Field("run", {"type": "object"}, "the run the record belongs to, so a missing record can be told", RUN),
)

RECORD = (
    Field("id", {"type": "string", "pattern": "^[0-9]+-[0-9]+$"}, "'<seed>-<index>'"),
    Field("seed", {"type": "integer", "minimum": 0}, "seed the story was drawn with"),
    Field("index", {"type": "integer", "minimum": 0}, "index of the story under its seed"),
    Field("text", {"type": "string", "minLength": 1}, "the story: paragraphs split by blank lines"),
    Field("pronouns", {"enum": ["he", "she", "they"]}, "the protagonist's pronoun set"),
    Field("arc", {"type": "array", "items": {"type": "string"}, "minItems": 1}, "the phases the story tells, in order"),
    Field("cast", {"type": "object", "additionalProperties": _FACTS},
          "each character the text names a fact of, by role: those facts (name, age, pronouns), ages as numbers"),
    Field("slots", _VALUES, "the value of every slot the text names, by slot key (ages as numbers); values drawn but not told are left out"),
    Field("entities", {"type": "array"}, "every mention of a slot's value, pronouns included", ENTITY),
    Field("sentences", {"type": "array", "minItems": 1}, "each sentence, with its phase and where its template came from", SENTENCE),
    Field("phases", {"type": "array", "minItems": 1}, "each run of sentences that tells one phase", PHASE),
    Field("meta", {"type": "object"}, "what made the record: engine, record version, grammar, culture pack, profile, split, controls and run", META),
)


def cast_layout(keys: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
    """Per character (sorted by role): the (cast fact, slot key) pairs its cast object shows, in
    the order of `keys`. Which slots are cast facts, and under what name, is the slot table's."""
    table = slot_table()
    people: dict[str, list[tuple[str, str]]] = {}
    for key in keys:
        fact = table.cast_fact(key)
        if fact:
            people.setdefault(key.partition(".")[0], []).append((fact, key))
    return dict(sorted(people.items()))


def slot_keys(grammar: Grammar, filled: Container[str]) -> list[str]:
    """The keys a record's `slots` object shows: the grammar's slots that have a value, sorted."""
    return [key for key in sorted(grammar.slots) if key in filled]


def json_value(key: str, value: str) -> str | int:
    """A slot's value as a record writes it: a number for a slot whose values are numbers (an
    age), the text otherwise. Which slots those are is the slot table's."""
    spec = slot_table().get(key)
    return int(value) if spec is not None and spec.source is not None and spec.source.kind == "age" else value

"""What a template claims about the values it is filled with, read from its words alone.

"the small village of {{ home }}" holds only if home is a village; "lifted the
{{ instrument.name }} to her chest" only if the instrument is held; "a traditional ...
instrument" only if it is traditional in the story's culture; a landscape or currency left as a
literal word only in a culture that has it. `derive` is a pure function of a template's parts, so
the learner stores its answer in the grammar, `storygen check` re-derives it, and it applies to
any alternative wording of a sentence as well. The sampler uses a unit only when the story's
values satisfy all its constraints (sample/constraints.py).

A constraint is written `SLOT:FACT=VALUE|VALUE`: `home:kind=village`,
`instrument.name:hold=held`, `instrument.name:traditional=yes`, `region:possessive=yes`,
`world:landscape=steppes` (the pseudo-slot `world` is the culture pack itself).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from .templates import Part

INSTRUMENT = "instrument.name"
INSTRUMENT_SLOTS = ("instrument.name", "instrument.player")
NATIONALITIES = ("nationality", "demonym")
WORLD = "world"
_CLAUSE_END = re.compile(r"[,.;:!?\u2013\u2014]")


@dataclass(frozen=True)
class Constraint:
    """One claim: the fact `fact` of slot `slot`'s value is one of `values`."""

    slot: str
    fact: str
    values: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.slot}:{self.fact}={'|'.join(self.values)}"


def parse_constraint(text: str) -> Constraint | None:
    """The constraint written `text` (see the module docstring), or None if it is malformed."""
    match = re.fullmatch(r"([a-z_][a-z0-9_.]*):([a-z_]+)=([^|=\s]+(?:\|[^|=\s]+)*)", text)
    return None if match is None else Constraint(match.group(1), match.group(2), tuple(match.group(3).split("|")))


@dataclass(frozen=True)
class World:
    """The English facts constraints are read with (data/world.json)."""

    settlement_kinds: tuple[str, ...]
    settlement_slots: tuple[str, ...]
    settlement_words: dict[str, tuple[str, ...]]
    holds: dict[str, tuple[re.Pattern[str], ...]]
    playing: dict[str, tuple[re.Pattern[str], ...]]
    parts_played: dict[str, tuple[re.Pattern[str], ...]]  # words for an instrument's parts or players, slot or no slot
    traditional: re.Pattern[str]
    languages: re.Pattern[str]
    possessive_slots: tuple[str, ...]
    landscapes: tuple[str, ...]
    currencies: tuple[str, ...]


def _patterns(raw: dict[str, list[str]]) -> dict[str, tuple[re.Pattern[str], ...]]:
    return {key: tuple(re.compile(p, re.IGNORECASE) for p in patterns) for key, patterns in raw.items()}


@lru_cache(maxsize=1)
def world() -> World:
    """The packaged world facts (read once)."""
    raw: dict[str, Any] = json.loads(resources.files("generator").joinpath("data/world.json").read_text("utf-8"))
    return World(tuple(raw["settlement_kinds"]), tuple(raw["settlement_slots"]),
                 {word: tuple(kinds) for word, kinds in raw["settlement_words"].items()},
                 _patterns(raw["holds"]), _patterns(raw["playing"]), _patterns(raw["parts_played"]), re.compile(raw["traditional"], re.IGNORECASE),
                 re.compile(raw["languages"], re.IGNORECASE), tuple(raw["possessive_slots"]),
                 tuple(raw["landscapes"]), tuple(raw["currencies"]))


def _marked(parts: tuple[Part, ...], index: int) -> str:
    """The template's text with part `index` written as @ and every other slot as _."""
    return "".join(p if isinstance(p, str) else ("@" if i == index else "_") for i, p in enumerate(parts))


def _clause(text: str, at: int) -> str:
    """The clause of `text` around position `at` (between punctuation marks)."""
    start = max((m.end() for m in _CLAUSE_END.finditer(text, 0, at)), default=0)
    end = next((m.start() for m in _CLAUSE_END.finditer(text, at + 1)), len(text))
    return text[start:end]


def _settlement(w: World, before: str, slot: str) -> list[Constraint]:
    """A settlement word in the phrase before a place ('the small village of', 'bustling streets of')."""
    phrase = _CLAUSE_END.split(before)[-1].lower()
    kinds: set[str] | None = None
    for word, allowed in w.settlement_words.items():
        if re.search(rf"\b{word}\b", phrase):
            kinds = set(allowed) if kinds is None else kinds & set(allowed)
    if kinds is None:
        return []
    return [Constraint(slot, "kind", tuple(k for k in w.settlement_kinds if k in kinds) or ("none",))]


def _instrument(w: World, parts: tuple[Part, ...], index: int) -> list[Constraint]:
    text = _marked(parts, index)
    clause = _clause(text, text.index("@"))
    found = [Constraint(INSTRUMENT, "hold", (hold,)) for hold, patterns in w.holds.items()
             if any(p.search(clause) for p in patterns)]
    found += [Constraint(INSTRUMENT, "played", (how,)) for how, patterns in w.playing.items()
              if any(p.search(text) for p in patterns)]
    if w.traditional.search(text):
        found.append(Constraint(INSTRUMENT, "traditional", ("yes",)))
    return found


def _after(parts: tuple[Part, ...], index: int) -> str:
    return parts[index + 1] if index + 1 < len(parts) and isinstance(parts[index + 1], str) else ""  # type: ignore[return-value]


def _literal_words(w: World, parts: tuple[Part, ...]) -> list[Constraint]:
    """Landscape and currency words left in the text: only a culture that has them may tell it."""
    words = set(re.findall(r"[a-z]+", " ".join(p for p in parts if isinstance(p, str))))
    return ([Constraint(WORLD, "landscape", (word,)) for word in w.landscapes if word in words]
            + [Constraint(WORLD, "currency", (word,)) for word in w.currencies if word in words])


def derive(parts: tuple[Part, ...]) -> tuple[str, ...]:
    """The constraints a template imposes on its values, sorted and without repeats."""
    w = world()
    found: list[Constraint] = []
    before = ""
    for index, part in enumerate(parts):
        if isinstance(part, str):
            before += part
            continue
        if part.key in w.settlement_slots:
            found += _settlement(w, before, part.key)
        if part.key in INSTRUMENT_SLOTS:
            found += _instrument(w, parts, index)
        after = _after(parts, index)
        if part.key in w.possessive_slots and after.startswith("'s"):
            found.append(Constraint(part.key, "possessive", ("yes",)))
        if part.key in NATIONALITIES and w.languages.search(after):
            found.append(Constraint(part.key, "language", ("yes",)))
        before += "_"
    found += _literal_words(w, parts)
    # A story has one instrument: "she first touched a drum", "the valves stick" speak of it, slot or no slot.
    literal = " ".join(p for p in parts if isinstance(p, str))
    found += [Constraint(INSTRUMENT, "played", (how,)) for how, patterns in w.parts_played.items()
              if any(p.search(literal) for p in patterns)]
    return tuple(sorted({str(c) for c in found}))

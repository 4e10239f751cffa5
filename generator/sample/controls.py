"""User controls over sampling: fixed slot values (--set), phases, length bounds, and splits.

Controls never change which draws a story reads, only what is done with them, so a story with
`--set instrument=violin` differs from the uncontrolled one only where the instrument shows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import ArgumentError, UsageError

if TYPE_CHECKING:
    from .sampler import Sampler
from ..model.controls import Controls
from ..model.culture import Culture, Instrument
from ..model.grammar import Grammar, Unit
from ..model.slots import HERO, SlotSpec, Source, slot_table
from . import rng

SPLITS = ("train", "test")
TEST_SHARE = 5  # every 5th template of each kind goes to the test split

PRONOUNS_SETTING = "pronouns"  # not a slot: it picks the hero's pronoun set
NAME_SHAPE = re.compile(r"\S+( \S+)+")
AGES = (10, 99)  # what --set age accepts


def known_instrument(name: str, culture: Culture) -> Instrument:
    """An instrument of the slot table's list, with its facts; traditional if this culture's pack is
    one of those it is traditional in."""
    facts = slot_table().instrument_facts[name]
    return Instrument(name, facts["player"], facts["family"], facts["played"], facts["hold"],
                      culture.name in facts["traditional_in"])


def _records(culture: Culture, source: Source) -> list[Any]:
    """The records a record slot can be set to: the pack's, and for instruments the known ones."""
    records: list[Any] = list(getattr(culture, source.field))
    if source.field == "instruments":
        names = {r.name for r in records}
        records += [known_instrument(n, culture) for n in slot_table().known_instruments if n not in names]
    return records


def _allowed(spec: SlotSpec, culture: Culture) -> list[str] | None:
    """The values --set accepts for a slot (None: any text of the right shape)."""
    source = spec.source
    assert source is not None
    if source.kind == "list":
        return list(getattr(culture, source.field))
    if source.kind == "choice":
        return [getattr(culture, name) for name in source.fields]
    if source.kind == "record":
        values = [getattr(r, source.key) for r in _records(culture, source)]
        return sorted(values) if source.field == "instruments" else values
    return None


def settable(culture: Culture) -> dict[str, Sequence[str] | None]:
    """Slots --set accepts, with their allowed values (None: any text of the right shape)."""
    allowed: dict[str, Sequence[str] | None] = {PRONOUNS_SETTING: ("he", "she", "they")}
    for name, specs in slot_table().settable().items():
        allowed[name] = _allowed(specs[0], culture)
    return allowed


def _values_for(spec: SlotSpec, value: str, culture: Culture, assignment: str) -> dict[str, str]:
    """The slot values one --set fixes: the slot itself and every slot drawn with it."""
    source = spec.source
    assert source is not None
    table = slot_table()
    if source.kind == "person":
        if not NAME_SHAPE.fullmatch(value):
            raise UsageError(f"--set {assignment}: expected a full name such as 'Aigerim Sultanova'")
        role = spec.key.partition(".")[0]
        parts = {"full": value, "given": value.split(" ")[0], "surname": value.split(" ")[-1]}
        fixed = {key: parts[s.source.part] for key, s in table.slots.items()
                 if s.source is not None and s.source.kind == "person" and key.startswith(f"{role}.") and s.source.part in parts}
        if role == HERO:  # the family's name is the hero's
            fixed |= {key: parts["surname"] for key, s in table.slots.items() if s.source is not None and s.source.part == "family"}
        return fixed
    if source.kind == "age":
        if not value.isdigit() or not AGES[0] <= int(value) <= AGES[1]:
            raise UsageError(f"--set {assignment}: age must be a whole number from {AGES[0]} to {AGES[1]}")
        return {spec.key: value}
    if source.kind == "record":
        record = next(r for r in _records(culture, source) if getattr(r, source.key) == value)
        return {key: getattr(record, s.source.key) for key, s in table.slots.items()
                if s.source is not None and s.source.kind == "record" and (s.source.field, s.source.draw) == (source.field, source.draw)}
    return {spec.key: value}


def parse_settings(assignments: Sequence[str], culture: Culture) -> tuple[dict[str, str], str | None]:
    """Turn ['instrument=violin', 'pronouns=they'] into slot values, or raise a UsageError."""
    values: dict[str, str] = {}
    pronouns = None
    if not assignments:
        return values, pronouns
    allowed = settable(culture)
    specs = slot_table().settable()
    for assignment in assignments:
        key, sep, value = assignment.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not value:
            raise UsageError(f"--set {assignment}: expected SLOT=VALUE, e.g. instrument=dombra")
        if key not in allowed:
            raise UsageError(f"--set {assignment}: unknown slot '{key}' (settable: {', '.join(allowed)})")
        options = allowed[key]
        if options is not None and value not in options:
            raise UsageError(f"--set {assignment}: unknown {key} '{value}' (allowed: {', '.join(options)})")
        if key == PRONOUNS_SETTING:
            pronouns = value
        else:
            values.update(_values_for(specs[key][0], value, culture, assignment))
    return values, pronouns


def parse_phases(text: str) -> tuple[str, ...]:
    """'origin,triumph' -> ('origin', 'triumph'); `check_controls` holds them against a grammar."""
    phases = tuple(p.strip() for p in text.split(",") if p.strip())
    if not phases:
        raise UsageError(f"--phases {text!r}: expected phase names separated by commas, e.g. origin,struggle")
    return phases


def check_controls(controls: Controls, grammar: Grammar) -> None:
    """Reject phases or a pronoun set the grammar does not have, rather than failing later."""
    unknown = [p for p in controls.phases or () if p not in grammar.phases]
    if unknown:
        raise ArgumentError(f"{{}}: unknown phase '{unknown[0]}' (known: {', '.join(grammar.phases)})",
                            "controls.phases", "--phases")
    if controls.pronouns is not None and controls.pronouns not in grammar.pronoun_weights:
        raise ArgumentError(f"{{}}: the grammar has no such pronoun set (it has: {', '.join(grammar.pronoun_weights)})",
                            "controls.pronouns", f"--set pronouns={controls.pronouns}", f"controls.pronouns={controls.pronouns!r}")


def parse_sentences(text: str) -> tuple[int, int | None]:
    """'12:20' -> (12, 20); '12:' -> (12, None); ':20' -> (0, 20); '15' -> (15, 15)."""
    match = re.fullmatch(r"(\d*)(:?)(\d*)", text.strip())
    if not match or not (match.group(1) or match.group(3)):
        raise UsageError(f"--sentences {text}: expected MIN:MAX, e.g. 10:20")
    low = int(match.group(1) or 0)
    high = int(match.group(3)) if match.group(3) else (None if match.group(2) else low)
    if high is not None and (high < low or high < 1):
        raise UsageError(f"--sentences {text}: the maximum must be at least 1 and not below the minimum")
    return low, high


def split_grammar(grammar: Grammar, split: str) -> Grammar:
    """Keep the units of one split. Each kind of unit (intro or not, per phase) is divided by a
    hash of its id, so the two splits share no template and each can still tell a whole arc."""
    if split not in SPLITS:
        raise ArgumentError(f"{{}}: unknown split (known: {', '.join(SPLITS)})", "split", f"--split {split}", f"split={split!r}")
    kept: list[Unit] = []
    groups: dict[tuple[str, bool], list[Unit]] = {}
    for unit in grammar.units:
        groups.setdefault((unit.phase, unit.intro), []).append(unit)
    for units in groups.values():
        ranked = sorted(units, key=lambda u: rng.decision_key(f"split:{u.id}"))
        test = {u.id for k, u in enumerate(ranked) if k % TEST_SHARE == 0}
        kept += [u for u in units if (u.id in test) == (split == "test")]
    order = {u.id: k for k, u in enumerate(grammar.units)}
    return replace(grammar, units=tuple(sorted(kept, key=lambda u: order[u.id])))


PROBE = 2048  # stories of seed 0 drawn to see which lengths the grammar makes within --sentences bounds


def length_bounds(controls: Controls) -> tuple[int, int | float]:
    """The lengths --sentences allows: at least one sentence, and no maximum if none was given."""
    high = controls.max_sentences
    return max(controls.min_sentences, 1), float("inf") if high is None else high


def usual_lengths(grammar: Grammar) -> tuple[int, int]:
    """The lengths a story should have when --sentences gives none: the seeds' own, from a tenth
    (rounded down) short of the shortest to a tenth past the longest (seeds of 15 to 20 sentences
    make 14 to 22): a story much shorter than any seed reads as cut off, a much longer one as padded."""
    sizes: dict[str, int] = {}
    for unit in grammar.units:
        for sentence in unit.sentences:
            sizes[sentence.source.seed] = sizes.get(sentence.source.seed, 0) + 1
    low, high = min(sizes.values(), default=1), max(sizes.values(), default=1)
    return max(1, low - low // 10), high + high // 10


def wanted_lengths(controls: Controls, grammar: Grammar) -> tuple[int, int | float]:
    """The lengths the sampler aims each story at: --sentences' bounds if given, else the seeds'."""
    if controls.min_sentences > 0 or controls.max_sentences is not None:
        return length_bounds(controls)
    return usual_lengths(grammar)


def describe_bounds(controls: Controls) -> str:
    """'10 to 16' or 'at least 20': the lengths --sentences allows, in words."""
    low = max(controls.min_sentences, 1)
    return f"{low} to {controls.max_sentences}" if controls.max_sentences is not None else f"at least {low}"


def check_lengths(sampler: Sampler) -> None:
    """Refuse --sentences bounds the grammar cannot keep, naming the lengths it makes: the bounds
    must hold for every one of PROBE stories (of seed 0, so the answer is the same for every seed).
    A story of another seed that still falls outside them is refused when it is drawn."""
    from dataclasses import replace as with_

    from .sampler import Sampler

    low, high = length_bounds(sampler.controls)
    lengths = np.concatenate([sampler.lengths(b) for b in sampler.draw(0, 0, PROBE)])
    if ((lengths >= low) & (lengths <= high)).all():
        return
    # What it makes with the maximum alone (or no bounds), to say what can be asked for.
    relaxed = Sampler(sampler.grammar, sampler.culture, with_(sampler.controls, min_sentences=0), probe=False)
    made = np.concatenate([relaxed.lengths(b) for b in relaxed.draw(0, 0, PROBE)])
    shortest, longest = int(made.min()), int(made.max())
    c = sampler.controls
    asked = f"{c.min_sentences}:{'' if c.max_sentences is None else c.max_sentences}"
    within = describe_bounds(c)
    raise ArgumentError(f"{{}}: the grammar cannot keep every story within {within} sentences; the stories it makes "
                        f"have {shortest} to {longest} sentences"
                        + (f" (held to at most {c.max_sentences})" if c.max_sentences is not None else ""),
                        "controls.min_sentences", f"--sentences {asked}", f"controls (sentences {asked})")

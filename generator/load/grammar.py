"""A grammar's reviewable JSON form, read back with validation (writing it: `grammar_writer`). The
validation is the one `storygen check` runs too: the loader reads with a strict reader (the
first problem raises), the linter with a collecting one (see `reader`)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import GrammarError
from ..model.alternatives import sampled_variants
from ..model.constraints import derive
from ..model.grammar import Arc, Grammar, SeedRecord, SentenceTemplate, SlotType, Source, Unit
from ..model.templates import Part, slot_keys
from .alternatives import read_sentence_alternatives
from .grammar_writer import FORMAT_VERSION, to_json
from .reader import ARRAY, INTEGER, WARNING, JsonPath, Reader, complete, format_path, json_type, read_text, with_article
from .templates import parse_template

__all__ = ["FORMAT_VERSION", "load", "loads", "read_grammar", "to_json"]


# --- reading and validation --------------------------------------------------------------------
#
# One set of rules for a grammar file, run by a strict reader when loading and by a collecting
# reader in `storygen check`. Each function reads one object; a part that is wrong is reported
# and comes back as None, so a collecting reader carries on and finds the rest.

TOP_KEYS = ("format_version", "name", "phases", "pronouns", "arcs", "slots", "units", "seeds")
PRONOUN_KEYS = ("weight", "forms")
ARC_KEYS = ("phases", "lengths", "weight", "seeds")
SLOT_KEYS = ("label", "entity")
UNIT_KEYS = ("id", "phase", "intro", "events", "requires", "literals", "sentences")
SENTENCE_KEYS = ("id", "template", "source", "new_paragraph", "constraints", "alternatives")
SOURCE_KEYS = ("seed", "start", "end")
SEED_KEYS = ("file", "sha256", "pronouns", "values", "paragraphs", "trailing")


@dataclass
class GrammarParts:
    """A grammar file's sections as far as they passed validation: a section that did not is
    None, and `units` holds None for each unit that did not. Also what checks across the file
    need: every unit and sentence id and every template that parsed, broken units' included."""

    name: str | None = None
    phases: tuple[str, ...] | None = None
    pronouns: tuple[dict[str, dict[str, str]], dict[str, int]] | None = None  # forms and weight per set
    arcs: tuple[Arc, ...] | None = None
    slots: dict[str, SlotType] | None = None
    units: list[Unit | None] | None = None
    seeds: tuple[SeedRecord, ...] | None = None
    unit_ids: list[tuple[int, str]] = field(default_factory=list)
    sentence_ids: list[tuple[JsonPath, str]] = field(default_factory=list)
    templates: list[tuple[JsonPath, tuple[Part, ...]]] = field(default_factory=list)

    def complete_units(self) -> list[Unit] | None:
        """Every unit, if every one passed."""
        if self.units is None:
            return None
        units = [unit for unit in self.units if unit is not None]
        return units if len(units) == len(self.units) else None

    def grammar(self, sha256: str) -> Grammar:
        """The grammar, once every section has passed (as it has when a strict reader is done)."""
        units = self.complete_units()
        if (self.name is None or self.phases is None or self.pronouns is None or self.arcs is None
                or self.slots is None or units is None or self.seeds is None):
            raise GrammarError("internal error: a grammar with sections that did not pass validation")
        sets, weights = self.pronouns
        return Grammar(self.name, self.phases, sets, weights, self.arcs, self.slots, tuple(units), self.seeds, sha256)


def loads(text: str, where: str) -> Grammar:
    """Parse and validate grammar JSON; the first problem raises GrammarError naming its JSON path."""
    reader = Reader.parse(where, text)
    parts = read_grammar(reader)
    assert parts is not None  # a strict reader raises instead
    return parts.grammar(hashlib.sha256(text.encode("utf-8")).hexdigest())


def load(path: Path) -> Grammar:
    """Read and validate a grammar file."""
    return loads(read_text(path, "grammar"), str(path))


def read_grammar(r: Reader) -> GrammarParts | None:
    """Validate a parsed grammar section by section (None if its top level is not an object)."""
    data = r.root
    if not isinstance(data, dict):
        r.problem((), f"the top level must be a JSON object, got {with_article(json_type(data))}")
        return None
    r.object(data, (), TOP_KEYS)
    parts = GrammarParts()
    version = r.integer(data, "format_version", ())
    if version is not None and version != FORMAT_VERSION:
        r.problem(("format_version",), f"unsupported format_version {version} (this storygen reads {FORMAT_VERSION})")
    parts.name = r.string(data, "name", ())
    phases = r.array(data, "phases", ())
    parts.phases = None if phases is None else _read_phases(r, phases)
    pronouns = r.mapping(data, "pronouns", ())
    parts.pronouns = None if pronouns is None else _read_pronouns(r, pronouns)
    arcs = r.array(data, "arcs", ())
    parts.arcs = None if arcs is None else _read_arcs(r, arcs, parts.phases)
    slots = r.mapping(data, "slots", ())
    parts.slots = None if slots is None else _read_slots(r, slots)
    units = r.array(data, "units", ())
    parts.units = None if units is None else _read_units(r, units, parts)
    seeds = r.array(data, "seeds", ())
    parts.seeds = None if seeds is None else _read_seeds(r, seeds)
    _check_ids(r, parts)
    return parts


def _unknown_phase(phase: str, phases: tuple[str, ...]) -> str:
    return f"unknown phase '{phase}' (known: {', '.join(phases)})"


def _read_phases(r: Reader, raw: list[Any]) -> tuple[str, ...] | None:
    path: JsonPath = ("phases",)
    if not raw:
        r.problem(path, "no phases are defined")
        return None
    names = r.each_string(raw, path)
    if names is None:
        return None
    seen: set[str] = set()
    for k, name in enumerate(names):
        if name in seen:
            r.problem((*path, k), f"duplicate phase '{name}'")
        seen.add(name)
    return tuple(dict.fromkeys(names))


def _weight(r: Reader, obj: dict[str, Any], path: JsonPath) -> int | None:
    weight = r.integer(obj, "weight", path)
    if weight is not None and weight < 0:
        r.problem((*path, "weight"), f"weight must not be negative, got {weight}")
        return None
    return weight


def _read_pronouns(r: Reader, raw: dict[str, Any]) -> tuple[dict[str, dict[str, str]], dict[str, int]] | None:
    path: JsonPath = ("pronouns",)
    if not raw:
        r.problem(path, "no pronoun sets are defined")
        return None
    sets: dict[str, dict[str, str]] = {}
    weights: dict[str, int] = {}
    for key, spec in raw.items():
        spath = (*path, key)
        obj = r.object(spec, spath, PRONOUN_KEYS)
        if obj is None:
            continue
        weight = _weight(r, obj, spath)
        forms = r.string_values(obj, "forms", spath)
        if forms == {}:
            r.problem((*spath, "forms"), f"pronoun set '{key}' has no forms")
        if weight is not None and forms is not None:
            sets[key], weights[key] = forms, weight
    if len(sets) < len(raw):
        return None
    if not any(weights.values()):
        r.problem(path, "every pronoun set has weight 0, so no story can choose its pronouns")
        return None
    return sets, weights


def _read_arcs(r: Reader, raw: list[Any], phases: tuple[str, ...] | None) -> tuple[Arc, ...] | None:
    path: JsonPath = ("arcs",)
    if not raw:
        r.problem(path, "no arcs are defined, so no story has a shape")
        return None
    arcs = complete([_read_arc(r, arc, (*path, i), phases) for i, arc in enumerate(raw)])
    if arcs is None:
        return None
    if not any(arc.weight for arc in arcs):
        r.problem(path, "every arc has weight 0, so no story can choose an arc")
        return None
    return arcs


def _read_arc(r: Reader, raw: Any, path: JsonPath, phases: tuple[str, ...] | None) -> Arc | None:
    obj = r.object(raw, path, ARC_KEYS)
    if obj is None:
        return None
    names = _arc_phases(r, obj, path, phases)
    lengths = _arc_lengths(r, obj, path, names)
    weight = _weight(r, obj, path)
    seeds = r.strings(obj, "seeds", path)
    if names is None or lengths is None or weight is None or seeds is None:
        return None
    return Arc(names, lengths, weight, tuple(seeds))


def _arc_phases(r: Reader, obj: dict[str, Any], path: JsonPath, phases: tuple[str, ...] | None) -> tuple[str, ...] | None:
    names = r.strings(obj, "phases", path)
    if names is None:
        return None
    path = (*path, "phases")
    if not names:
        r.problem(path, "an arc needs at least one phase")
        return None
    known = True
    for k, phase in enumerate(names):
        if phases is not None and phase not in phases:
            r.problem((*path, k), _unknown_phase(phase, phases))
            known = False
        elif phase in names[:k]:
            r.problem((*path, k), f"phase '{phase}' appears twice in this arc", WARNING)
    return tuple(names) if known else None


def _arc_lengths(r: Reader, obj: dict[str, Any], path: JsonPath,
                 names: tuple[str, ...] | None) -> tuple[tuple[int, ...], ...] | None:
    rows = r.array(obj, "lengths", path)
    if rows is None:
        return None
    path = (*path, "lengths")
    if not rows:
        r.problem(path, "an arc needs at least one list of sentence counts")
        return None
    lengths: list[tuple[int, ...]] = []
    for k, row in enumerate(rows):
        if not r.expect(row, ARRAY, (*path, k)):
            continue
        wrong = [n for n in row if not (INTEGER.holds(n) and n > 0)]
        if names is not None and len(row) != len(names):
            r.problem((*path, k), f"expected {len(names)} sentence counts (one per phase), got {len(row)}")
        elif wrong:
            r.problem((*path, k), f"sentence counts must be positive integers, got {_short(wrong[0])}")
        else:
            lengths.append(tuple(row))
    return tuple(lengths) if len(lengths) == len(rows) else None


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 24 else f"{text[:20]}..."


def _read_slots(r: Reader, raw: dict[str, Any]) -> dict[str, SlotType]:
    """Every slot declared as an object, even one with a broken label or entity: templates may
    still name it, and only the broken spec is reported."""
    path: JsonPath = ("slots",)
    if not raw:
        r.problem(path, "no slots are defined, so no template can name a hero, place or instrument")
    slots: dict[str, SlotType] = {}
    for key, spec in raw.items():
        obj = r.object(spec, (*path, key), SLOT_KEYS)
        if obj is not None:
            label = r.string(obj, "label", (*path, key))
            entity = r.string(obj, "entity", (*path, key))
            slots[key] = SlotType(label or "", entity or "")
    return slots


def _read_units(r: Reader, raw: list[Any], parts: GrammarParts) -> list[Unit | None] | None:
    path: JsonPath = ("units",)
    if not raw:
        r.problem(path, "no units are defined, so there is nothing to tell")
        return None
    return [_read_unit(r, unit, (*path, i), i, parts) for i, unit in enumerate(raw)]


def _read_unit(r: Reader, raw: Any, path: JsonPath, index: int, parts: GrammarParts) -> Unit | None:
    obj = r.object(raw, path, UNIT_KEYS)
    if obj is None:
        return None
    unit_id = r.string(obj, "id", path)
    if unit_id is not None:
        parts.unit_ids.append((index, unit_id))
    phase = r.string(obj, "phase", path)
    if phase is not None and parts.phases is not None and phase not in parts.phases:
        r.problem((*path, "phase"), _unknown_phase(phase, parts.phases))
        phase = None
    intro = r.boolean(obj, "intro", path)
    events = r.strings(obj, "events", path)
    requires = r.strings(obj, "requires", path)
    literals, sentences = r.strings(obj, "literals", path) if "literals" in obj else [], _read_sentences(r, obj, path, parts)
    if unit_id is None or phase is None or intro is None or events is None or requires is None or sentences is None:
        return None
    return Unit(unit_id, phase, sentences, intro, tuple(events), tuple(requires), tuple(literals or ()))


def _read_sentences(r: Reader, unit: dict[str, Any], path: JsonPath, parts: GrammarParts) -> tuple[SentenceTemplate, ...] | None:
    raw = r.array(unit, "sentences", path)
    if raw is None:
        return None
    path = (*path, "sentences")
    if not raw:
        r.problem(path, "a unit needs at least one sentence")
        return None
    return complete([_read_sentence(r, sentence, (*path, j), parts) for j, sentence in enumerate(raw)])


def _read_sentence(r: Reader, raw: Any, path: JsonPath, parts: GrammarParts) -> SentenceTemplate | None:
    obj = r.object(raw, path, SENTENCE_KEYS)
    if obj is None:
        return None
    sentence_id = r.string(obj, "id", path)
    if sentence_id is not None:
        parts.sentence_ids.append((path, sentence_id))
    new_paragraph = r.boolean(obj, "new_paragraph", path)
    source = None
    raw_source = r.mapping(obj, "source", path, SOURCE_KEYS)
    if raw_source is not None:
        spath = (*path, "source")
        seed, start, end = r.string(raw_source, "seed", spath), r.integer(raw_source, "start", spath), r.integer(raw_source, "end", spath)
        source = None if seed is None or start is None or end is None else Source(seed, start, end)
    template = r.string(obj, "template", path)
    pieces = None if template is None else _read_template(r, template, (*path, "template"), parts)
    constraints = r.strings(obj, "constraints", path) if "constraints" in obj else list(derive(pieces or ()))  # hand-written: derived
    if sentence_id is None or new_paragraph is None or source is None or template is None or pieces is None or constraints is None:
        return None
    sentence = SentenceTemplate(sentence_id, template, source, new_paragraph, pieces, tuple(constraints))
    told = read_sentence_alternatives(r, obj, path, sentence, parts.slots)
    if told is not None:  # an alternative's slots must be filled in every story too (a pronoun form in every set)
        parts.templates += [((*path, "alternatives", k, "with"), parse_template(alt.text)) for k, alt in enumerate(told.alternatives)]
    return told


def _read_template(r: Reader, template: str, path: JsonPath, parts: GrammarParts) -> tuple[Part, ...] | None:
    pieces = r.template(template, path)
    if pieces is None:
        return None
    parts.templates.append((path, pieces))
    unknown = [key for key in slot_keys(pieces) if key not in parts.slots] if parts.slots else []
    for key in dict.fromkeys(unknown):  # no slots at all is reported once, on $.slots
        r.problem(path, f"unknown slot '{key}' (known: {', '.join(sorted(parts.slots or ()))})")
    return None if unknown else pieces


def _read_seeds(r: Reader, raw: list[Any]) -> tuple[SeedRecord, ...] | None:
    return complete([_read_seed(r, seed, ("seeds", i)) for i, seed in enumerate(raw)])


def _read_seed(r: Reader, raw: Any, path: JsonPath) -> SeedRecord | None:
    obj = r.object(raw, path, SEED_KEYS)
    if obj is None:
        return None
    file, sha256, pronouns = r.string(obj, "file", path), r.string(obj, "sha256", path), r.string(obj, "pronouns", path)
    values = r.string_values(obj, "values", path)
    paragraphs = _paragraphs(r, obj, path)
    trailing = r.string(obj, "trailing", path)
    if file is None or sha256 is None or pronouns is None or values is None or paragraphs is None or trailing is None:
        return None
    return SeedRecord(file, sha256, pronouns, values, paragraphs, trailing)


def _paragraphs(r: Reader, seed: dict[str, Any], path: JsonPath) -> tuple[tuple[str, ...], ...] | None:
    raw = r.array(seed, "paragraphs", path)
    if raw is None:
        return None
    path = (*path, "paragraphs")
    read = complete([r.each_string(ids, (*path, k)) if r.expect(ids, ARRAY, (*path, k)) else None for k, ids in enumerate(raw)])
    return None if read is None else tuple(tuple(ids) for ids in read)


def _check_ids(r: Reader, parts: GrammarParts) -> None:
    """Unit and sentence ids are unique, every unit a unit requires exists, and one can begin a story."""
    unit_ids = {unit_id: index for index, unit_id in reversed(parts.unit_ids)}  # each id's first unit
    if len(unit_ids) < len(parts.unit_ids):
        for index, unit_id in parts.unit_ids:
            if unit_ids[unit_id] != index:
                r.problem(("units", index, "id"), f"duplicate unit id '{unit_id}' (first at $.units[{unit_ids[unit_id]}])")
    sentence_ids = {sentence_id: path for path, sentence_id in reversed(parts.sentence_ids)}
    if len(sentence_ids) < len(parts.sentence_ids):
        for path, sentence_id in parts.sentence_ids:
            if sentence_ids[sentence_id] != path:
                first = format_path(sentence_ids[sentence_id])
                r.problem((*path, "id"), f"duplicate sentence id '{sentence_id}' (first at {first})")
    for i, unit in enumerate(parts.units or ()):
        for k, needed in enumerate(unit.requires if unit is not None else ()):
            if needed not in unit_ids:
                r.problem(("units", i, "requires", k), f"requires unknown unit '{needed}', so this unit can never be chosen")
    if (units := parts.complete_units()) is not None and not any(unit.intro and sampled_variants(unit) for unit in units):
        r.problem(("units",), "no unit is marked intro" + (" that a path tells without its literals (words of its seed no slot took)"
                                                          if any(u.intro for u in units) else "") + ", so no story can begin")

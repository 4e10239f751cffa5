"""A grammar's reviewable JSON form: writing it, and reading it back with validation."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..errors import GrammarError
from ..model.grammar import Arc, Grammar, SeedRecord, SentenceTemplate, SlotType, Source, Unit
from ..model.templates import slot_keys
from .templates import parse_template

FORMAT_VERSION = 1


def to_json(grammar: Grammar) -> str:
    """Serialise with a stable key order, one template per line, and a trailing newline."""
    data: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "name": grammar.name,
        "phases": list(grammar.phases),
        "pronouns": {
            key: {"weight": grammar.pronoun_weights[key], "forms": forms}
            for key, forms in grammar.pronoun_sets.items()
        },
        "arcs": [
            {"phases": list(a.phases), "lengths": [list(x) for x in a.lengths], "weight": a.weight, "seeds": list(a.seeds)}
            for a in grammar.arcs
        ],
        "slots": {key: {"label": s.label, "entity": s.entity} for key, s in grammar.slots.items()},
        "units": [_unit_json(u) for u in grammar.units],
        "seeds": [
            {
                "file": s.file,
                "sha256": s.sha256,
                "pronouns": s.pronouns,
                "values": s.values,
                "paragraphs": [list(p) for p in s.paragraphs],
                "trailing": s.trailing,
            }
            for s in grammar.seeds
        ],
    }
    text = json.dumps(data, indent=1, ensure_ascii=False)
    return _compact_leaves(text) + "\n"


def _unit_json(unit: Unit) -> dict[str, Any]:
    return {
        "id": unit.id,
        "phase": unit.phase,
        "intro": unit.intro,
        "events": list(unit.events),
        "requires": list(unit.requires),
        "sentences": [
            {
                "id": s.id,
                "template": s.template,
                "source": {"seed": s.source.seed, "start": s.source.start, "end": s.source.end},
                "new_paragraph": s.new_paragraph,
            }
            for s in unit.sentences
        ],
    }


def _compact_leaves(text: str) -> str:
    """Keep short lists and objects of scalars on one line so diffs stay readable."""
    out: list[str] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.rstrip().endswith(("[", "{")):
            j, items = i + 1, []
            while j < len(lines) and not lines[j].strip().startswith(("]", "}")):
                if lines[j].rstrip().endswith(("[", "{")):
                    break
                items.append(lines[j].strip())
                j += 1
            closing = lines[j].strip() if j < len(lines) else ""
            joined = " ".join(items)
            if closing.startswith(("]", "}")) and len(line) + len(joined) < 120:
                out.append(line + joined + closing)
                i = j + 1
                continue
        out.append(line)
        i += 1
    return "\n".join(out)


# --- loading and validation --------------------------------------------------------------------


class _Reader:
    """Pulls typed values out of parsed JSON, naming the JSON path of anything wrong."""

    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self, path: str, message: str) -> GrammarError:
        return GrammarError(f"{self.where}: {path}: {message}")

    def get(self, obj: Any, key: str, kind: type | tuple[type, ...], path: str) -> Any:
        if not isinstance(obj, dict):
            raise self.fail(path, f"expected an object, got {type(obj).__name__}")
        if key not in obj:
            raise self.fail(path, f"missing key '{key}'")
        value = obj[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            raise self.fail(f"{path}.{key}", f"expected {expected}, got {type(value).__name__}")
        return value


def loads(text: str, where: str) -> Grammar:
    """Parse and validate grammar JSON; every problem raises GrammarError naming its location."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GrammarError(f"{where}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from None
    r = _Reader(where)
    version = r.get(data, "format_version", int, "$")
    if version != FORMAT_VERSION:
        raise r.fail("$.format_version", f"unsupported format_version {version} (this storygen reads {FORMAT_VERSION})")
    phases = tuple(r.get(data, "phases", list, "$"))
    if not phases or not all(isinstance(p, str) for p in phases):
        raise r.fail("$.phases", "expected a non-empty list of phase names")
    pronoun_sets, pronoun_weights = _load_pronouns(r, r.get(data, "pronouns", dict, "$"))
    slots = {
        key: SlotType(r.get(spec, "label", str, f"$.slots.{key}"), r.get(spec, "entity", str, f"$.slots.{key}"))
        for key, spec in r.get(data, "slots", dict, "$").items()
    }
    units = tuple(_load_unit(r, u, f"$.units[{i}]", phases, slots) for i, u in enumerate(r.get(data, "units", list, "$")))
    arcs = tuple(_load_arc(r, a, f"$.arcs[{i}]", phases) for i, a in enumerate(r.get(data, "arcs", list, "$")))
    seeds = tuple(_load_seed(r, s, f"$.seeds[{i}]") for i, s in enumerate(r.get(data, "seeds", list, "$")))
    grammar = Grammar(
        name=r.get(data, "name", str, "$"),
        phases=phases,
        pronoun_sets=pronoun_sets,
        pronoun_weights=pronoun_weights,
        arcs=arcs,
        slots=slots,
        units=units,
        seeds=seeds,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )
    _check_structure(r, grammar)
    return grammar


def load(path: Path) -> Grammar:
    """Read and validate a grammar file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GrammarError(f"{path}: cannot read grammar ({exc.strerror})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GrammarError(f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    return loads(text, str(path))


def _load_pronouns(r: _Reader, raw: dict[str, Any]) -> tuple[dict[str, dict[str, str]], dict[str, int]]:
    sets: dict[str, dict[str, str]] = {}
    weights: dict[str, int] = {}
    for key, spec in raw.items():
        path = f"$.pronouns.{key}"
        weights[key] = r.get(spec, "weight", int, path)
        if weights[key] < 0:
            raise r.fail(f"{path}.weight", f"weight must not be negative, got {weights[key]}")
        sets[key] = r.get(spec, "forms", dict, path)
    if not weights or sum(weights.values()) == 0:
        raise r.fail("$.pronouns", "at least one pronoun set needs a positive weight")
    return sets, weights


def _load_unit(r: _Reader, raw: Any, path: str, phases: tuple[str, ...], slots: dict[str, SlotType]) -> Unit:
    phase = r.get(raw, "phase", str, path)
    if phase not in phases:
        raise r.fail(f"{path}.phase", f"unknown phase '{phase}' (known: {', '.join(phases)})")
    sentences = []
    for j, s in enumerate(r.get(raw, "sentences", list, path)):
        spath = f"{path}.sentences[{j}]"
        template = r.get(s, "template", str, spath)
        parts = parse_template(template, f"{r.where}: {spath}.template")
        for key in slot_keys(parts):
            if key not in slots:
                known = ", ".join(sorted(slots))
                raise r.fail(f"{spath}.template", f"unknown slot '{key}' (known: {known})")
        src = r.get(s, "source", dict, spath)
        source = Source(r.get(src, "seed", str, f"{spath}.source"), r.get(src, "start", int, f"{spath}.source"),
                        r.get(src, "end", int, f"{spath}.source"))
        sentences.append(SentenceTemplate(r.get(s, "id", str, spath), template, source,
                                          r.get(s, "new_paragraph", bool, spath), parts))
    if not sentences:
        raise r.fail(f"{path}.sentences", "a unit needs at least one sentence")
    return Unit(
        id=r.get(raw, "id", str, path),
        phase=phase,
        sentences=tuple(sentences),
        intro=r.get(raw, "intro", bool, path),
        events=tuple(r.get(raw, "events", list, path)),
        requires=tuple(r.get(raw, "requires", list, path)),
    )


def _load_arc(r: _Reader, raw: Any, path: str, phases: tuple[str, ...]) -> Arc:
    arc_phases = tuple(r.get(raw, "phases", list, path))
    for k, phase in enumerate(arc_phases):
        if phase not in phases:
            raise r.fail(f"{path}.phases[{k}]", f"unknown phase '{phase}' (known: {', '.join(phases)})")
    lengths = tuple(tuple(x) for x in r.get(raw, "lengths", list, path))
    for k, row in enumerate(lengths):
        if len(row) != len(arc_phases) or not all(isinstance(n, int) and n > 0 for n in row):
            raise r.fail(f"{path}.lengths[{k}]", f"expected {len(arc_phases)} positive sentence counts")
    if not lengths:
        raise r.fail(f"{path}.lengths", "an arc needs at least one list of sentence counts")
    weight = r.get(raw, "weight", int, path)
    if weight < 0:
        raise r.fail(f"{path}.weight", f"weight must not be negative, got {weight}")
    return Arc(arc_phases, lengths, weight, tuple(r.get(raw, "seeds", list, path)))


def _load_seed(r: _Reader, raw: Any, path: str) -> SeedRecord:
    return SeedRecord(
        file=r.get(raw, "file", str, path),
        sha256=r.get(raw, "sha256", str, path),
        pronouns=r.get(raw, "pronouns", str, path),
        values=r.get(raw, "values", dict, path),
        paragraphs=tuple(tuple(p) for p in r.get(raw, "paragraphs", list, path)),
        trailing=r.get(raw, "trailing", str, path),
    )


def _check_structure(r: _Reader, grammar: Grammar) -> None:
    ids = [u.id for u in grammar.units]
    for i, unit in enumerate(grammar.units):
        for k, needed in enumerate(unit.requires):
            if needed not in ids:
                raise r.fail(f"$.units[{i}].requires[{k}]", f"unknown unit '{needed}'")
    if not grammar.arcs or sum(a.weight for a in grammar.arcs) == 0:
        raise r.fail("$.arcs", "at least one arc needs a positive weight")
    if not any(u.intro for u in grammar.units):
        raise r.fail("$.units", "no unit is marked intro, so no story can begin")

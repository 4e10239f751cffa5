"""A grammar's reviewable JSON form, written: a stable key order, one line per template and per
alternative, short lists kept on one line so diffs stay readable. `grammar` reads it back."""

from __future__ import annotations

import json
from typing import Any

from ..model.grammar import Grammar, SentenceTemplate, Unit
from .alternatives import alternative_json

FORMAT_VERSION = 1
_LINE = "\u0000line {:<120}"  # a placeholder for one pre-written JSON line (long, so never joined)


def to_json(grammar: Grammar) -> str:
    """Serialise with a stable key order, one template per line, and a trailing newline."""
    lines: list[str] = []  # alternatives, each written as one line of JSON
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
        "units": [_unit_json(u, lines) for u in grammar.units],
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
    text = _compact_leaves(json.dumps(data, indent=1, ensure_ascii=False))
    for n, line in enumerate(lines):
        text = text.replace(json.dumps(_LINE.format(n)), line, 1)
    return text + "\n"


def _sentence_json(s: SentenceTemplate, lines: list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": s.id,
        "template": s.template,
        "source": {"seed": s.source.seed, "start": s.source.start, "end": s.source.end},
        "new_paragraph": s.new_paragraph,
        **({"constraints": list(s.constraints)} if s.constraints else {}),
    }
    if s.alternatives:
        data["alternatives"] = [_LINE.format(len(lines) + k) for k in range(len(s.alternatives))]
        lines += [json.dumps(alternative_json(a), ensure_ascii=False) for a in s.alternatives]
    return data


def _unit_json(unit: Unit, lines: list[str]) -> dict[str, Any]:
    return {
        "id": unit.id,
        "phase": unit.phase,
        "intro": unit.intro,
        "events": list(unit.events),
        "requires": list(unit.requires),
        **({"literals": list(unit.literals)} if unit.literals else {}),
        "sentences": [_sentence_json(s, lines) for s in unit.sentences],
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

"""A grammar's reviewable JSON form, written: a stable key order, one template per line, short
lists kept on one line so diffs stay readable. `grammar` reads it back."""

from __future__ import annotations

import json
from typing import Any

from ..model.grammar import Grammar, Unit

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
        **({"literals": list(unit.literals)} if unit.literals else {}),
        "sentences": [
            {
                "id": s.id,
                "template": s.template,
                "source": {"seed": s.source.seed, "start": s.source.start, "end": s.source.end},
                "new_paragraph": s.new_paragraph,
                **({"constraints": list(s.constraints)} if s.constraints else {}),
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

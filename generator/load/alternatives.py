"""A sentence's phrase-level alternatives in a grammar file: reading them, and the paths they make.

In the file each alternative is one line, `{"replaces": ..., "with": ..., "from": [...]}`:
the span of the sentence's template it stands in for, the template text it puts there, and the
seed sentences it was aligned from (see `model.alternatives`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..errors import GrammarError
from ..model.alternatives import Alternative, choice_points, path_choices, spliced
from ..model.constraints import derive
from ..model.grammar import SentenceTemplate, Unit
from ..model.templates import slot_keys
from .reader import JsonPath, Reader
from .templates import parse_template

ALTERNATIVE_KEYS = ("replaces", "with", "from")


def alternative_json(alt: Alternative) -> dict[str, Any]:
    return {"replaces": alt.replaces, "with": alt.text, "from": list(alt.sources)}


def read_alternatives(r: Reader, sentence: dict[str, Any], path: JsonPath) -> tuple[Alternative, ...] | None:
    """A sentence's alternatives (none if it lists none); each must be a template of text and
    slots, like the sentence's own."""
    if "alternatives" not in sentence:
        return ()
    raw = r.array(sentence, "alternatives", path)
    if raw is None:
        return None
    found: list[Alternative] = []
    ok = True
    for k, item in enumerate(raw):
        where = (*path, "alternatives", k)
        obj = r.object(item, where, ALTERNATIVE_KEYS)
        if obj is None:
            ok = False
            continue
        replaces, text, sources = r.string(obj, "replaces", where), r.string(obj, "with", where), r.strings(obj, "from", where)
        if replaces is None or text is None or sources is None or r.template(text, (*where, "with")) is None:
            ok = False
            continue
        found.append(Alternative(replaces, text, tuple(sources)))
    return tuple(found) if ok else None


def with_paths(sentence: SentenceTemplate) -> SentenceTemplate:
    """The sentence with its paths through its alternatives (none if it has no alternatives),
    each path a sentence of its own with the same id, source and place in the paragraph, and
    with the constraints its own words impose (`model.constraints.derive`): a path that calls
    the home a village is told only in a story whose home is one."""
    if not sentence.alternatives:
        return sentence
    points, _ = choice_points(sentence.template, sentence.alternatives)
    paths = []
    for choice in path_choices(points):
        if not any(choice):
            paths.append(replace(sentence, alternatives=(), paths=()))
            continue
        text = spliced(sentence.template, points, choice)
        parts = parse_template(text, f"{sentence.id}: alternative")
        paths.append(replace(sentence, template=text, parts=parts, constraints=derive(parts),
                             alternatives=(), paths=(), taken=choice))
    return replace(sentence, paths=tuple(paths))


def with_alternatives(units: list[Unit]) -> list[Unit]:
    """Units whose sentences carry their paths (as a loaded grammar's do)."""
    return [replace(u, sentences=tuple(with_paths(s) for s in u.sentences)) for u in units]


def read_sentence_alternatives(r: Reader, raw: dict[str, Any], path: JsonPath, sentence: SentenceTemplate,
                               slots: dict[str, Any] | None) -> SentenceTemplate | None:
    """`sentence` with the alternatives `raw` lists and their paths; a path that is not a
    template, or an alternative with a slot the grammar does not have, is reported."""
    alternatives = read_alternatives(r, raw, path)
    if alternatives is None:
        return None
    ok = True
    for k, alt in enumerate(alternatives):
        unknown = [key for key in slot_keys(parse_template(alt.text)) if slots and key not in slots]
        for key in dict.fromkeys(unknown):
            r.problem((*path, "alternatives", k, "with"), f"unknown slot '{key}'")
            ok = False
    try:
        return with_paths(replace(sentence, alternatives=alternatives)) if ok else None
    except GrammarError as exc:  # a path through the template and its alternatives is no template
        r.problem((*path, "template"), f"with its alternatives: {exc}")
        return None

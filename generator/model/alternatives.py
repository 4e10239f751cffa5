"""Phrase-level alternatives of a sentence: the lattice a sentence template is told through.

A sentence keeps its seed's template (the seed's own path through the lattice, so the round
trip is exact) and lists alternatives, each replacing one span of that template (`replaces`,
found exactly once) with text aligned from other seed sentences (`sources`). Alternatives that
replace the same span form one choice point; choice points never overlap or touch, so every
junction of a path is a junction some seed sentence has.

A path takes one option at every choice point (option 0: the seed's own text). Paths are listed
so that every alternative is on one of the first few (`path_choices`). A unit is told through one
of its *variants* (`unit_variants`), which between them take every path of every sentence
equally often; `told_units` lays the variants out as units the renderers run unchanged, and
`opener_marks` says which openers each variant shares with other units.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from itertools import product

from .grammar import Grammar, SentenceTemplate, Unit

MAX_PATHS = 48  # paths of one sentence a story can be told
MAX_VARIANTS = 96  # variants of one unit


@dataclass(frozen=True)
class Alternative:
    """Template text that may stand in place of `replaces` in its sentence's template, aligned
    from the seed sentences `sources`."""

    replaces: str
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class ChoicePoint:
    """A span of a sentence's template and its options (option 0: the template's own text)."""

    start: int
    end: int
    options: tuple[str, ...]
    alternatives: tuple[Alternative, ...]  # option k > 0 is alternatives[k - 1]


def choice_points(template: str, alternatives: tuple[Alternative, ...]) -> tuple[list[ChoicePoint], list[Alternative]]:
    """The choice points of a template, in order, and the alternatives no path can take: their
    span is not in the template exactly once, overlaps or touches an earlier point's span, or
    their text is the template's own."""
    spans: dict[str, list[Alternative]] = {}
    unreachable: list[Alternative] = []
    for alt in alternatives:
        if not alt.replaces or template.count(alt.replaces) != 1 or alt.text == alt.replaces \
                or alt.text in (a.text for a in spans.get(alt.replaces, ())):
            unreachable.append(alt)
        else:
            spans.setdefault(alt.replaces, []).append(alt)
    points: list[ChoicePoint] = []
    for replaces, alts in sorted(spans.items(), key=lambda item: template.index(item[0])):
        start = template.index(replaces)
        if points and start <= points[-1].end:
            unreachable += alts
            continue
        points.append(ChoicePoint(start, start + len(replaces), (replaces, *(a.text for a in alts)), tuple(alts)))
    return points, unreachable


def path_choices(points: list[ChoicePoint], limit: int = MAX_PATHS) -> list[tuple[int, ...]]:
    """The option taken at each point, path by path: the seed's path first, then the diagonal
    (path k takes option k mod size at every point, so every option is on one of the first
    max-size paths), then the rest of the product, at most `limit` in all."""
    sizes = [len(p.options) for p in points]
    longest = max(sizes, default=1)
    chosen = dict.fromkeys(tuple(k % n for n in sizes) for k in range(longest))
    for combination in product(*(range(n) for n in sizes)):
        if len(chosen) >= limit:
            break
        chosen.setdefault(combination)
    return list(chosen)[:limit]


def spliced(template: str, points: list[ChoicePoint], choice: tuple[int, ...]) -> str:
    """The template with the chosen option at every point."""
    pieces, pos = [], 0
    for point, option in zip(points, choice):
        pieces += [template[pos:point.start], point.options[option]]
        pos = point.end
    return "".join(pieces) + template[pos:]


def sentence_texts(sentence: SentenceTemplate) -> list[str]:
    """Every template text a sentence can be told with, the seed's own first: what a rule that
    reads a template's text (a world constraint, an exclusion) must read for each alternative."""
    points, _ = choice_points(sentence.template, sentence.alternatives)
    return [spliced(sentence.template, points, choice) for choice in path_choices(points)]


def taken(sentence: SentenceTemplate, path: SentenceTemplate) -> list[Alternative]:
    """The alternatives a path of `sentence` takes (none: the seed's own wording)."""
    points, _ = choice_points(sentence.template, sentence.alternatives)
    return [point.alternatives[option - 1] for point, option in zip(points, path.taken) if option]


def variant_count(unit: Unit) -> int:
    """How many variants a unit is told through (1: it has no alternatives): the least common
    multiple of its sentences' path counts, so each sentence takes each of its paths equally
    often, or MAX_VARIANTS if that is more (then no path is off by more than 1/MAX_VARIANTS)."""
    count = math.lcm(*(len(s.paths) or 1 for s in unit.sentences))
    return count if count <= MAX_VARIANTS else MAX_VARIANTS


def unit_variants(unit: Unit) -> list[Unit]:
    """The unit's variants, the seed's own first; each keeps the unit's id. Each sentence of
    variant v of n takes its path floor(v * paths / n)."""
    variants = [unit]
    n = variant_count(unit)
    for v in range(1, n):
        sentences = tuple(s.paths[v * len(s.paths) // n] if s.paths else s for s in unit.sentences)
        variants.append(replace(unit, sentences=sentences, variant=v))
    return variants


def _tells(template: str, words: tuple[str, ...]) -> bool:
    text = re.sub(r"\{\{.*?\}\}", " ", template)
    return any(re.search(r"(?<![\w'’-])" + re.escape(word) + r"(?![\w'’-])", text) for word in words)


def sampled_variants(unit: Unit) -> list[Unit]:
    """The variants a sampled story may tell the unit through: every one, or, for a unit that
    keeps words of its seed no slot took (`Unit.literals`: a name, a word of the seed's world),
    those whose paths leave all of them out (none: the unit is told only in its seed's round trip)."""
    variants = unit_variants(unit)
    if not unit.literals:
        return variants
    return [v for v in variants if not any(_tells(s.template, unit.literals) for s in v.sentences)]


def told_units(grammar: Grammar) -> tuple[Grammar, list[int], list[int]]:
    """The grammar with every unit's sampled variants laid out as units (what the renderers run),
    where each unit's variants start in it, and how many it has (a unit no sampled story tells
    keeps its seed's own, never drawn)."""
    units: list[Unit] = []
    starts, counts = [], []
    for unit in grammar.units:
        variants = sampled_variants(unit) or unit_variants(unit)[:1]
        starts.append(len(units))
        counts.append(len(variants))
        units += variants
    return replace(grammar, units=tuple(units)), starts, counts


SAID_TWICE = 1 << 63
_OPENER = re.compile(r"^([^,\"]{2,80}?), ")


def opener_of(template: str) -> str | None:
    """A sentence's opener: the few words before its first comma ("One fateful evening")."""
    match = _OPENER.match(template)
    return match.group(1) if match and len(match.group(1).split()) <= 12 else None


def opener_marks(units: tuple[Unit, ...]) -> list[int]:
    """For each unit (a grammar's told units, variants included), a bit for each opener it opens
    a sentence with that another unit's sentences open with too (at most 63 such openers, the
    most shared first), and SAID_TWICE if it opens two of its own sentences alike: the sampler
    tells no opener twice in a story (a story's mark starts as SAID_TWICE)."""
    users: dict[str, set[str]] = {}
    for unit in units:
        for sentence in unit.sentences:
            opener = opener_of(sentence.template)
            if opener is not None:
                users.setdefault(opener, set()).add(unit.id)
    shared = sorted((o for o, ids in users.items() if len(ids) > 1), key=lambda o: (-len(users[o]), o))[:63]
    bit = {opener: 1 << k for k, opener in enumerate(shared)}
    marks = []
    for unit in units:
        openers = [o for o in (opener_of(s.template) for s in unit.sentences) if o is not None]
        again = SAID_TWICE if len(set(openers)) < len(openers) else 0
        marks.append(sum(bit[o] for o in set(openers) if o in bit) | again)
    return marks

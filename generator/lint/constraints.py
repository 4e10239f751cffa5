"""What templates claim of their values, checked: each sentence's stored constraints must be
what its words impose (model/constraints.derive), and each must be well formed. A constraint no
value of a culture pack satisfies is no fault, only a warning: the grammar still works, but the
sampler never tells that unit in that culture (`check_unmet`; `unmet_constraints` lists them)."""

from __future__ import annotations

from collections.abc import Iterator

from ..load.grammar import GrammarParts
from ..load.reader import WARNING, JsonPath, Reader
from ..model.constraints import WORLD, Constraint, derive, parse_constraint
from ..model.culture import Culture
from ..sample.constraints import fact, satisfied

FACTS = ("kind", "hold", "played", "family", "traditional", "possessive", "language", "landscape", "currency")


def check_constraints(r: Reader, parts: GrammarParts) -> None:
    """Report stored constraints that differ from the derived ones, or are malformed."""
    for i, unit in enumerate(parts.complete_units() or ()):
        for j, sentence in enumerate(unit.sentences):
            path = ("units", i, "sentences", j, "constraints")
            derived = derive(sentence.parts)
            if tuple(sentence.constraints) != derived:
                r.problem(path, f"template {sentence.id}: its words impose {list(derived)}, "
                                f"but the grammar stores {list(sentence.constraints)} (run storygen learn again)")
            for text in sentence.constraints:
                c = parse_constraint(text)
                if c is None or c.fact not in FACTS:
                    r.problem(path, f"template {sentence.id}: malformed constraint '{text}' (expected SLOT:FACT=VALUE)")


def check_unmet(r: Reader, parts: GrammarParts, culture: Culture) -> None:
    """Warn of each stored constraint no value of `culture` satisfies, at the constraint itself."""
    for path, unit_id, sentence_id, text in _unmet(parts, culture):
        r.problem(path, f"template {sentence_id}: culture '{culture.name}' has no value that meets {text}, "
                        f"so its unit {unit_id} is never told in that culture", WARNING)


def unmet_constraints(parts: GrammarParts, culture: Culture) -> list[str]:
    """'template 003.02: home:kind=village' for each constraint no value of the culture satisfies."""
    return [f"template {sentence_id}: {text}" for _, _, sentence_id, text in _unmet(parts, culture)]


def _unmet(parts: GrammarParts, culture: Culture) -> Iterator[tuple[JsonPath, str, str, str]]:
    """(path, unit id, template id, constraint) for each stored constraint the culture can never
    meet. The sampler reads the seed's own sentences (a unit's first variant is the unit), so a
    unit one of them rules out is not told at all; a malformed constraint is check_constraints'."""
    for i, unit in enumerate(parts.complete_units() or ()):
        for j, sentence in enumerate(unit.sentences):
            for k, text in enumerate(sentence.constraints):
                c = parse_constraint(text)
                if c is not None and c.fact in FACTS and not _can_hold(c, culture):
                    yield ("units", i, "sentences", j, "constraints", k), unit.id, sentence.id, text


def _can_hold(c: Constraint, culture: Culture) -> bool:
    """Whether some value the culture pack offers the slot satisfies the constraint."""
    if c.slot == WORLD:
        return satisfied(c, {}, culture)
    if c.fact == "kind":
        names = [t.name for t in culture.towns] + [culture.capital, culture.largest_city]
    elif c.fact in ("hold", "played", "family", "traditional"):
        names = [i.name for i in culture.instruments]
    else:
        names = [str(getattr(culture, c.slot, ""))]
    return any(fact(c, name, culture) in c.values for name in names)

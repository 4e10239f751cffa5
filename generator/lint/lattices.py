"""Each sentence's lattice of phrase-level alternatives: its size, and alternatives no story can take.

An alternative cannot be taken when its span is not in the sentence's template exactly once,
overlaps another choice point's span, repeats an option already there, or is on no path a story
is told through (see model.alternatives).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..load.reader import WARNING, Reader
from ..model.alternatives import Alternative, ChoicePoint, choice_points, path_choices
from ..model.grammar import Unit


@dataclass(frozen=True)
class LatticeSize:
    """A sentence with alternatives: its choice points and the paths a story may take."""

    sentence: str
    points: int
    paths: int

    def __str__(self) -> str:
        return f"lattice {self.sentence}: {self.points} choice point(s), {self.paths} path(s)"


def check_lattices(r: Reader, units: list[Unit]) -> list[LatticeSize]:
    """Report every alternative that cannot be reached; give each lattice's size."""
    sizes = []
    for i, unit in enumerate(units):
        for j, sentence in enumerate(unit.sentences):
            if not sentence.alternatives:
                continue
            points, unreachable = choice_points(sentence.template, sentence.alternatives)
            choices = path_choices(points)
            taken = {(k, option) for choice in choices for k, option in enumerate(choice)}
            unreachable += [alt for k, point in enumerate(points) for option, alt in enumerate(point.alternatives, 1)
                            if (k, option) not in taken]
            for alt in unreachable:
                k = sentence.alternatives.index(alt)
                r.problem(("units", i, "sentences", j, "alternatives", k),
                          f"alternative for '{alt.replaces}' cannot be reached: {_why(sentence.template, alt, points)}",
                          WARNING)
            sizes.append(LatticeSize(sentence.id, len(points), len(choices)))
    return sizes


def _why(template: str, alt: Alternative, points: list[ChoicePoint]) -> str:
    count = template.count(alt.replaces)
    if count != 1:
        return "its span is not in the template" if count == 0 else f"its span is in the template {count} times"
    if alt.text == alt.replaces:
        return "it is the template's own text"
    if any(alt in p.alternatives for p in points):
        return "it is on no path a story is told through"
    return "its span overlaps another choice point's, or it repeats an option"

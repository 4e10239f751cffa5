"""`storygen check`: every problem in a grammar file, and how many stories it can make.

The loader's own validation (load/grammar.py) runs with a collecting reader, so every problem
is found and located as `FILE:LINE: JSONPATH`. Then come the checks only a whole grammar
allows: slots nothing fills and the culture pack's part (`slots`), phases, openings and units
no story reaches (`structure`), what templates claim of their values, with a warning for each
constraint no value of the culture pack can meet (`constraints`), each sentence's lattice of
alternatives with any alternative no story can take (`lattices`), and the capacity (`capacity`).
The culture checks run for each pack given (`--culture all`: every packaged one), and the
capacity is the least of theirs. Checking never raises for any
input text and never renders or executes a template: templates are only parsed, in Jinja2's
sandbox.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from ..errors import GrammarError
from ..load.culture import load_culture
from ..load.grammar import GrammarParts, read_grammar
from ..load.reader import ERROR, WARNING, Problem, Reader, Unreadable, read_text
from ..model.culture import Culture
from .capacity import Capacity, grammar_capacity
from .constraints import check_constraints, check_unmet
from .lattices import check_lattices
from .slots import check_culture, check_slot_values
from .structure import check_structure

DEFAULT_CULTURE = "kazakh"
# The culture pack a grammar is checked against, or several (each pack's problems name it).
Cultures = Culture | Sequence[Culture] | None


def check_grammar_text(text: str, where: str, culture: Cultures = None) -> tuple[list[Problem], Capacity | None]:
    """Every problem found in grammar JSON `text` (named `where` in locations), and the capacity.

    The capacity is computed only when there are no errors; `culture` (one pack or several)
    defaults to the packaged kazakh pack. Never raises: whatever the text holds comes back as
    problems.
    """
    try:
        return _check(text, where, _packs(culture))
    except Exception as exc:
        return [Problem(where, f"internal error while checking: {type(exc).__name__}: {exc}", ERROR)], None


def check_grammar_file(path: Path, culture: Cultures = None) -> tuple[list[Problem], Capacity | None]:
    """Read a grammar file and check it; an unreadable or non-UTF-8 file is a problem too."""
    try:
        text = read_text(Path(path), "grammar")
    except Unreadable as exc:
        return [Problem(str(path), exc.reason, ERROR)], None
    return check_grammar_text(text, str(path), culture)


def format_report(problems: list[Problem], capacity: Capacity | None, count: int | None = None) -> str:
    """The `storygen check` report: one line per problem, the capacity, a --count warning, and
    each sentence's lattice."""
    lines = [str(p) for p in problems]
    if capacity is None:
        lines.append("capacity: not computed (fix the errors above first)")
    else:
        lines.append(f"capacity: at least {capacity.lower_bound} distinct stories ({capacity.explanation})")
        if count is not None and count > capacity.lower_bound:
            lines.append(f"warning: --count {count} is more than the {capacity.lower_bound} distinct stories "
                         f"this grammar is known to make, so some stories may repeat")
        lines += [str(size) for size in capacity.lattices]
    return "\n".join(lines)


def _check(text: str, where: str, cultures: tuple[Culture, ...] | None) -> tuple[list[Problem], Capacity | None]:
    r = Reader.parse(where, text, collect=True)
    parts = read_grammar(r) if r.parsed else None
    if cultures is None:
        try:
            cultures = (load_culture(DEFAULT_CULTURE),)
        except GrammarError as exc:
            cultures = ()
            r.elsewhere(where, f"cannot load culture pack: {exc}", WARNING)
    if parts is None:
        return r.problems(), None
    check_slot_values(r, parts)
    units = parts.complete_units()
    if parts.phases is not None and parts.arcs is not None and units is not None:
        check_structure(r, parts.phases, parts.arcs, units)
    lattices = check_lattices(r, units) if units is not None else []
    for culture in cultures:
        check_culture(r, parts, culture)
        check_unmet(r, parts, culture)
    check_constraints(r, parts)
    capacity = None if r.has_errors or not cultures else _least_capacity(parts, cultures)
    return r.problems(), None if capacity is None else replace(capacity, lattices=tuple(lattices))


def _packs(culture: Cultures) -> tuple[Culture, ...] | None:
    """The packs to check against, as a tuple (None: the default pack)."""
    if culture is None or isinstance(culture, Culture):
        return None if culture is None else (culture,)
    return tuple(culture)


def _least_capacity(parts: GrammarParts, cultures: tuple[Culture, ...]) -> Capacity | None:
    """The capacity with the pack that gives the fewest stories (its explanation names it), so
    a --count warning holds for every pack checked."""
    units = parts.complete_units()
    if parts.arcs is None or parts.pronouns is None or units is None:
        return None  # not reached: a grammar without errors has every section
    found = [grammar_capacity(parts.arcs, units, parts.pronouns[1], culture) for culture in cultures]
    return min((c for c in found if c is not None), key=lambda c: c.lower_bound, default=None)

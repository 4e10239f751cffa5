"""`storygen check`: every problem in a grammar file, and how many stories it can make.

The loader's own validation (load/grammar.py) runs with a collecting reader, so every problem
is found and located as `FILE:LINE: JSONPATH`. Then come the checks only a whole grammar
allows: slots nothing fills and the culture pack's part (`slots`), phases, openings and units
no story reaches (`structure`), what templates claim of their values (`constraints`), each
sentence's lattice of alternatives with any alternative no story can take (`lattices`), and the
capacity (`capacity`). Checking never raises for any
input text and never renders or executes a template: templates are only parsed, in Jinja2's
sandbox.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..errors import GrammarError
from ..load.culture import load_culture
from ..load.grammar import GrammarParts, read_grammar
from ..load.reader import ERROR, WARNING, Problem, Reader, Unreadable, read_text
from ..model.culture import Culture
from .capacity import Capacity, grammar_capacity
from .constraints import check_constraints
from .lattices import check_lattices
from .slots import check_culture, check_slot_values
from .structure import check_structure

DEFAULT_CULTURE = "kazakh"


def check_grammar_text(text: str, where: str, culture: Culture | None = None) -> tuple[list[Problem], Capacity | None]:
    """Every problem found in grammar JSON `text` (named `where` in locations), and the capacity.

    The capacity is computed only when there are no errors; `culture` defaults to the packaged
    kazakh pack. Never raises: whatever the text holds comes back as problems.
    """
    try:
        return _check(text, where, culture)
    except Exception as exc:
        return [Problem(where, f"internal error while checking: {type(exc).__name__}: {exc}", ERROR)], None


def check_grammar_file(path: Path, culture: Culture | None = None) -> tuple[list[Problem], Capacity | None]:
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


def _check(text: str, where: str, culture: Culture | None) -> tuple[list[Problem], Capacity | None]:
    r = Reader.parse(where, text, collect=True)
    parts = read_grammar(r) if r.parsed else None
    if culture is None:
        try:
            culture = load_culture(DEFAULT_CULTURE)
        except GrammarError as exc:
            r.elsewhere(where, f"cannot load culture pack: {exc}", WARNING)
    if parts is None:
        return r.problems(), None
    check_slot_values(r, parts)
    units = parts.complete_units()
    if parts.phases is not None and parts.arcs is not None and units is not None:
        check_structure(r, parts.phases, parts.arcs, units)
    lattices = check_lattices(r, units) if units is not None else []
    if culture is not None:
        check_culture(r, parts, culture)
    check_constraints(r, parts)
    capacity = None if r.has_errors or culture is None else _capacity(parts, culture)
    return r.problems(), None if capacity is None else replace(capacity, lattices=tuple(lattices))


def _capacity(parts: GrammarParts, culture: Culture) -> Capacity | None:
    units = parts.complete_units()
    if parts.arcs is None or parts.pronouns is None or units is None:
        return None  # not reached: a grammar without errors has every section
    return grammar_capacity(parts.arcs, units, parts.pronouns[1], culture)

"""Which units a story may tell, given the values it was drawn: a unit is used only when its
values satisfy every constraint its templates carry (model/constraints.py), so no story calls a
city a village, lifts a harp to the hero's chest or calls a piano traditional. The same rule
holds for values fixed with --set: the templates a value would make lie are not used.

`satisfied` is the rule for one value; `UnitConstraints.allowed` applies it once per option of
a slot's column and indexes the answer by each story's value, for a whole batch at once.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..model.constraints import WORLD, Constraint, parse_constraint
from ..model.culture import Culture, Instrument
from ..model.grammar import Grammar, Unit
from ..model.plan import Coded
from .controls import known_instrument

Allowed = npt.NDArray[np.bool_]


def _instrument(culture: Culture, name: str) -> Instrument | None:
    for instrument in culture.instruments:
        if name in (instrument.name, instrument.player):
            return instrument
    from ..model.slots import slot_table

    known = slot_table().known_instruments
    players = {player: n for n, player in known.items()}
    name = players.get(name, name)
    return known_instrument(name, culture) if name in known else None


def _settlement_kind(culture: Culture, name: str) -> str:
    if name == culture.capital:
        return "capital"
    if name == culture.largest_city:
        return "city"
    return next((town.kind for town in culture.towns if town.name == name), "unknown")


def fact(constraint: Constraint, value: str, culture: Culture) -> str:
    """The fact a constraint reads of a value, in the words its values are written in."""
    name = constraint.fact
    if name == "kind":
        return _settlement_kind(culture, value)
    if name in ("hold", "played", "family", "traditional"):
        instrument = _instrument(culture, value)
        if instrument is None:
            return "unknown"
        if name == "traditional":
            return "yes" if instrument.traditional else "no"
        return str(getattr(instrument, name))
    if name == "possessive":  # "the Caucasus's" is no English possessive
        return "no" if value.endswith("s") else "yes"
    if name == "language":
        return "yes" if value == culture.language else "no"
    return "unknown"


def satisfied(constraint: Constraint, values: dict[str, str], culture: Culture) -> bool:
    """Whether one story's values (or, for `world:` constraints, its culture) satisfy a constraint."""
    if constraint.slot == WORLD:
        have = culture.landscapes if constraint.fact == "landscape" else (culture.currency,)
        return all(v in have for v in constraint.values)
    value = values.get(constraint.slot)
    return value is None or fact(constraint, value, culture) in constraint.values


def unit_constraints(unit: Unit) -> list[Constraint]:
    """Every constraint a unit's sentences carry (a malformed one, which `check` reports, is skipped)."""
    found = {parse_constraint(text) for s in unit.sentences for text in s.constraints}
    return sorted((c for c in found if c is not None), key=str)


def fits(unit: Unit, values: dict[str, str], culture: Culture) -> bool:
    """Whether one story may tell `unit`."""
    return all(satisfied(c, values, culture) for c in unit_constraints(unit))


class UnitConstraints:
    """The grammar's constraints, each with the units that carry it."""

    def __init__(self, grammar: Grammar, culture: Culture) -> None:
        self.culture = culture
        self.size = len(grammar.units)
        self.units: dict[Constraint, list[int]] = {}
        for i, unit in enumerate(grammar.units):
            for c in unit_constraints(unit):
                self.units.setdefault(c, []).append(i)

    def allowed(self, values: dict[str, Coded], size: int) -> Allowed | None:
        """Row i, column u: whether story i may tell unit u (None: every story may tell every unit)."""
        if not self.units:
            return None
        out = np.ones((size, self.size), dtype=bool)
        for c, units in self.units.items():
            out[:, units] &= self._holds(c, values, size)[:, None]
        return out

    def _holds(self, c: Constraint, values: dict[str, Coded], size: int) -> Allowed:
        if c.slot == WORLD or c.slot not in values:
            return np.full(size, satisfied(c, {}, self.culture))
        column = values[c.slot]
        per_option = np.array([fact(c, str(v), self.culture) in c.values for v in column.options], dtype=bool)
        return per_option if column.index is None else per_option[column.index]

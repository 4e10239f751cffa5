"""How a grammar's units fit its arcs: phases no story tells, arcs that open without an intro,
and units no story can contain, each with the reason.

The rules are the sampler's (sample/unit_rules.py): a story opens with an intro unit of its
arc's first phase, if that phase has one; an ordinary unit is taken only after the units it
requires, never beside a unit that shares one of its events, and never so that one seed gives
more sentences of one seed than the sampler allows (see sample.unit_rules.fits_seed_share).
"""

from __future__ import annotations

from ..load.reader import WARNING, Reader
from ..model.grammar import Arc, Unit


def check_structure(r: Reader, phases: tuple[str, ...], arcs: tuple[Arc, ...], units: list[Unit]) -> None:
    """Report phases, arc openings and units that no story of the arcs with a positive weight tells."""
    live = [(i, arc) for i, arc in enumerate(arcs) if arc.weight > 0]
    _check_phases(r, phases, [arc for _, arc in live], units)
    intros = [unit for unit in units if unit.intro]
    for i, arc in live:
        if intros and not any(unit.phase == arc.phases[0] for unit in intros):
            r.problem(("arcs", i, "phases", 0), f"no intro unit has phase '{arc.phases[0]}', so stories of this arc "
                                                "begin without an introduction", WARNING)
    _check_reachability(r, [arc for _, arc in live], units)


def _check_phases(r: Reader, phases: tuple[str, ...], arcs: list[Arc], units: list[Unit]) -> None:
    told = {phase for arc in arcs for phase in arc.phases}
    for k, phase in enumerate(phases):
        count = sum(1 for unit in units if unit.phase == phase)
        if count == 0 and phase in told:
            r.problem(("phases", k), f"phase '{phase}' has no units, so stories tell nothing there")
        elif count == 0:
            r.problem(("phases", k), f"phase '{phase}' has no units", WARNING)
        elif phase not in told:
            r.problem(("phases", k), f"no arc passes through phase '{phase}', so its {count} unit(s) are never used",
                      WARNING)


def first_units(units: list[Unit]) -> dict[str, Unit]:
    """Each unit id's first unit (a later unit with the same id is an error already)."""
    by_id: dict[str, Unit] = {}
    for unit in units:
        by_id.setdefault(unit.id, unit)
    return by_id


def _check_reachability(r: Reader, arcs: list[Arc], units: list[Unit]) -> None:
    by_id = first_units(units)
    reachable: set[str] = set()
    for arc in arcs:
        reachable |= reachable_in(arc, units, by_id)
    told = {phase for arc in arcs for phase in arc.phases}
    for i, unit in enumerate(units):
        if unit.id in reachable or unit.phase not in told or by_id[unit.id] is not unit:
            continue  # a phase no arc tells is reported once, on the phase; a duplicate id is an error
        why = _why_unreachable(unit, arcs, by_id, reachable)
        if why:
            r.problem(("units", i), f"unit '{unit.id}' can never be chosen: {why}", WARNING)


def before(arc: Arc, needed: Unit, unit: Unit) -> bool:
    """Can `needed` be taken before `unit` in a story of this arc?"""
    if needed.intro:
        return True  # the intro is taken first (whether this arc takes it is reachability's question)
    if needed.phase not in arc.phases or unit.phase not in arc.phases:
        return False
    return arc.phases.index(needed.phase) <= arc.phases.index(unit.phase)


def reachable_in(arc: Arc, units: list[Unit], by_id: dict[str, Unit]) -> set[str]:
    """Ids of the units some story of this arc can contain."""
    reach = {unit.id for unit in units if unit.intro and unit.phase == arc.phases[0]}
    changed = True
    while changed:
        changed = False
        for unit in units:
            if unit.id in reach or unit.intro or unit.phase not in arc.phases or by_id[unit.id] is not unit:
                continue
            if all(needed in reach and before(arc, by_id[needed], unit) and not set(unit.events) & set(by_id[needed].events)
                   for needed in unit.requires):
                reach.add(unit.id)
                changed = True
    return reach


def _why_unreachable(unit: Unit, arcs: list[Arc], by_id: dict[str, Unit], reachable: set[str]) -> str:
    if unit.intro:
        return f"it is an intro unit of phase '{unit.phase}', and no arc starts with that phase"
    if unit.id in unit.requires:
        return "it requires itself"
    if any(needed not in by_id for needed in unit.requires):
        return ""  # an unknown unit is an error already
    cycle = _cycle_through(unit, by_id)
    if cycle:
        return f"it is in a cycle of requirements ({' -> '.join(cycle)})"
    for needed in unit.requires:
        other = by_id[needed]
        shared = sorted(set(unit.events) & set(other.events))
        if shared:
            kind = "intro unit" if other.intro else "unit"
            return f"it shares event '{shared[0]}' with {kind} '{needed}', which it requires"
    for needed in unit.requires:
        other = by_id[needed]
        if not any(before(arc, other, unit) for arc in arcs if unit.phase in arc.phases):
            return f"it requires unit '{needed}' of phase '{other.phase}', which no arc tells before phase '{unit.phase}'"
    for needed in unit.requires:
        if needed not in reachable:
            return f"it requires unit '{needed}', which can never be chosen itself"
    return "no arc can satisfy its requirements"


def _cycle_through(unit: Unit, by_id: dict[str, Unit]) -> list[str] | None:
    """A chain of requirements from `unit` back to itself, if there is one."""
    parent: dict[str, str] = {}
    stack = [unit.id]
    seen = {unit.id}
    while stack:
        current = stack.pop()
        for needed in by_id[current].requires if current in by_id else ():
            if needed == unit.id:
                chain = [current]
                while chain[-1] != unit.id:
                    chain.append(parent[chain[-1]])
                return [unit.id, *reversed(chain[:-1]), unit.id]
            if needed not in seen and needed in by_id:
                seen.add(needed)
                parent[needed] = current
                stack.append(needed)
    return None

"""What `storygen learn --report` prints: per seed, what was found in it, and per unit the rules
the sampler will hold it to (phase, life stage, events, what it needs told before it, what it
excludes, and any names that keep it out of sampled stories)."""

from __future__ import annotations

from ..learn.induce import SeedReport
from ..model.alternatives import sampled_variants
from ..model.grammar import Grammar
from ..sample.unit_relations import exclusions, life_stages, told_before

STAGE_NAMES = ("childhood", "training", "break", "debut", "fame", "legacy")  # narrative.STAGES, in order


def report_lines(grammar: Grammar, reports: list[SeedReport]) -> list[str]:
    """The report, one line per entry."""
    stages = dict(zip((u.id for u in grammar.units), life_stages(grammar)))
    excluded = exclusions(grammar)
    units = {u.id: u for u in grammar.units}
    lines: list[str] = []
    for r in reports:
        lines.append(f"{r.file}: protagonist {r.protagonist!r} (first name {r.first_name!r}), pronouns {r.pronouns}")
        lines.append(f"  arc: {' -> '.join(r.arc)}")
        lines.append(f"  slots: {', '.join(f'{k} x{v}' for k, v in r.slots.items())}")
        for sid, phase, words in r.sentences:
            lines.append(f"    {sid} {phase:<12} {words} ...")
        for ids in r.units:
            unit = units[ids[0]]
            entry, exit_ = stages[unit.id]
            tells, needs, not_after = told_before(unit)
            facts = [unit.phase + (" (intro)" if unit.intro else ""),
                     f"life {STAGE_NAMES[entry]}" + (f"-{STAGE_NAMES[exit_]}" if exit_ != entry else "")]
            facts += [f"events {', '.join(unit.events)}"] if unit.events else []
            facts += [f"tells {', '.join(sorted(tells))}"] if tells else []
            needs_told = sorted(needs) + [f"unit {x}" for x in unit.requires]
            facts += [f"needs {', '.join(needs_told)} before it"] if needs_told else []
            facts += [f"not after {', '.join(sorted(not_after))}"] if not_after else []
            facts += [f"never with {', '.join(sorted(excluded[unit.id]))}"] if excluded[unit.id] else []
            if unit.literals:
                facts.append(f"told only through paths that leave out {', '.join(unit.literals)}" if sampled_variants(unit)
                             else f"kept out of sampled stories by {', '.join(unit.literals)}")
            lines.append(f"  unit [{' '.join(ids)}]: {'; '.join(facts)}")
    return lines

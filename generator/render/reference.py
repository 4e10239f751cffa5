"""The reference renderer: one story at a time, running the grammar's compiled program piece by
piece and counting every character, so each entity, sentence and phase span is exact. The batched
renderer (`render.batch`) must give the same bytes; tests hold it to this one."""

from __future__ import annotations

import numpy as np

from ..load.templates import parse_template
from ..model.grammar import Grammar
from ..model.plan import Plan
from ..model.story import Entity, PhaseSpan, SentenceSpan, Story
from ..model.templates import Slot, apply_filters, article_offset, fill_parts
from .program import GAPS, Program


def fill(slot: Slot, values: dict[str, str]) -> tuple[str, int]:
    """A slot's rendered text and where its value starts inside it (after any article)."""
    value = values[slot.key]
    return apply_filters(value, slot.filters), article_offset(value, slot.filters)


def render_story(plan: Plan, program: Program) -> Story:
    """The story with its text and every entity, sentence and phase span."""
    values, slots = plan.values, program.grammar.slots
    rows = np.array([[program.index[u.id, u.variant] for u in plan.units]], dtype=np.int64).reshape(1, -1)
    kinds = program.layout.gap_kinds(rows, np.array([len(plan.units)], dtype=np.int64))[0].tolist()
    pieces: list[str] = []
    pos = 0
    entities: list[Entity] = []
    sentences: list[SentenceSpan] = []
    phases: list[PhaseSpan] = []
    told: dict[str, None] = {}
    for kind, unit in zip(kinds, plan.units):
        compiled = program.units[program.index[unit.id, unit.variant]]
        lead = GAPS[kind] + compiled.lead
        pieces.append(lead)
        pos += len(lead)
        ends = [pos]  # where each piece of the unit ends, the lead being piece 0
        for slot, suffix in compiled.pieces:
            if slot is not None:
                text, offset = fill(slot, values)
                told[slot.key] = None
                slot_type = slots.get(slot.key)
                if slot_type is not None and slot_type.is_entity:
                    entities.append(Entity(pos + offset, pos + len(text), slot_type.label, slot.key, slot_type.entity))
                pieces.append(text)
                pos += len(text)
            pieces.append(suffix)
            pos += len(suffix)
            ends.append(pos)
        for sentence, (first, back, last, back_end) in zip(unit.sentences, compiled.marks):
            start, end = ends[first] - back, ends[last] - back_end
            sentences.append(SentenceSpan(start, end, unit.phase, sentence.id, sentence.source.seed))
            if phases and phases[-1].phase == unit.phase:
                phases[-1] = PhaseSpan(unit.phase, phases[-1].start, end)
            else:
                phases.append(PhaseSpan(unit.phase, start, end))
    return Story(plan.seed, plan.index, "".join(pieces), plan.pronouns, values, plan.arc,
                 tuple(sentences), tuple(entities), tuple(phases), tuple(told))


def render_seed(grammar: Grammar, seed_file: str) -> str:
    """Regenerate a seed from its own values and sentences: the round-trip proof of learning."""
    record = next(r for r in grammar.seeds if r.file == seed_file)
    values = dict(record.values)
    for key, value in record.values.items():
        if "{{" in value:  # a title that nests other slots
            values[key] = fill_parts(parse_template(value, f"{seed_file}: {key}"), lambda p: fill(p, values)[0])
    paragraphs = []
    for paragraph in record.paragraphs:
        texts = []
        for sentence_id in paragraph:
            parts = grammar.sentence(sentence_id).parts
            texts.append("".join(p if isinstance(p, str) else fill(p, values)[0] for p in parts))
        paragraphs.append(" ".join(texts))
    return "\n\n".join(paragraphs) + record.trailing

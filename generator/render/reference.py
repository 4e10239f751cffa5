"""Render a story plan to text, with exact character spans for every slot and sentence."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..load.templates import parse_template
from ..model.grammar import Grammar, SentenceTemplate, SlotType, Unit
from ..model.plan import Plan
from ..model.story import Entity, PhaseSpan, SentenceSpan, Story
from ..model.templates import Part, Slot, apply_filters, indefinite_article

MAX_PARAGRAPH = 4  # sentences; a longer run is split at the next unit boundary


GAPS = ("", " ", "\n\n")  # what goes before a unit: nothing (the story's first), a space, a paragraph break


@dataclass(frozen=True)
class Layout:
    """What the paragraph layout needs to know about a unit."""

    phase: str
    opens_paragraph: bool  # its seed started a paragraph at its first sentence
    sentences: int
    tail: int | None  # sentences after the unit's last inner paragraph break, if it has one


def layout(unit: Unit) -> Layout:
    breaks = [k for k, s in enumerate(unit.sentences) if _breaks_before(s, k)]
    tail = len(unit.sentences) - breaks[-1] if breaks else None
    return Layout(unit.phase, unit.sentences[0].new_paragraph, len(unit.sentences), tail)


def _breaks_before(sentence: SentenceTemplate, k: int) -> bool:
    """Inside a unit, keep a paragraph break its seed had, unless it would leave a one-sentence
    paragraph at the unit's start."""
    return k >= 2 and sentence.new_paragraph


def sentence_gap(sentence: SentenceTemplate, k: int) -> str:
    """What goes before the k-th sentence of a unit (nothing before the first)."""
    if k == 0:
        return ""
    return "\n\n" if _breaks_before(sentence, k) else " "


def gap_kinds(layouts: Iterable[Layout]) -> list[int]:
    """Index into GAPS of what goes before each unit. A new paragraph starts at each phase change,
    where a seed started one (unless the paragraph is still short), or when the paragraph has
    grown long."""
    kinds: list[int] = []
    length = 0
    phase = ""
    for unit in layouts:
        if not kinds:
            kind = 0
        elif unit.phase != phase or length >= MAX_PARAGRAPH or (unit.opens_paragraph and length >= 2):
            kind = 2
            length = 0
        else:
            kind = 1
        kinds.append(kind)
        length = unit.tail if unit.tail is not None else length + unit.sentences
        phase = unit.phase
    return kinds


def unit_gaps(units: tuple[Unit, ...]) -> list[str]:
    """What goes before each unit: nothing, a space, or a paragraph break."""
    return [GAPS[kind] for kind in gap_kinds(layout(u) for u in units)]


def render_nested(parts: tuple[Part, ...], values: dict[str, str]) -> str:
    """Fill a title that nests other slots ('Tales of {{ home }}')."""
    return "".join(p if isinstance(p, str) else apply_filters(values[p.key], p.filters) for p in parts)


def fill(slot: Slot, values: dict[str, str]) -> tuple[str, int]:
    """A slot's rendered text and where its value starts inside it (after any article)."""
    value = values[slot.key]
    if not slot.filters:
        return value, 0
    text = apply_filters(value, slot.filters)
    offset = len(indefinite_article(value)) + 1 if slot.article else 0
    return text, offset


def render_story(plan: Plan, grammar: Grammar) -> Story:
    """The story with its text and every entity, sentence and phase span."""
    values, slots = plan.values, grammar.slots
    pieces: list[str] = []
    pos = 0
    entities: list[Entity] = []
    sentences: list[SentenceSpan] = []
    phases: list[PhaseSpan] = []
    for unit_gap, unit in zip(unit_gaps(plan.units), plan.units):
        for k, sentence in enumerate(unit.sentences):
            gap = unit_gap if k == 0 else sentence_gap(sentence, k)
            pieces.append(gap)
            pos += len(gap)
            start = pos
            for part in sentence.parts:
                if isinstance(part, str):
                    pieces.append(part)
                    pos += len(part)
                    continue
                text, offset = fill(part, values)
                _annotate(entities, slots.get(part.key), part.key, pos + offset, pos + len(text))
                pieces.append(text)
                pos += len(text)
            sentences.append(SentenceSpan(start, pos, unit.phase, sentence.id, sentence.source.seed))
            if phases and phases[-1].phase == unit.phase:
                phases[-1] = PhaseSpan(unit.phase, phases[-1].start, pos)
            else:
                phases.append(PhaseSpan(unit.phase, start, pos))
    return Story(plan.seed, plan.index, "".join(pieces), plan.pronouns, values, plan.arc,
                 tuple(sentences), tuple(entities), tuple(phases))


def _annotate(entities: list[Entity], slot_type: SlotType | None, key: str, start: int, end: int) -> None:
    if slot_type is None or not slot_type.entity:
        return  # verbs that agree with a pronoun are slots but not entities
    entities.append(Entity(start, end, slot_type.label, key, slot_type.entity))


def render_seed(grammar: Grammar, seed_file: str) -> str:
    """Regenerate a seed from its own values and sentences: the round-trip proof of learning."""
    record = next(r for r in grammar.seeds if r.file == seed_file)
    values = dict(record.values)
    for key, value in record.values.items():
        if "{{" in value:  # a title that nests other slots
            values[key] = render_nested(parse_template(value, f"{seed_file}: {key}"), values)
    paragraphs = []
    for paragraph in record.paragraphs:
        texts = []
        for sentence_id in paragraph:
            parts = grammar.sentence(sentence_id).parts
            texts.append("".join(p if isinstance(p, str) else fill(p, values)[0] for p in parts))
        paragraphs.append(" ".join(texts))
    return "\n\n".join(paragraphs) + record.trailing

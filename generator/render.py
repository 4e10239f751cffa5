"""Render a story plan to text, with exact character spans for every slot and sentence."""

from __future__ import annotations

from dataclasses import dataclass

from .grammar import Grammar, SentenceTemplate, SlotType, Unit
from .sample import Plan, render_nested
from .templates import Slot, apply_filters, indefinite_article, parse_template

_MAX_PARAGRAPH = 4  # sentences; a longer run is split at the next unit boundary


@dataclass(frozen=True)
class Entity:
    """A slot's value in the text: `text[start:end]` is the mention."""

    start: int
    end: int
    label: str
    slot: str
    entity: str


@dataclass(frozen=True)
class SentenceSpan:
    """A sentence in the text, with its phase and the template and seed it came from."""

    start: int
    end: int
    phase: str
    template: str
    source: str


@dataclass(frozen=True)
class PhaseSpan:
    """A stretch of text that tells one phase of the arc."""

    phase: str
    start: int
    end: int


@dataclass(frozen=True)
class Story:
    """A finished story: its text, what filled it, and gold annotations."""

    seed: int
    index: int
    text: str
    pronouns: str
    values: dict[str, str]
    arc: tuple[str, ...]
    sentences: tuple[SentenceSpan, ...]
    entities: tuple[Entity, ...]
    phases: tuple[PhaseSpan, ...]

    @property
    def id(self) -> str:
        return f"{self.seed}-{self.index}"


def layout(units: tuple[Unit, ...]) -> list[list[tuple[Unit, SentenceTemplate]]]:
    """Group a plan's sentences into paragraphs: a new one at each phase change, at a seed's
    paragraph break inside a unit, or when a paragraph has grown long."""
    paragraphs: list[list[tuple[Unit, SentenceTemplate]]] = []
    previous_phase = ""
    for unit in units:
        for k, sentence in enumerate(unit.sentences):
            current = paragraphs[-1] if paragraphs else None
            starts_unit = k == 0
            new = (
                current is None
                or (starts_unit and unit.phase != previous_phase)
                or (sentence.new_paragraph and len(current) >= 2)
                or (starts_unit and len(current) >= _MAX_PARAGRAPH)
            )
            if new:
                paragraphs.append([])
            paragraphs[-1].append((unit, sentence))
        previous_phase = unit.phase
    return paragraphs


def fill(slot: Slot, values: dict[str, str]) -> tuple[str, int]:
    """A slot's rendered text and where its value starts inside it (after any article)."""
    value = values[slot.key]
    if not slot.filters:
        return value, 0
    text = apply_filters(value, slot.filters)
    offset = len(indefinite_article(value)) + 1 if slot.article else 0
    return text, offset


def render_text(plan: Plan) -> str:
    """The story's text alone: the fast path for plain-text output."""
    values = plan.values
    paragraphs = []
    for paragraph in layout(plan.units):
        pieces: list[str] = []
        for _, sentence in paragraph:
            if pieces:
                pieces.append(" ")
            for part in sentence.parts:
                pieces.append(part if isinstance(part, str) else fill(part, values)[0])
        paragraphs.append("".join(pieces))
    return "\n\n".join(paragraphs)


def render_story(plan: Plan, grammar: Grammar) -> Story:
    """The story with its text and every entity, sentence and phase span."""
    values, slots = plan.values, grammar.slots
    pieces: list[str] = []
    pos = 0
    entities: list[Entity] = []
    sentences: list[SentenceSpan] = []
    phases: list[PhaseSpan] = []
    for number, paragraph in enumerate(layout(plan.units)):
        if number:
            pieces.append("\n\n")
            pos += 2
        for k, (unit, sentence) in enumerate(paragraph):
            if k:
                pieces.append(" ")
                pos += 1
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

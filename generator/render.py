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


@dataclass(frozen=True)
class CompiledUnit:
    """A unit ready for the fast path: one format string for all of its sentences."""

    unit: Unit
    text_format: str


def _field(slot: Slot) -> str:
    return "__".join((slot.key.replace(".", "__"), *slot.filters))


def _breaks_before(sentence: SentenceTemplate, k: int) -> bool:
    """Inside a unit, keep a paragraph break its seed had, unless it would leave a one-sentence
    paragraph at the unit's start."""
    return k >= 2 and sentence.new_paragraph


def _sentence_gap(sentence: SentenceTemplate, k: int) -> str:
    if k == 0:
        return ""
    return "\n\n" if _breaks_before(sentence, k) else " "


def compile_unit(unit: Unit) -> CompiledUnit:
    """Lower a unit's sentences to one str.format template (literal braces doubled)."""
    pieces: list[str] = []
    for k, sentence in enumerate(unit.sentences):
        pieces.append(_sentence_gap(sentence, k))
        for part in sentence.parts:
            pieces.append(part.replace("{", "{{").replace("}", "}}") if isinstance(part, str) else "{" + _field(part) + "}")
    return CompiledUnit(unit, "".join(pieces))


def unit_gaps(units: tuple[Unit, ...]) -> list[str]:
    """What goes before each unit: nothing, a space, or a paragraph break. A new paragraph starts
    at each phase change, where a seed started one (unless the paragraph is still short), or
    when the paragraph has grown long."""
    gaps: list[str] = []
    length = 0
    phase = ""
    for unit in units:
        if not gaps:
            gap = ""
        elif unit.phase != phase or length >= _MAX_PARAGRAPH or (unit.sentences[0].new_paragraph and length >= 2):
            gap = "\n\n"
        else:
            gap = " "
        gaps.append(gap)
        if gap == "\n\n":
            length = 0
        breaks = [k for k, s in enumerate(unit.sentences) if _breaks_before(s, k)]
        length = len(unit.sentences) - breaks[-1] if breaks else length + len(unit.sentences)
        phase = unit.phase
    return gaps


def fill(slot: Slot, values: dict[str, str]) -> tuple[str, int]:
    """A slot's rendered text and where its value starts inside it (after any article)."""
    value = values[slot.key]
    if not slot.filters:
        return value, 0
    text = apply_filters(value, slot.filters)
    offset = len(indefinite_article(value)) + 1 if slot.article else 0
    return text, offset


class Renderer:
    """Renders plans of one grammar; units are compiled once, up front."""

    def __init__(self, grammar: Grammar) -> None:
        self.grammar = grammar
        self.compiled = {unit.id: compile_unit(unit) for unit in grammar.units}
        slots = {p for u in grammar.units for s in u.sentences for p in s.parts if isinstance(p, Slot)}
        self.filtered = sorted((_field(p), p.key, p.filters) for p in slots if p.filters)

    def text(self, plan: Plan) -> str:
        """The story's text alone: the fast path for plain-text output."""
        values = plan.values
        fields = {key.replace(".", "__"): value for key, value in values.items()}
        for name, key, filters in self.filtered:
            fields[name] = apply_filters(values[key], filters)
        compiled = self.compiled
        pieces: list[str] = []
        for gap, unit in zip(unit_gaps(plan.units), plan.units):
            pieces.append(gap)
            pieces.append(compiled[unit.id].text_format.format_map(fields))
        return "".join(pieces)

    def story(self, plan: Plan) -> Story:
        """The story with its text and every entity, sentence and phase span."""
        return render_story(plan, self.grammar)


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
            gap = unit_gap if k == 0 else _sentence_gap(sentence, k)
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

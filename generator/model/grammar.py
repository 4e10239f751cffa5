"""The grammar model: dataclasses for a learned grammar."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .templates import Part

if TYPE_CHECKING:
    from .alternatives import Alternative


@dataclass(frozen=True)
class Source:
    """Where a template came from: the seed file and the original sentence's offsets."""

    seed: str
    start: int
    end: int


@dataclass(frozen=True)
class SentenceTemplate:
    """One sentence of a unit: its Jinja2 template and provenance."""

    id: str
    template: str
    source: Source
    new_paragraph: bool
    parts: tuple[Part, ...] = field(compare=False, repr=False, default=())
    constraints: tuple[str, ...] = ()  # what the template claims of its values (model/constraints.py)
    # Phrase-level alternatives (model.alternatives); `paths` are the sentences they make, the
    # seed's own first, and `taken` is the option a path takes at each choice point.
    alternatives: tuple[Alternative, ...] = ()
    paths: tuple[SentenceTemplate, ...] = field(compare=False, repr=False, default=())
    taken: tuple[int, ...] = field(compare=False, default=())


@dataclass(frozen=True)
class Unit:
    """Sentences that are sampled together because later ones lean on earlier ones."""

    id: str
    phase: str
    sentences: tuple[SentenceTemplate, ...]
    intro: bool = False
    events: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    # Proper nouns of its seed that no slot took: such a unit is told only when its seed is
    # regenerated, never in a sampled story, where those names would not belong.
    literals: tuple[str, ...] = ()
    variant: int = 0  # which of its variants a story tells it through (model.alternatives)


@dataclass(frozen=True)
class Arc:
    """A phase sequence some seeds follow, with the sentence counts they gave each phase."""

    phases: tuple[str, ...]
    lengths: tuple[tuple[int, ...], ...]
    weight: int
    seeds: tuple[str, ...]


@dataclass(frozen=True)
class SlotType:
    """What a slot holds: its entity label and which entity its mentions belong to."""

    label: str
    entity: str

    @property
    def is_entity(self) -> bool:
        """Whether the slot's mentions are entities (verbs that agree with a pronoun are not)."""
        return bool(self.entity)


@dataclass(frozen=True)
class SeedRecord:
    """A seed as the grammar sees it: its own slot values and its sentences by paragraph."""

    file: str
    sha256: str
    pronouns: str
    values: dict[str, str]
    paragraphs: tuple[tuple[str, ...], ...]
    trailing: str


@dataclass(frozen=True)
class Grammar:
    """A learned slot grammar: phases, arcs, units, slot types, and the seeds it came from."""

    name: str
    phases: tuple[str, ...]
    pronoun_sets: dict[str, dict[str, str]]
    pronoun_weights: dict[str, int]
    arcs: tuple[Arc, ...]
    slots: dict[str, SlotType]
    units: tuple[Unit, ...]
    seeds: tuple[SeedRecord, ...]
    sha256: str = ""

    def sentence(self, sentence_id: str) -> SentenceTemplate:
        """Find a sentence template by id."""
        for unit in self.units:
            for sentence in unit.sentences:
                if sentence.id == sentence_id:
                    return sentence
        raise KeyError(sentence_id)

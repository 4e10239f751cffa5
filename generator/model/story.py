"""A finished story: its text, what filled it, and its gold annotations."""

from __future__ import annotations

from dataclasses import dataclass


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
    """A finished story: its text, what filled it (`values`: every value drawn, `told`: the
    slots its text names), and gold annotations."""

    seed: int
    index: int
    text: str
    pronouns: str
    values: dict[str, str]
    arc: tuple[str, ...]
    sentences: tuple[SentenceSpan, ...]
    entities: tuple[Entity, ...]
    phases: tuple[PhaseSpan, ...]
    told: tuple[str, ...] = ()  # the slot keys its sentences name, in the order first named

    @property
    def id(self) -> str:
        return f"{self.seed}-{self.index}"

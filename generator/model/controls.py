"""What the user fixed about the stories: slot values, phases and length bounds."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Controls:
    """What the user fixed; the empty default changes nothing."""

    values: dict[str, str] = field(default_factory=dict)
    pronouns: str | None = None
    phases: tuple[str, ...] | None = None
    min_sentences: int = 0
    max_sentences: int | None = None

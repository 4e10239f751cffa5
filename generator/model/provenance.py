"""What made a fixture: the grammar, the culture pack, the profile, every control and the run.

A fixture records all of it (a JSON record's `meta`, a header or comment line in the other
formats), so that `storygen verify` can regenerate it from the file alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .controls import Controls


@dataclass(frozen=True)
class Provenance:
    """Everything a run's bytes depend on besides the code: the grammar and culture pack (each by
    name and the SHA-256 of its file's text), the profile, the split, the controls, and the run's
    seed, first index and story count (so a missing first or last story can be told)."""

    grammar: str
    grammar_sha256: str
    culture: str
    culture_sha256: str
    profile: str = "default"
    split: str | None = None
    controls: Controls = field(default_factory=Controls)
    seed: int = 0
    start: int = 0
    count: int = 0

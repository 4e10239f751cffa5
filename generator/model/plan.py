"""What the sampler chooses: a batch of stories as columns, and one story's plan."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from .grammar import Grammar, Unit

Column = npt.NDArray[np.object_]  # Python strs
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Coded:
    """A batch's column of one slot: story i's value is options[index[i]] (index None: options
    is the column itself). Renderers compute what they need once per option, not per story."""

    options: Column
    index: Ints | None = None

    def values(self) -> Column:
        return self.options if self.index is None else self.options[self.index]



@dataclass(frozen=True)
class Plan:
    """Everything chosen for one story, before any text is written."""

    seed: int
    index: int
    pronouns: str
    values: dict[str, str]
    arc: tuple[str, ...]
    units: tuple[Unit, ...]


@dataclass(frozen=True)
class Batch:
    """The plans of stories start .. start+len-1, as columns."""

    seed: int
    start: int
    pronouns: list[str]
    codes: dict[str, Coded]  # slot key -> its column, in the order a story lists its values
    arcs: list[tuple[str, ...]]
    units: npt.NDArray[np.int64]  # row i: story i's units (indices into grammar.units), in telling order ...
    unit_counts: npt.NDArray[np.int64]  # ... of which it tells the first unit_counts[i]

    def __len__(self) -> int:
        return len(self.pronouns)

    @cached_property
    def values(self) -> dict[str, list[str | None]]:
        """Slot key -> one value per story (None: the story has no value for it)."""
        return {key: column.values().tolist() for key, column in self.codes.items()}

    def plan(self, i: int, grammar: Grammar) -> Plan:
        """Story start+i as a Plan."""
        values = {key: column[i] for key, column in self.values.items() if column[i] is not None}
        units = tuple(grammar.units[u] for u in self.units[i, :self.unit_counts[i]].tolist())
        return Plan(self.seed, self.start + i, self.pronouns[i], values, self.arcs[i], units)  # type: ignore[arg-type]

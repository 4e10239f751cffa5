"""Render a whole batch of stories at once: the fast path behind text and JSONL output.

`render.render_story` is the reference: one story, part by part, spans counted as it goes. Here
every unit is compiled once into a list of pieces (literal text, or a slot field), and a batch
becomes one flat numpy array of piece numbers: each unit's pieces, in each story's order, with
the gap before each unit filled in. One fancy index turns piece numbers into strings, and each
story is a single `str.join` of its slice. The same flat array gives exact character offsets
(a cumulative sum of piece lengths), so JSONL annotations cost a few more array operations, not
a walk over every part. Tests hold both paths to the reference, byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Optional

import numpy as np
import numpy.typing as npt

from .errors import GrammarError
from .grammar import Grammar
from .render import GAPS, MAX_PARAGRAPH, layout
from .sample import Batch
from .templates import Slot, apply_filters, indefinite_article
from .write import STORY_BREAK

Ints = npt.NDArray[np.int64]
Field = tuple[str, tuple[str, ...]]  # a slot key and the filters applied to it


@dataclass(frozen=True)
class Pieces:
    """A batch's stories as one flat run of pieces."""

    source: npt.NDArray[np.object_]  # the strings pieces point into: literals, then one column per field
    flat: Ints  # every piece of every story, as indices into `source`
    bounds: Ints  # story i is flat[bounds[i]:bounds[i + 1]]
    unit_starts: Ints  # index into flat of each told unit's first piece (its gap)
    unit_bounds: Ints  # story i's units are unit_starts[unit_bounds[i]:unit_bounds[i + 1]]

    def texts(self) -> list[str]:
        strings = self.source[self.flat].tolist()
        bounds = self.bounds.tolist()
        return ["".join(strings[lo:hi]) for lo, hi in zip(bounds, bounds[1:])]

    def joined(self, separator: str) -> str:
        """All the stories' texts, with `separator` between each two: one join for the batch."""
        strings = np.insert(self.source[self.flat], self.bounds[1:-1], separator)
        return "".join(strings.tolist())


class BatchRenderer:
    """Compiles a grammar's units to pieces once; renders batches from them."""

    def __init__(self, grammar: Grammar) -> None:
        self.grammar = grammar
        layouts = [layout(u) for u in grammar.units]
        phases = {p: i for i, p in enumerate(grammar.phases)}
        self.phase: Ints = np.array([phases[u.phase] for u in layouts], dtype=np.int64)
        self.opens = np.array([u.opens_paragraph for u in layouts], dtype=bool)
        self.sentences: Ints = np.array([u.sentences for u in layouts], dtype=np.int64)
        self.tail: Ints = np.array([-1 if u.tail is None else u.tail for u in layouts], dtype=np.int64)
        self.fields: list[Field] = sorted({(p.key, p.filters) for u in grammar.units for s in u.sentences
                                           for p in s.parts if isinstance(p, Slot)})
        field_number = {f: i for i, f in enumerate(self.fields)}
        literals: dict[str, int] = {gap: i for i, gap in enumerate(GAPS)}
        programs: list[list[int]] = []
        for unit in grammar.units:
            # Piece codes: a literal is its number; a field is -1 - its number; the unit's gap is
            # filled in per story (code 0 here).
            program = [0]
            for k, sentence in enumerate(unit.sentences):
                if k:
                    program.append(literals.setdefault("\n\n" if k >= 2 and sentence.new_paragraph else " ", len(literals)))
                for part in sentence.parts:
                    program.append(literals.setdefault(part, len(literals)) if isinstance(part, str)
                                   else -1 - field_number[(part.key, part.filters)])
            programs.append(program)
        self.literals = _objects(list(literals))
        self.piece_count: Ints = np.array([len(p) for p in programs], dtype=np.int64)
        self.piece_start: Ints = np.concatenate([[0], np.cumsum(self.piece_count)[:-1]]).astype(np.int64)
        self.programs: Ints = np.array([c for p in programs for c in p], dtype=np.int64)

    def columns(self, batch: Batch) -> list[list[Optional[str]]]:
        """One column per field: the slot's values with its filters applied."""
        missing = sorted({key for key, _ in self.fields} - set(batch.values))
        if missing:
            raise GrammarError(f"{self.grammar.name}: no value is drawn for slot(s) {', '.join(missing)} (see: storygen check)")
        return [batch.values[key] if not filters else _filtered(batch.values[key], filters) for key, filters in self.fields]

    def gap_kinds(self, units: Ints, unit_counts: Ints) -> Ints:
        """`render.gap_kinds` for every story of a batch at once, a column of units at a time
        (entries past a story's unit count are meaningless)."""
        width = int(unit_counts.max(initial=0))
        phase, opens = self.phase[units[:, :width]], self.opens[units[:, :width]]
        sentences, tail = self.sentences[units[:, :width]], self.tail[units[:, :width]]
        kinds = np.zeros(phase.shape, dtype=np.int64)
        length = np.zeros(len(units), dtype=np.int64)
        for j in range(width):
            if j:
                paragraph = (phase[:, j] != phase[:, j - 1]) | (length >= MAX_PARAGRAPH) | (opens[:, j] & (length >= 2))
                kinds[:, j] = np.where(paragraph, 2, 1)
                length = np.where(paragraph, 0, length)
            length = np.where(tail[:, j] >= 0, tail[:, j], length + sentences[:, j])
        return kinds

    def pieces(self, batch: Batch, columns: Sequence[Sequence[Optional[str]]]) -> Pieces:
        size = len(batch)
        kinds = self.gap_kinds(batch.units, batch.unit_counts)
        told = np.arange(kinds.shape[1]) < batch.unit_counts[:, None]
        units = batch.units[:, :kinds.shape[1]][told]
        kinds = kinds[told]
        counts = self.piece_count[units]
        ends = np.cumsum(counts)
        unit_starts = ends - counts
        # Ragged gather: piece j of the flat run is program piece (start of its unit + offset in it).
        codes = self.programs[np.repeat(self.piece_start[units] - unit_starts, counts) + np.arange(int(ends[-1]) if len(ends) else 0)]
        codes[unit_starts] = kinds
        unit_bounds = np.concatenate([[0], np.cumsum(batch.unit_counts)]).astype(np.int64)
        bounds = np.concatenate([[0], ends])[unit_bounds]
        story = np.repeat(np.arange(size), np.diff(bounds))
        fields = codes < 0
        # Field f of story i lives at len(literals) + f * size + i in `source`.
        flat = np.where(fields, len(self.literals) + (-1 - codes) * size + story, codes)
        source = np.concatenate([self.literals, *(_objects(column) for column in columns)])
        return Pieces(source, flat, bounds, unit_starts, unit_bounds)

    def texts(self, batch: Batch) -> list[str]:
        """The batch's story texts."""
        return self.pieces(batch, self.columns(batch)).texts()

    def text_chunk(self, batch: Batch, first: bool) -> str:
        """The batch in the text format; `first` says whether its first story opens the output."""
        if not len(batch):
            return ""
        body = self.pieces(batch, self.columns(batch)).joined("\n" + STORY_BREAK)
        return ("" if first else STORY_BREAK) + body + "\n"


def _objects(items: Sequence[Optional[str]]) -> npt.NDArray[np.object_]:
    array = np.empty(len(items), dtype=object)
    array[:] = items
    return array


def _filtered(column: Sequence[Optional[str]], filters: tuple[str, ...]) -> list[Optional[str]]:
    """A slot's column with filters applied (each distinct value once)."""
    done = {value: apply_filters(value, filters) for value in set(column) if value is not None}
    return [None if value is None else done[value] for value in column]

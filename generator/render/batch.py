"""Render a whole batch of stories at once: the fast path behind text and JSON output.

`render.reference.render_story` is the reference: one story, piece by piece, spans counted as it
goes. Both run the units as `render.program` compiles them (literal text, or a slot field), and a batch
becomes one flat numpy array of piece numbers: each unit's pieces, in each story's order, with
the gap before each unit filled in. One fancy index turns piece numbers into strings and one
`str.join` writes each story. The same flat array gives exact character offsets (a cumulative
sum of piece lengths), which `records` turns into JSON records with every span. Tests hold both
paths to the reference, byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import GrammarError
from ..model.grammar import Grammar
from ..model.plan import Batch, Column
from ..model.templates import apply_filters
from .program import GAPS, Layout, Mark, compile_unit

FOLD_OPTIONS = 64  # slots with at most this many options get the text after them folded in
DERIVE_MEMO = 100_000  # distinct values remembered per slot and form before starting over
Ints = npt.NDArray[np.int64]
Strings = npt.NDArray[np.object_]  # of str
Bytes = npt.NDArray[np.object_]  # of bytes


@dataclass(frozen=True)
class FieldPiece:
    """A slot's value and the literal text after it, up to the next slot or the end of the unit:
    the unit of output. Folding literals into the slot before them halves the pieces a story
    is joined from."""

    key: str
    filters: tuple[str, ...]
    suffix: str


@dataclass(frozen=True)
class Pieces:
    """A batch's stories as one flat run of pieces, and where each piece's text comes from."""

    sources: Ints  # per piece: its index into a source array laid out by `BatchRenderer.__init__`
    story: Ints  # per piece: its story
    bounds: Ints  # story i is pieces bounds[i]:bounds[i + 1]
    units: Ints  # every told unit, story after story
    unit_starts: Ints  # index of each told unit's first piece (its lead: the gap and any text before a slot)
    unit_story: Ints  # each told unit's story
    unit_bounds: Ints  # story i's units are units[unit_bounds[i]:unit_bounds[i + 1]]
    uncoded: list[int]  # field pieces whose values come per story (their key has no option list)


def _number_pieces(grammar: Grammar, foldable: Callable[[str], bool]) -> tuple[
        list[str], list[list[int]], list[Mark], list[tuple[int, int]], list[int], dict[FieldPiece, int], dict[str, int]]:
    """Compile every unit and number its pieces across the grammar: each unit's lead (the text
    before its first slot; the gap before it is filled per story), its program (field piece
    numbers, or -2 - n for literal piece n), its sentence marks, and its entities as (piece,
    field piece number)."""
    pieces: dict[FieldPiece, int] = {}
    literals: dict[str, int] = {}
    leads: list[str] = []
    programs: list[list[int]] = []
    marks: list[Mark] = []
    entities: list[tuple[int, int]] = []
    entity_count: list[int] = []
    for unit in grammar.units:
        compiled = compile_unit(unit, foldable)
        leads.append(compiled.lead)
        marks += compiled.marks
        program = []
        for p, (slot, text) in enumerate(compiled.pieces, start=1):
            if slot is None:
                program.append(-2 - literals.setdefault(text, len(literals)))
                continue
            program.append(pieces.setdefault(FieldPiece(slot.key, slot.filters, text), len(pieces)))
            slot_type = grammar.slots.get(slot.key)
            if slot_type is not None and slot_type.is_entity:
                entities.append((p, program[-1]))
        programs.append(program)
        entity_count.append(len(entities) - sum(entity_count))
    return leads, programs, marks, entities, entity_count, pieces, literals


class BatchRenderer:
    """Compiles a grammar's units to pieces once; renders batches from them."""

    def __init__(self, grammar: Grammar, options: dict[str, Column | None], fold: bool = True) -> None:
        """`options`: each slot's option list as the sampler codes it, the same array for every
        batch (None: values made per story). Slots with few enough options have the text after
        them folded in (none, if not `fold`)."""
        self.grammar = grammar

        def foldable(key: str) -> bool:
            column = options.get(key)
            return fold and column is not None and len(column) <= FOLD_OPTIONS

        self.layout = Layout(grammar)
        self.phase, self.sentences = self.layout.phase, self.layout.sentences
        self.leads, programs, marks, entities, entity_count, pieces, literals = _number_pieces(grammar, foldable)
        self.literals = list(literals)
        self.field_pieces = list(pieces)
        self.keys = sorted({fp.key for fp in self.field_pieces})
        self.piece_key: Ints = np.array([self.keys.index(fp.key) for fp in self.field_pieces], dtype=np.int64)
        self.has_article = np.array(["a" in fp.filters for fp in self.field_pieces], dtype=bool)
        self.piece_count: Ints = np.array([1 + len(p) for p in programs], dtype=np.int64)
        self.piece_start: Ints = np.concatenate([[0], np.cumsum(self.piece_count)[:-1]]).astype(np.int64)
        self.programs: Ints = np.array([c for p in programs for c in (-1, *p)], dtype=np.int64)
        self.sentence_start: Ints = np.concatenate([[0], np.cumsum(self.sentences)[:-1]]).astype(np.int64)
        self.sentence_marks: Ints = np.array(marks, dtype=np.int64).reshape(-1, 4)
        self.entity_piece: Ints = np.array([p for p, _ in entities], dtype=np.int64)
        self.entity_field: Ints = np.array([n for _, n in entities], dtype=np.int64)
        self.entity_back: Ints = np.array([len(self.field_pieces[n].suffix) for _, n in entities], dtype=np.int64)
        self.entity_count: Ints = np.array(entity_count, dtype=np.int64)
        self.entity_start: Ints = np.concatenate([[0], np.cumsum(self.entity_count)[:-1]]).astype(np.int64)
        self._lay_out_sources(options)

    def _lay_out_sources(self, options: dict[str, Column | None]) -> None:
        """Source arrays, per form: the leads (three per unit, one per gap), the literal pieces,
        every coded field piece's options, then per batch the values of uncoded pieces."""
        missing = sorted(set(self.keys) - set(options))
        if missing:
            raise GrammarError(f"{self.grammar.name}: no value is drawn for slot(s) {', '.join(missing)} (see: storygen check)")
        self.options = [options[key] for key in self.keys]
        self.offsets: Ints = np.zeros(len(self.field_pieces), dtype=np.int64)
        self.uncoded: list[int] = []
        size = len(GAPS) * len(self.leads) + len(self.literals)
        for n in range(len(self.field_pieces)):
            column = self.options[self.piece_key[n]]
            if column is None:
                self.uncoded.append(n)
            else:
                self.offsets[n] = size
                size += len(column)
        self.static_size = size
        self.static_sources: dict[str, npt.NDArray[Any]] = {}
        # Values of pieces without an option list, per piece and form: each distinct value once.
        self.memo: dict[tuple[str, tuple[str, FieldPiece]], dict[str | None, Any]] = {}

    # --- shared ---------------------------------------------------------------------------------
    def _offsets(self, batch: Batch) -> Ints:
        """Where each field piece's values start in this batch's source array."""
        offsets = self.offsets.copy()
        for j, n in enumerate(self.uncoded):
            offsets[n] = self.static_size + j * len(batch)
        return offsets

    def source(self, batch: Batch, pieces: Pieces, form: str) -> npt.NDArray[Any]:
        """The source array for `pieces` in one form: 'str', 'utf-8', 'json body' (UTF-8 of the
        JSON-escaped text, without quotes) or 'length' (in characters)."""
        static = self.static_sources.get(form)
        if static is None:
            items = [_piece(form, None, (), GAPS[kind] + lead) for lead in self.leads for kind in range(len(GAPS))]
            items += [_piece(form, None, (), text) for text in self.literals]
            for n, fp in enumerate(self.field_pieces):
                column = self.options[self.piece_key[n]]
                if column is not None:
                    items += [_piece(form, v, fp.filters, fp.suffix) for v in column.tolist()]
            static = self.static_sources[form] = array_of(items, form)
        if not pieces.uncoded:
            return static
        dynamic: list[Any] = []
        for n in pieces.uncoded:
            fp = self.field_pieces[n]
            done = self.memo.setdefault((fp.key, (form, fp)), {})
            if len(done) > DERIVE_MEMO:
                done.clear()
            values = batch.codes[fp.key].values().tolist()
            for value in set(values).difference(done):
                done[value] = _piece(form, value, fp.filters, fp.suffix)
            dynamic += map(done.__getitem__, values)
        return np.concatenate([static, array_of(dynamic, form)])

    def pieces(self, batch: Batch) -> Pieces:
        size = len(batch)
        offsets, uncoded = self._offsets(batch), self.uncoded
        kinds = self.layout.gap_kinds(batch.units, batch.unit_counts)
        told = np.arange(kinds.shape[1]) < batch.unit_counts[:, None]
        units = batch.units[:, :kinds.shape[1]][told]
        counts = self.piece_count[units]
        ends = np.cumsum(counts)
        unit_starts = ends - counts
        # Ragged gather: piece j of the flat run is program piece (start of its unit + offset in it).
        codes = self.programs[np.repeat(self.piece_start[units] - unit_starts, counts) + np.arange(int(ends[-1]) if len(ends) else 0)]
        unit_story = np.repeat(np.arange(size), batch.unit_counts)
        unit_bounds = np.concatenate([[0], np.cumsum(batch.unit_counts)])
        bounds = np.concatenate([[0], ends])[unit_bounds]
        story = np.repeat(np.arange(size), np.diff(bounds))
        # A field piece's value for story i is its key's option index[i] (or, uncoded, the i-th).
        rows = np.stack([c.index if c.index is not None else np.arange(size) for c in (batch.codes[k] for k in self.keys)]) \
            if self.keys else np.zeros((0, size), dtype=np.int64)
        field = np.maximum(codes, 0)
        sources = offsets[field] + rows[self.piece_key[field], story] if len(self.keys) else np.zeros(len(codes), dtype=np.int64)
        literal = codes <= -2
        sources[literal] = len(GAPS) * len(self.leads) + (-2 - codes[literal])
        sources[unit_starts] = len(GAPS) * units + kinds[told]
        return Pieces(sources, story, bounds, units, unit_starts, unit_story, unit_bounds, uncoded)

    # --- text -----------------------------------------------------------------------------------
    def texts(self, batch: Batch) -> list[str]:
        """The batch's story texts."""
        pieces = self.pieces(batch)
        strings = self.source(batch, pieces, "str")[pieces.sources].tolist()
        bounds = pieces.bounds.tolist()
        return ["".join(strings[lo:hi]) for lo, hi in zip(bounds, bounds[1:])]


Section = tuple[Bytes, Ints | None]  # pieces; story i's are pieces[bounds[i]:bounds[i + 1]] (None: piece i)


FLAT_SECTIONS = 4  # sections up to which `Sections.joined` places pieces in one flat array


@dataclass(frozen=True)
class Sections:
    """A batch's output as sections of pieces (see `Section`), in the order each story reads them."""

    parts: list[Section]
    size: int  # stories

    def stories(self) -> list[bytes]:
        """Each story's bytes."""
        return assemble(self.parts, self.size)

    def joined(self) -> bytes:
        """The stories' bytes one after another: put in place in one flat array where there are
        few sections (text: 1.2x faster than joining story by story), story by story where there
        are many (JSON records, whose flat array costs more than it saves)."""
        if len(self.parts) > FLAT_SECTIONS:
            return b"".join(self.stories())
        return joined(self.parts, self.size)


def assemble(sections: list[Section], size: int) -> list[bytes]:
    """Each story's bytes: its share of every section, sections in the order given. Pieces are
    gathered into one list per story and joined once (every copy of tens of MB per batch costs
    more than gathering does)."""
    columns = [(strings.tolist(), None if bounds is None else bounds.tolist()) for strings, bounds in sections]
    stories = []
    for i in range(size):
        parts: list[bytes] = []
        for items, bounds in columns:
            if bounds is None:
                parts.append(items[i])
            else:
                parts += items[bounds[i]:bounds[i + 1]]
        stories.append(b"".join(parts))
    return stories


def joined(sections: list[Section], size: int) -> bytes:
    """`assemble`'s stories one after another, as one bytes object: every piece is put in its place
    in one flat array by index arithmetic and the array joined once (what a writer wants, where
    a join per story would cost more than the pieces)."""
    if not size:
        return b""
    counts = [np.ones(size, dtype=np.int64) if bounds is None else np.diff(bounds) for _, bounds in sections]
    per_story = np.sum(counts, axis=0)
    place = np.concatenate([[0], np.cumsum(per_story)[:-1]])  # where story i's first piece goes
    flat = np.empty(int(per_story.sum()), dtype=object)
    for (strings, bounds), count in zip(sections, counts):
        if bounds is None:
            flat[place] = strings
        else:
            flat[ragged(place, count)] = strings[bounds[0]:bounds[-1]]
        place = place + count
    return b"".join(flat.tolist())


def ragged(starts: Ints, counts: Ints) -> Ints:
    """starts[i], starts[i] + 1, ..., starts[i] + counts[i] - 1, for each i in turn."""
    ends = np.cumsum(counts)
    return np.repeat(starts - (ends - counts), counts) + np.arange(int(ends[-1]) if len(ends) else 0)


def json_text(value: object) -> str:
    """`value` as JSON, as the records write it."""
    return json.dumps(value, ensure_ascii=False)


def filled(value: str | None, filters: tuple[str, ...]) -> str:
    """A value with its filters applied ('' for a story without one)."""
    return "" if value is None else apply_filters(value, filters)


def array_of(items: list[Any], form: str) -> npt.NDArray[Any]:
    """int64 for lengths, else an object array."""
    return np.array(items, dtype=np.int64) if form == "length" else objects(items)


def _piece(form: str, value: str | None, filters: tuple[str, ...], suffix: str) -> Any:
    """A field piece (a value with its filters applied, then `suffix`) in one form."""
    text = filled(value, filters) + suffix
    if form == "length":
        return len(text)
    if form == "str":
        return text
    if form == "utf-8":
        return text.encode()
    return encode_basestring(text)[1:-1].encode()  # "json body"


def encoded(items: Sequence[str]) -> Bytes:
    """The items as UTF-8, in an object array."""
    return objects([item.encode() for item in items])


def objects(items: Sequence[object]) -> npt.NDArray[np.object_]:
    """A 1-D object array of the items."""
    array = np.empty(len(items), dtype=object)
    array[:] = items
    return array

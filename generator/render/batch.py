"""Render a whole batch of stories at once: the fast path behind text and JSON output.

`render.render_story` is the reference: one story, part by part, spans counted as it goes. Here
every unit is compiled once into a list of pieces (literal text, or a slot field), and a batch
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
from ..model.grammar import Grammar, Unit
from ..model.plan import Batch
from ..model.templates import Slot, apply_filters
from .reference import GAPS, MAX_PARAGRAPH, layout, sentence_gap

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

    sources: Ints  # per piece: its index into a source array laid out by `BatchRenderer._layout`
    story: Ints  # per piece: its story
    bounds: Ints  # story i is pieces bounds[i]:bounds[i + 1]
    units: Ints  # every told unit, story after story
    unit_starts: Ints  # index of each told unit's first piece (its lead: the gap and any text before a slot)
    unit_story: Ints  # each told unit's story
    unit_bounds: Ints  # story i's units are units[unit_bounds[i]:unit_bounds[i + 1]]
    uncoded: list[int]  # field pieces whose values come per story (their key has no option list)


def unit_pieces(unit: Unit, foldable: Callable[[str], bool]) -> tuple[str, list[tuple[Slot | None, str]], list[tuple[int, int, int, int]]]:
    """A unit as its lead's text, then its other pieces in order: (slot, the text after it) for a
    slot, (None, text) for a literal piece; and each sentence's start and end as (piece, how
    many characters back from that piece's end), the lead being piece 0. A slot that is not
    `foldable` (many options, or values made per story) keeps its value alone and the text
    after it becomes a literal piece, so that option tables stay small."""
    runs = [""]  # each piece's literal text (a field piece's follows its value)
    slots: list[Slot | None] = [None]  # each piece's slot (None: the lead or a literal piece)
    points: list[tuple[int, int]] = []  # (piece, offset into its text)
    for k, sentence in enumerate(unit.sentences):
        runs[-1] += sentence_gap(sentence, k)
        points.append((len(runs) - 1, len(runs[-1])))
        for part in sentence.parts:
            if isinstance(part, str):
                runs[-1] += part
                continue
            slots.append(part)
            runs.append("")
            if not foldable(part.key):
                slots.append(None)
                runs.append("")
        points.append((len(runs) - 1, len(runs[-1])))
    # Drop empty literal pieces; a point in one is the end of the piece before it.
    keep = [p for p in range(len(runs)) if p == 0 or slots[p] is not None or runs[p]]
    renumber = {p: n for n, p in enumerate(keep)}
    backs = [(renumber[p], len(runs[p]) - offset) if p in renumber else (renumber[p - 1], 0) for p, offset in points]
    marks = [(*backs[i], *backs[i + 1]) for i in range(0, len(backs), 2)]
    return runs[0], [(slots[p], runs[p]) for p in keep[1:]], marks


class BatchRenderer:
    """Compiles a grammar's units to pieces once; renders batches from them."""

    def __init__(self, grammar: Grammar, option_counts: dict[str, int | None] | None = None) -> None:
        """`option_counts`: how many options the sampler codes each slot's values with (None:
        values made per story); slots with few enough have the text after them folded in."""
        self.grammar = grammar
        counts = option_counts or {}

        def foldable(key: str) -> bool:
            count = counts.get(key)
            return count is not None and count <= FOLD_OPTIONS

        layouts = [layout(u) for u in grammar.units]
        phases = {p: i for i, p in enumerate(grammar.phases)}
        self.phase: Ints = np.array([phases[u.phase] for u in layouts], dtype=np.int64)
        self.opens = np.array([u.opens_paragraph for u in layouts], dtype=bool)
        self.sentences: Ints = np.array([u.sentences for u in layouts], dtype=np.int64)
        self.tail: Ints = np.array([-1 if u.tail is None else u.tail for u in layouts], dtype=np.int64)
        # Each unit becomes a lead (the gap before it, filled per story, and the text before its
        # first slot), then its slots' pieces (see `unit_pieces`), numbered across the grammar.
        pieces: dict[FieldPiece, int] = {}
        literals: dict[str, int] = {}
        self.leads: list[str] = []
        programs: list[list[int]] = []
        marks: list[tuple[int, int, int, int]] = []  # per sentence: start (piece, back), end (piece, back)
        entities: list[tuple[int, int]] = []  # per unit, flat: (piece, field piece number)
        entity_count: list[int] = []
        for unit in grammar.units:
            lead, rest, unit_marks = unit_pieces(unit, foldable)
            self.leads.append(lead)
            marks += unit_marks
            program = []
            for p, (slot, text) in enumerate(rest, start=1):
                if slot is None:
                    program.append(-2 - literals.setdefault(text, len(literals)))
                    continue
                program.append(pieces.setdefault(FieldPiece(slot.key, slot.filters, text), len(pieces)))
                if _is_entity(grammar, slot.key):
                    entities.append((p, program[-1]))
            programs.append(program)
            entity_count.append(len(entities) - sum(entity_count))
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
        # Source arrays: per form, the leads and each coded field piece's values, for one layout.
        self.layout_key: tuple[Any, ...] = ()
        self.layout_offsets: Ints = np.zeros(0, dtype=np.int64)
        self.layout_uncoded: list[int] = []
        self.layout_size = 0
        self.static_sources: dict[str, npt.NDArray[Any]] = {}
        # Values of pieces without an option list, per piece and form: each distinct value once.
        self.memo: dict[tuple[str, tuple[str, FieldPiece]], dict[str | None, Any]] = {}

    # --- shared ---------------------------------------------------------------------------------
    def _layout(self, batch: Batch) -> tuple[Ints, list[int]]:
        """Where each field piece's values start in a source array (the leads come first, three
        per unit, one per gap; then the literal pieces; then every coded piece's options; then,
        per batch, the values of pieces whose key has no option list), and those uncoded pieces."""
        missing = sorted(set(self.keys) - set(batch.codes))
        if missing:
            raise GrammarError(f"{self.grammar.name}: no value is drawn for slot(s) {', '.join(missing)} (see: storygen check)")
        columns = [batch.codes[key] for key in self.keys]
        layout_key = tuple(None if c.index is None else id(c.options) for c in columns)
        if layout_key != self.layout_key:
            offsets = np.zeros(len(self.field_pieces), dtype=np.int64)
            uncoded = []
            size = len(GAPS) * len(self.leads) + len(self.literals)
            for n, _fp in enumerate(self.field_pieces):
                column = columns[self.piece_key[n]]
                if column.index is None:
                    uncoded.append(n)
                else:
                    offsets[n] = size
                    size += len(column.options)
            self.layout_key, self.layout_offsets, self.layout_uncoded, self.layout_size = layout_key, offsets, uncoded, size
            self.static_sources = {}
        offsets = self.layout_offsets.copy()
        for j, n in enumerate(self.layout_uncoded):
            offsets[n] = self.layout_size + j * len(batch)
        return offsets, self.layout_uncoded

    def source(self, batch: Batch, pieces: Pieces, form: str) -> npt.NDArray[Any]:
        """The source array for `pieces` in one form: 'str', 'utf-8', 'json body' (UTF-8 of the
        JSON-escaped text, without quotes) or 'length' (in characters)."""
        static = self.static_sources.get(form)
        if static is None:
            columns = [batch.codes[key] for key in self.keys]
            items = [_piece(form, None, (), GAPS[kind] + lead) for lead in self.leads for kind in range(len(GAPS))]
            items += [_piece(form, None, (), text) for text in self.literals]
            for n, fp in enumerate(self.field_pieces):
                column = columns[self.piece_key[n]]
                if column.index is not None:
                    items += [_piece(form, v, fp.filters, fp.suffix) for v in column.options.tolist()]
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

    def pieces(self, batch: Batch) -> Pieces:
        size = len(batch)
        offsets, uncoded = self._layout(batch)
        kinds = self.gap_kinds(batch.units, batch.unit_counts)
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


def ragged(starts: Ints, counts: Ints) -> Ints:
    """starts[i], starts[i] + 1, ..., starts[i] + counts[i] - 1, for each i in turn."""
    ends = np.cumsum(counts)
    return np.repeat(starts - (ends - counts), counts) + np.arange(int(ends[-1]) if len(ends) else 0)


def json_text(value: object) -> str:
    """`value` as JSON, as the records write it."""
    return json.dumps(value, ensure_ascii=False)


def _is_entity(grammar: Grammar, key: str) -> bool:
    slot = grammar.slots.get(key)
    return slot is not None and bool(slot.entity)  # verbs that agree with a pronoun are not entities


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

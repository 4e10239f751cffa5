"""Render a whole batch of stories at once: the fast path behind text and JSON output.

`render.render_story` is the reference: one story, part by part, spans counted as it goes. Here
every unit is compiled once into a list of pieces (literal text, or a slot field), and a batch
becomes one flat numpy array of piece numbers: each unit's pieces, in each story's order, with
the gap before each unit filled in. One fancy index turns piece numbers into strings and one
`str.join` writes the batch. The same flat array gives exact character offsets (a cumulative
sum of piece lengths), so JSON records with every span cost a few more array operations rather
than a walk over every part, and the records are assembled from pieces too. Tests hold both
paths to the reference, byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from json.encoder import encode_basestring
from dataclasses import dataclass
from typing import Any, Callable, Optional

import numpy as np
import numpy.typing as npt

from .errors import GrammarError
from .grammar import Grammar
from .render import GAPS, MAX_PARAGRAPH, layout
from .sample import Batch
from .slot_values import Coded
from .templates import Slot, apply_filters, indefinite_article
from .write import STORY_BREAK, cast_layout, meta

STORY_BREAK_BYTES = STORY_BREAK.encode()
FOLD_OPTIONS = 64  # slots with at most this many options get the text after them folded in
DERIVE_MEMO = 100_000  # distinct values remembered per slot and derivation before starting over
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


class BatchRenderer:
    """Compiles a grammar's units to pieces once; renders batches from them."""

    def __init__(self, grammar: Grammar, option_counts: Optional[dict[str, Optional[int]]] = None) -> None:
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
        # first slot), then per slot a FieldPiece; a slot with many options (or none: values made
        # per story) keeps its value alone and the text after it becomes a literal piece, so that
        # tables stay small. A point in the text is (piece p of the unit, characters back from
        # p's end): p's end is known once lengths are summed.
        pieces: dict[FieldPiece, int] = {}
        literals: dict[str, int] = {}
        self.leads: list[str] = []
        programs: list[list[int]] = []
        marks: list[tuple[int, int, int, int]] = []  # per sentence: start (piece, back), end (piece, back)
        sentence_tail: list[str] = []
        entities: list[tuple[int, int]] = []  # per unit, flat: (piece, field piece number)
        entity_count: list[int] = []
        for unit in grammar.units:
            runs = [""]  # each piece's literal text (a field piece's follows its value)
            slots: list[Optional[Slot]] = [None]  # each piece's slot (None: the lead or a literal piece)
            points: list[tuple[int, int]] = []
            for k, sentence in enumerate(unit.sentences):
                if k:
                    runs[-1] += "\n\n" if k >= 2 and sentence.new_paragraph else " "
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
                sentence_tail.append(f', "phase": {_json(unit.phase)}, "template": {_json(sentence.id)}, '
                                     f'"source": {_json(sentence.source.seed)}}}')
            # Drop empty literal pieces; a point in one is the end of the piece before it.
            keep = [p for p in range(len(runs)) if p == 0 or slots[p] is not None or runs[p]]
            renumber = {p: keep.index(p) for p in keep}
            points = [(renumber[p], len(runs[p]) - offset) if p in renumber else (renumber[p - 1], 0) for p, offset in points]
            marks += [(*points[i], *points[i + 1]) for i in range(0, len(points), 2)]
            self.leads.append(runs[0])
            program = []
            for p in keep[1:]:
                slot = slots[p]
                if slot is None:
                    program.append(-2 - literals.setdefault(runs[p], len(literals)))
                else:
                    program.append(pieces.setdefault(FieldPiece(slot.key, slot.filters, runs[p]), len(pieces)))
                    if _is_entity(grammar, slot.key):
                        entities.append((renumber[p], program[-1]))
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
        self.sentence_count = self.sentences
        self.sentence_start: Ints = np.concatenate([[0], np.cumsum(self.sentences)[:-1]]).astype(np.int64)
        self.sentence_marks: Ints = np.array(marks, dtype=np.int64).reshape(-1, 4)
        self.sentence_tail = _encoded(sentence_tail)
        self.entity_piece: Ints = np.array([p for p, _ in entities], dtype=np.int64)
        self.entity_field: Ints = np.array([n for _, n in entities], dtype=np.int64)
        self.entity_back: Ints = np.array([len(self.field_pieces[n].suffix) for _, n in entities], dtype=np.int64)
        self.entity_count: Ints = np.array(entity_count, dtype=np.int64)
        self.entity_start: Ints = np.concatenate([[0], np.cumsum(self.entity_count)[:-1]]).astype(np.int64)
        # The tail of an entity record ('"label": ..., "entity": ...}'), numbered; each field piece's number.
        tails = [_entity_tail(grammar, fp.key) for fp in self.field_pieces]
        self.entity_tails = tuple(dict.fromkeys(tails))
        self.entity_tail: Ints = np.array([self.entity_tails.index(tail) for tail in tails], dtype=np.int64)
        self.phase_head = _encoded([f'{{"phase": {_json(p)}, "start": ' for p in grammar.phases])
        self._numbers: Optional[Numbers] = None
        # Source arrays: per form, the leads and each coded field piece's values, for one layout.
        self.layout_key: tuple[Any, ...] = ()
        self.layout_offsets: Ints = np.zeros(0, dtype=np.int64)
        self.layout_uncoded: list[int] = []
        self.layout_size = 0
        self.static_sources: dict[str, npt.NDArray[Any]] = {}
        # What `_derive` worked out: per option list, or per value for columns without options.
        self.derived: dict[tuple[str, Derivation], tuple[Strings, npt.NDArray[Any]]] = {}
        self.memo: dict[tuple[str, Derivation], dict[Optional[str], Any]] = {}
        self.joined: dict[Any, tuple[list[Strings], Bytes]] = {}

    @property
    def numbers(self) -> Numbers:
        """Offsets as text, made on first use (plain text output never needs them)."""
        if self._numbers is None:
            self._numbers = Numbers(4096)
        return self._numbers

    @numbers.setter
    def numbers(self, numbers: Numbers) -> None:
        self._numbers = numbers

    # --- shared ---------------------------------------------------------------------------------
    def _derive(self, batch: Batch, key: str, how: Derivation) -> npt.NDArray[Any]:
        """Slot `key`'s column for the batch, each value turned into what `how` names. Worked out
        once per option of a coded column (and reused while the options are), or once per
        distinct value otherwise."""
        column = batch.codes[key]
        derive = DERIVATIONS[how[0]]
        if column.index is not None:
            known = self.derived.get((key, how))
            if known is None or known[0] is not column.options:
                known = (column.options, _array([derive(v, how[1]) for v in column.options.tolist()], how[0]))
                self.derived[(key, how)] = known
            return known[1][column.index]
        memo = self.memo.setdefault((key, how), {})
        if len(memo) > DERIVE_MEMO:
            memo.clear()
        values = column.options.tolist()
        for value in set(values).difference(memo):
            memo[value] = derive(value, how[1])
        return _array(list(map(memo.__getitem__, values)), how[0])

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
            for n, fp in enumerate(self.field_pieces):
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
            static = self.static_sources[form] = _array(items, form)
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
        return np.concatenate([static, _array(dynamic, form)])

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

    def text_chunk(self, batch: Batch, first: bool) -> list[bytes]:
        """The batch in the text format, story by story, UTF-8; `first`: its first story opens the output."""
        size = len(batch)
        if not size:
            return []
        pieces = self.pieces(batch)
        breaks = _objects([STORY_BREAK_BYTES] * size)
        if first:
            breaks[0] = b""
        sections = [(breaks, None), (self.source(batch, pieces, "utf-8")[pieces.sources], pieces.bounds),
                    (_objects([b"\n"] * size), None)]
        return _assemble(sections, size)

    # --- JSON records ---------------------------------------------------------------------------
    def records_chunk(self, batch: Batch, culture: str, kind: str, first: bool) -> list[bytes]:
        """The batch as JSON records, UTF-8, exactly as `json.dumps(write.record(...),
        ensure_ascii=False)` writes them: one per line for 'jsonl', or as elements of the 'json' array.
        Returned story by story."""
        size = len(batch)
        if not size:
            return []
        pieces = self.pieces(batch)
        # end[k]: characters up to the end of piece k, counted from the start of the batch.
        end = np.cumsum(self.source(batch, pieces, "length")[pieces.sources])
        story_base = np.concatenate([[0], end])[pieces.bounds[:-1]]
        numbers = self.numbers
        numbers.grow(int((end[pieces.bounds[1:] - 1] - story_base).max(initial=0)) + 1)  # the longest story's length

        def per_story(per_unit: Ints) -> Ints:
            """Bounds of each story's items, given how many items each told unit has."""
            return np.concatenate([[0], np.cumsum(per_unit)])[pieces.unit_bounds]

        # Entities: the field pieces of entity slots: the value (after any article the slot adds)
        # without the text that follows it.
        per_unit = self.entity_count[pieces.units]
        entity = _ragged(self.entity_start[pieces.units], per_unit)
        field = self.entity_field[entity]
        piece = np.repeat(pieces.unit_starts, per_unit) + self.entity_piece[entity]
        story = pieces.story[piece]
        article = np.zeros(len(piece), dtype=np.int64)
        for n in sorted(set(field[self.has_article[field]].tolist())):
            chosen = np.flatnonzero(field == n)
            fp = self.field_pieces[n]
            article[chosen] = self._derive(batch, fp.key, ("article", fp.filters))[story[chosen]]
        entity_start = end[piece - 1] - story_base[story] + article
        entity_end = end[piece] - story_base[story] - self.entity_back[entity]
        entity_ends = numbers.ends_with(self.entity_tails)[self.entity_tail[field] * numbers.size + entity_end]
        entities = _spans(entity_start, entity_ends, per_story(per_unit), numbers)

        # Sentences: each told unit's sentences, from the marks compiled for them.
        per_unit = self.sentence_count[pieces.units]
        sentence = _ragged(self.sentence_start[pieces.units], per_unit)
        unit_start = np.repeat(pieces.unit_starts, per_unit)
        base = np.repeat(story_base[pieces.unit_story], per_unit)
        marks = self.sentence_marks[sentence]
        sentence_start = end[unit_start + marks[:, 0]] - marks[:, 1] - base
        sentence_end = end[unit_start + marks[:, 2]] - marks[:, 3] - base
        sentences = _spans(sentence_start, numbers.end[sentence_end], per_story(per_unit), numbers, self.sentence_tail[sentence])

        # Phases: runs of told units in one phase, from the first sentence's start to the last's end.
        unit_phase = self.phase[pieces.units]
        opens_run = np.ones(len(pieces.units), dtype=bool)
        opens_run[1:] = (unit_phase[1:] != unit_phase[:-1]) | (pieces.unit_story[1:] != pieces.unit_story[:-1])
        run_first = np.flatnonzero(opens_run)
        run_last = np.concatenate([run_first[1:], [len(pieces.units)]]) - 1
        first_sentence_of_unit = np.concatenate([[0], np.cumsum(per_unit)[:-1]])
        phase_start = sentence_start[first_sentence_of_unit[run_first]]
        phase_end = sentence_end[first_sentence_of_unit[run_last] + per_unit[run_last] - 1]
        phases = _phase_spans(phase_start, phase_end, np.searchsorted(run_first, pieces.unit_bounds), numbers,
                              self.phase_head[unit_phase[run_first]])

        text = self.source(batch, pieces, "json body")[pieces.sources]
        separator = "\n" if kind == "jsonl" else ""
        opening = ["" if kind == "jsonl" else ("\n" if first and i == 0 else ",\n") for i in range(size)]
        heads = _encoded([f'{opening[i]}{{"id": "{batch.seed}-{batch.start + i}", "seed": {batch.seed}, '
                          f'"index": {batch.start + i}, "text": "' for i in range(size)])
        sections = [
            (heads, None),
            (text, pieces.bounds),
            *self._middle(batch),
            (_encoded([', "entities": ['] * size), None),
            entities,
            (_encoded(['], "sentences": ['] * size), None),
            sentences,
            (_encoded(['], "phases": ['] * size), None),
            phases,
            (_encoded([f'], "meta": {_json(meta(self.grammar, culture))}}}{separator}'] * size), None),
        ]
        return _assemble(sections, size)

    def _middle(self, batch: Batch) -> list[Section]:
        """'", "pronouns": ..., "arc": ..., "cast": {...}, "slots": {...}' for each story."""
        size = len(batch)
        arcs = {arc: json.dumps(list(arc), ensure_ascii=False) for arc in set(batch.arcs)}
        head = _encoded([f'", "pronouns": {encode_basestring(p)}, "arc": {arcs[a]}, "cast": ' for p, a in zip(batch.pronouns, batch.arcs)])
        people = cast_layout(batch.codes)
        slots = [key for key in sorted(self.grammar.slots) if key in batch.codes]
        shown = {key for facts in people.values() for _, key in facts} | set(slots)
        if any(_has_none(batch.codes[key]) for key in shown):
            # A pronoun set lacks a form some stories show: build those objects story by story.
            def obj(pairs: list[tuple[str, Optional[str]]]) -> dict[str, str]:
                return {name: value for name, value in pairs if value is not None}

            def cast(i: int) -> str:
                roles = {role: obj([(f, batch.values[k][i]) for f, k in facts]) for role, facts in people.items()}
                return _json({role: facts for role, facts in roles.items() if facts})

            objects = [f'{cast(i)}, "slots": {_json(obj([(k, batch.values[k][i]) for k in slots]))}' for i in range(size)]
            return [(head, None), (_encoded(objects), None)]
        # Every story shows the same keys: each value's piece carries the key before it, and
        # values drawn together (one index: a pronoun set's forms, the city abroad's facts) or
        # fixed for the batch share one piece.
        parts: list[tuple[str, Derivation]] = []
        opening = "{"
        for role, facts in people.items():
            for f, (fact, key) in enumerate(facts):
                prefix = f'{opening}{encode_basestring(role)}: {{' if f == 0 else ", "
                parts.append((key, ("json", f"{prefix}{encode_basestring(fact)}: ")))
            opening = "}, "
        opening = ("}" if people else "{") + '}, "slots": {'
        for key in slots:
            parts.append((key, ("json", f"{opening}{encode_basestring(key)}: ")))
            opening = ", "
        closing = "}" if slots else opening + "}"
        pieces = [head, *(self._derive_joined(batch, group) for group in _groups(batch, parts))]
        return [(np.stack(pieces, axis=1).reshape(-1), np.arange(size + 1) * len(pieces)), (_encoded([closing] * size), None)]

    def _derive_joined(self, batch: Batch, group: list[tuple[str, Derivation]]) -> Bytes:
        """The derived values of slots that share one index (see `_groups`), joined: one table
        of joined options per group, kept while the option lists are the same objects."""
        if len(group) == 1:
            return self._derive(batch, *group[0])
        columns = [batch.codes[key] for key, _ in group]
        options = [c.options for c in columns]
        varying = [c for c in columns if len(c.options) > 1]
        index = (varying[0] if varying else columns[0]).index
        known = self.joined.get(tuple(group))
        if known is None or any(a is not b for a, b in zip(known[0], options)):
            width = len(varying[0].options) if varying else 1
            table = _objects([b"".join(DERIVATIONS[how[0]](o[j if len(o) > 1 else 0], how[1]) for o, (_, how) in zip(options, group))
                              for j in range(width)])
            known = (options, table)
            self.joined[tuple(group)] = known
        return known[1][index]


def _groups(batch: Batch, parts: list[tuple[str, Derivation]]) -> list[list[tuple[str, Derivation]]]:
    """Consecutive parts that can share one piece: coded columns whose varying ones all use the
    same index array (values drawn together), plus any with a single option (fixed for the batch)."""
    groups: list[list[tuple[str, Derivation]]] = []
    shared: Optional[Coded] = None  # the group's varying column, if any
    joinable = False
    for key, how in parts:
        column = batch.codes[key]
        coded = column.index is not None
        fixed = coded and len(column.options) == 1
        fits = fixed or shared is None or (column.index is shared.index and len(column.options) == len(shared.options))
        if groups and joinable and coded and fits:
            groups[-1].append((key, how))
        else:
            groups.append([(key, how)])
            joinable, shared = coded, None
        if coded and not fixed:
            shared = column
    return groups


class Numbers:
    """Offsets written by lookup rather than str(): '{"start": 12', ', "end": 40', and so on."""

    def __init__(self, size: int) -> None:
        self.size = 0
        self.grow(size)

    def grow(self, size: int) -> None:
        if size <= self.size:
            return
        self.size = max(size, 2 * self.size)
        plain = [str(n) for n in range(self.size)]
        self.plain = _encoded(plain)
        self.start = _encoded(['{"start": ' + n for n in plain])
        self.next_start = _encoded([', {"start": ' + n for n in plain])
        self.end = _encoded([', "end": ' + n for n in plain])
        self.end_closed = _encoded([', "end": ' + n + "}" for n in plain])
        self.tables: dict[tuple[str, ...], npt.NDArray[np.object_]] = {}

    def ends_with(self, tails: tuple[str, ...]) -> npt.NDArray[np.object_]:
        """table[t * size + n] is ', "end": n' followed by tails[t] (made on first use)."""
        table = self.tables.get(tails)
        if table is None:
            table = _objects([f', "end": {n}{tail}'.encode() for tail in tails for n in range(self.size)])
            self.tables[tails] = table
        return table


Section = tuple[Bytes, Optional[Ints]]  # pieces; story i's are pieces[bounds[i]:bounds[i + 1]] (None: piece i)


def _spans(start: Ints, ends: Bytes, bounds: Ints, numbers: Numbers, tail: Optional[Bytes] = None) -> Section:
    """Each story's list of {"start": s, ...ends, ...tail} objects (story i's are items
    bounds[i]:bounds[i + 1]); `ends` holds each item's ', "end": e' and maybe more."""
    heads = numbers.next_start[start]
    first = bounds[:-1][bounds[:-1] < bounds[1:]]  # each story's first item, if it has any
    heads[first] = numbers.start[start[first]]
    columns = [heads, ends, *([] if tail is None else [tail])]
    return np.stack(columns, axis=1).reshape(-1), bounds * len(columns)


def _phase_spans(start: Ints, end: Ints, bounds: Ints, numbers: Numbers, heads: Bytes) -> Section:
    """Each story's list of {"phase": p, "start": s, "end": e} objects."""
    first = np.zeros(len(start), dtype=bool)
    first[bounds[:-1][bounds[:-1] < bounds[1:]]] = True
    heads = np.where(first, heads, b", " + heads)  # a few per story: no table needed
    return np.stack([heads, numbers.plain[start], numbers.end_closed[end]], axis=1).reshape(-1), bounds * 3


def _assemble(sections: list[Section], size: int) -> list[bytes]:
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


def _ragged(starts: Ints, counts: Ints) -> Ints:
    """starts[i], starts[i] + 1, ..., starts[i] + counts[i] - 1, for each i in turn."""
    ends = np.cumsum(counts)
    return np.repeat(starts - (ends - counts), counts) + np.arange(int(ends[-1]) if len(ends) else 0)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _is_entity(grammar: Grammar, key: str) -> bool:
    slot = grammar.slots.get(key)
    return slot is not None and bool(slot.entity)  # verbs that agree with a pronoun are not entities


def _entity_tail(grammar: Grammar, key: str) -> str:
    slot = grammar.slots.get(key)
    return "" if slot is None else f', "label": {_json(slot.label)}, "slot": {_json(key)}, "entity": {_json(slot.entity)}}}'


def _piece(form: str, value: Optional[str], filters: tuple[str, ...], suffix: str) -> Any:
    """A field piece (a value with its filters applied, then `suffix`) in one form."""
    text = _filled(value, filters) + suffix
    if form == "length":
        return len(text)
    if form == "str":
        return text
    if form == "utf-8":
        return text.encode()
    return encode_basestring(text)[1:-1].encode()  # "json body"


def _has_none(column: Coded) -> bool:
    if column.index is None or None in column.options.tolist():
        return any(value is None for value in column.values().tolist())
    return False


def _article(value: Optional[str], filters: tuple[str, ...]) -> int:
    """How far into the filtered value the slot's own value starts ('an 18' -> 3): an entity's
    span leaves out the article the `a` filter adds."""
    return len(indefinite_article(value)) + 1 if value is not None and "a" in filters else 0


def _filled(value: Optional[str], filters: tuple[str, ...]) -> str:
    return "" if value is None else apply_filters(value, filters)


# How `_derive` turns a value into what a renderer needs; the second item of a Derivation is the
# slot's filters, or for "json" the text to put before the value.
DERIVATIONS: dict[str, Callable[[Optional[str], Any], Any]] = {
    "str": lambda v, filters: None if v is None else apply_filters(v, filters),
    "utf-8": lambda v, filters: _filled(v, filters).encode(),
    "length": lambda v, filters: len(_filled(v, filters)),
    "article": _article,
    "json body": lambda v, filters: encode_basestring(_filled(v, filters))[1:-1].encode(),
    "json": lambda v, prefix: b"" if v is None else (prefix + encode_basestring(v)).encode(),
}
Derivation = tuple[str, Any]


def _array(items: list[Any], form: str) -> npt.NDArray[Any]:
    return np.array(items, dtype=np.int64) if form in ("length", "article") else _objects(items)


def _encoded(items: Sequence[str]) -> Bytes:
    return _objects([item.encode() for item in items])


def _objects(items: Sequence[object]) -> npt.NDArray[np.object_]:
    array = np.empty(len(items), dtype=object)
    array[:] = items
    return array

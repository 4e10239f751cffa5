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
from json.encoder import encode_basestring  # type: ignore[attr-defined]
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
DERIVE_MEMO = 100_000  # distinct values remembered per slot and derivation before starting over
Ints = npt.NDArray[np.int64]
Strings = npt.NDArray[np.object_]  # of str
Bytes = npt.NDArray[np.object_]  # of bytes
Field = tuple[str, tuple[str, ...]]  # a slot key and the filters applied to it


@dataclass(frozen=True)
class Pieces:
    """A batch's stories as one flat run of pieces."""

    codes: Ints  # per piece: a literal's number, or -1 - a field's number
    story: Ints  # per piece: its story
    bounds: Ints  # story i is pieces bounds[i]:bounds[i + 1]
    units: Ints  # every told unit, story after story
    unit_starts: Ints  # index of each told unit's first piece (its gap)
    unit_story: Ints  # each told unit's story
    unit_bounds: Ints  # story i's units are units[unit_bounds[i]:unit_bounds[i + 1]]

    def indices(self, literals: int, size: int) -> Ints:
        """Each piece's index into a source array of the literals, then one column per field."""
        return np.where(self.codes < 0, literals + (-1 - self.codes) * size + self.story, self.codes)


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
        # Each sentence's first and last-but-one piece within its unit, and its record's tail.
        sentence_first: list[int] = []
        sentence_end: list[int] = []
        sentence_tail: list[str] = []
        types = [grammar.slots.get(key) for key, _ in self.fields]
        is_entity = [t is not None and bool(t.entity) for t in types]
        entity_piece: list[int] = []  # where in its unit each entity's piece is ...
        entity_field: list[int] = []  # ... and which field fills it
        entity_count: list[int] = []
        for unit in grammar.units:
            # Piece codes: a literal is its number; a field is -1 - its number; the unit's gap is
            # filled in per story (code 0 here).
            program = [0]
            for k, sentence in enumerate(unit.sentences):
                if k:
                    program.append(literals.setdefault("\n\n" if k >= 2 and sentence.new_paragraph else " ", len(literals)))
                sentence_first.append(len(program))
                for part in sentence.parts:
                    program.append(literals.setdefault(part, len(literals)) if isinstance(part, str)
                                   else -1 - field_number[(part.key, part.filters)])
                sentence_end.append(len(program))
                sentence_tail.append(f', "phase": {_json(unit.phase)}, "template": {_json(sentence.id)}, '
                                     f'"source": {_json(sentence.source.seed)}}}')
            programs.append(program)
            entities = [(k, -1 - code) for k, code in enumerate(program) if code < 0 and is_entity[-1 - code]]
            entity_piece += [k for k, _ in entities]
            entity_field += [f for _, f in entities]
            entity_count.append(len(entities))
        self.literals = _objects(list(literals))
        self.literal_bytes = _encoded(list(literals))
        self.literal_json = _encoded([_json(text)[1:-1] for text in literals])
        self.literal_length: Ints = np.array([len(text) for text in literals], dtype=np.int64)
        self.piece_count: Ints = np.array([len(p) for p in programs], dtype=np.int64)
        self.piece_start: Ints = np.concatenate([[0], np.cumsum(self.piece_count)[:-1]]).astype(np.int64)
        self.programs: Ints = np.array([c for p in programs for c in p], dtype=np.int64)
        self.sentence_count = self.sentences
        self.sentence_start: Ints = np.concatenate([[0], np.cumsum(self.sentences)[:-1]]).astype(np.int64)
        self.sentence_first: Ints = np.array(sentence_first, dtype=np.int64)
        self.sentence_end: Ints = np.array(sentence_end, dtype=np.int64)
        self.sentence_tail = _encoded(sentence_tail)
        self.entity_piece: Ints = np.array(entity_piece, dtype=np.int64)
        self.entity_field: Ints = np.array(entity_field, dtype=np.int64)
        self.entity_count: Ints = np.array(entity_count, dtype=np.int64)
        self.entity_start: Ints = np.concatenate([[0], np.cumsum(self.entity_count)[:-1]]).astype(np.int64)
        # The tail of an entity record ('"label": ..., "entity": ...}'), numbered; each field's number.
        tails = ["" if t is None else f', "label": {_json(t.label)}, "slot": {_json(key)}, "entity": {_json(t.entity)}}}'
                 for (key, _), t in zip(self.fields, types)]
        self.entity_tails = tuple(dict.fromkeys(tails))
        self.entity_tail: Ints = np.array([self.entity_tails.index(tail) for tail in tails], dtype=np.int64)
        self.phase_head = _encoded([f'{{"phase": {_json(p)}, "start": ' for p in grammar.phases])
        self.numbers = Numbers(4096)
        # What `_derive` worked out: per option list, or per value for columns without options.
        self.derived: dict[tuple[str, Derivation], tuple[Strings, npt.NDArray[Any]]] = {}
        self.memo: dict[tuple[str, Derivation], dict[Optional[str], Any]] = {}
        self.joined: dict[Any, tuple[list[Strings], Bytes]] = {}

    # --- shared ---------------------------------------------------------------------------------
    def field_columns(self, batch: Batch, form: str) -> list[npt.NDArray[Any]]:
        """One column per field, each value as `form` says (see `DERIVATIONS`)."""
        missing = sorted({key for key, _ in self.fields} - set(batch.codes))
        if missing:
            raise GrammarError(f"{self.grammar.name}: no value is drawn for slot(s) {', '.join(missing)} (see: storygen check)")
        return [self._derive(batch, key, (form, filters)) for key, filters in self.fields]

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
            return known[1][column.index]  # type: ignore[no-any-return]
        memo = self.memo.setdefault((key, how), {})
        if len(memo) > DERIVE_MEMO:
            memo.clear()
        values = column.options.tolist()
        for value in set(values).difference(memo):
            memo[value] = derive(value, how[1])
        return _array(list(map(memo.__getitem__, values)), how[0])

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
        kinds = self.gap_kinds(batch.units, batch.unit_counts)
        told = np.arange(kinds.shape[1]) < batch.unit_counts[:, None]
        units = batch.units[:, :kinds.shape[1]][told]
        counts = self.piece_count[units]
        ends = np.cumsum(counts)
        unit_starts = ends - counts
        # Ragged gather: piece j of the flat run is program piece (start of its unit + offset in it).
        codes = self.programs[np.repeat(self.piece_start[units] - unit_starts, counts) + np.arange(int(ends[-1]) if len(ends) else 0)]
        codes[unit_starts] = kinds[told]
        unit_story = np.repeat(np.arange(size), batch.unit_counts)
        unit_bounds = np.concatenate([[0], np.cumsum(batch.unit_counts)])
        bounds = np.concatenate([[0], ends])[unit_bounds]
        story = np.repeat(np.arange(size), np.diff(bounds))
        return Pieces(codes, story, bounds, units, unit_starts, unit_story, unit_bounds)

    # --- text -----------------------------------------------------------------------------------
    def texts(self, batch: Batch) -> list[str]:
        """The batch's story texts."""
        pieces = self.pieces(batch)
        source = np.concatenate([self.literals, *self.field_columns(batch, "str")])
        strings = source[pieces.indices(len(self.literals), len(batch))].tolist()
        bounds = pieces.bounds.tolist()
        return ["".join(strings[lo:hi]) for lo, hi in zip(bounds, bounds[1:])]

    def text_chunk(self, batch: Batch, first: bool) -> list[bytes]:
        """The batch in the text format, story by story, UTF-8; `first`: its first story opens the output."""
        size = len(batch)
        if not size:
            return []
        pieces = self.pieces(batch)
        source = np.concatenate([self.literal_bytes, *self.field_columns(batch, "utf-8")])
        breaks = _objects([STORY_BREAK_BYTES] * size)
        if first:
            breaks[0] = b""
        sections = [(breaks, None), (source[pieces.indices(len(self.literals), size)], pieces.bounds),
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
        literals = len(self.literals)
        indices = pieces.indices(literals, size)
        length_source = np.concatenate([self.literal_length, *self.field_columns(batch, "length")])
        # edge[k]: characters before piece k, counted from the start of the batch's first story.
        edge = np.concatenate([[0], np.cumsum(length_source[indices])])
        story_base = edge[pieces.bounds[:-1]]
        numbers = self.numbers
        numbers.grow(int((edge[pieces.bounds[1:]] - story_base).max()) + 1)  # the longest story's length

        def per_story(per_unit: Ints) -> Ints:
            """Bounds of each story's items, given how many items each told unit has."""
            return np.concatenate([[0], np.cumsum(per_unit)])[pieces.unit_bounds]  # type: ignore[no-any-return]

        # Entities: the pieces that fill an entity slot (after any article the slot adds).
        per_unit = self.entity_count[pieces.units]
        entity = _ragged(self.entity_start[pieces.units], per_unit)
        field = self.entity_field[entity]
        piece = np.repeat(pieces.unit_starts, per_unit) + self.entity_piece[entity]
        story = pieces.story[piece]
        article = np.concatenate(self.field_columns(batch, "article"))[field * size + story]
        entity_start = edge[piece] - story_base[story] + article
        entity_end = edge[piece + 1] - story_base[story]
        entity_ends = numbers.ends_with(self.entity_tails)[self.entity_tail[field], entity_end]
        entities = _spans(entity_start, entity_ends, per_story(per_unit), numbers)

        # Sentences: each told unit's sentences, spans from the pieces that open and close them.
        per_unit = self.sentence_count[pieces.units]
        sentence = _ragged(self.sentence_start[pieces.units], per_unit)
        unit_start = np.repeat(pieces.unit_starts, per_unit)
        base = np.repeat(story_base[pieces.unit_story], per_unit)
        sentence_start = edge[unit_start + self.sentence_first[sentence]] - base
        sentence_end = edge[unit_start + self.sentence_end[sentence]] - base
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

        text = np.concatenate([self.literal_json, *self.field_columns(batch, "json body")])[indices]
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
        return known[1][index]  # type: ignore[no-any-return]


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
        """table[t, n] is ', "end": n' followed by tails[t] (made on first use, per size)."""
        table = self.tables.get(tails)
        if table is None:
            table = np.empty((len(tails), self.size), dtype=object)
            for t, tail in enumerate(tails):
                table[t, :] = [f', "end": {n}{tail}'.encode() for n in range(self.size)]
            self.tables[tails] = table
        return table


Section = tuple[Bytes, Optional[Ints]]  # pieces; story i's are pieces[bounds[i]:bounds[i + 1]] (None: piece i)


def _spans(start: Ints, ends: Bytes, bounds: Ints, numbers: Numbers, tail: Optional[Bytes] = None) -> Section:
    """Each story's list of {"start": s, ...ends, ...tail} objects (story i's are items
    bounds[i]:bounds[i + 1]); `ends` holds each item's ', "end": e' and maybe more."""
    first = np.zeros(len(start), dtype=bool)
    first[bounds[:-1][bounds[:-1] < bounds[1:]]] = True
    columns = [np.where(first, numbers.start[start], numbers.next_start[start]), ends, *([] if tail is None else [tail])]
    return np.stack(columns, axis=1).reshape(-1), bounds * len(columns)


def _phase_spans(start: Ints, end: Ints, bounds: Ints, numbers: Numbers, heads: Bytes) -> Section:
    """Each story's list of {"phase": p, "start": s, "end": e} objects."""
    first = np.zeros(len(start), dtype=bool)
    first[bounds[:-1][bounds[:-1] < bounds[1:]]] = True
    heads = np.where(first, heads, b", " + heads)
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
    return np.repeat(starts - (ends - counts), counts) + np.arange(int(ends[-1]) if len(ends) else 0)  # type: ignore[no-any-return]


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


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

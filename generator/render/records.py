"""JSON and JSONL records for a whole batch, assembled from the batched renderer's pieces.

The record layout is `formats.records.record` written by `json.dumps(..., ensure_ascii=False)`; tests hold
these bytes to that reference. Every span comes from the renderer's cumulative piece lengths;
numbers are written by table lookup ('{"start": 12', ', "end": 40, "label": ...'); values drawn
together, or fixed for the batch, share one piece; and each story's pieces are joined once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from json.encoder import encode_basestring
from typing import Any

import numpy as np
import numpy.typing as npt

from ..formats.records import cast_layout
from ..model.grammar import Grammar
from ..model.plan import Batch, Coded
from ..model.templates import indefinite_article
from .batch import DERIVE_MEMO, BatchRenderer, Bytes, Ints, Section, Strings, assemble, encoded, json_text, objects, ragged


class RecordRenderer:
    """Renders batches as JSON records, from a BatchRenderer's compiled units."""

    def __init__(self, renderer: BatchRenderer) -> None:
        self.renderer = renderer
        self.grammar = grammar = renderer.grammar
        self.sentence_tail = encoded([
            f', "phase": {json_text(unit.phase)}, "template": {json_text(sentence.id)}, "source": {json_text(sentence.source.seed)}}}'
            for unit in grammar.units for sentence in unit.sentences])
        # The tail of an entity record ('"label": ..., "entity": ...}'), numbered; each field piece's number.
        tails = [_entity_tail(grammar, fp.key) for fp in renderer.field_pieces]
        self.entity_tails = tuple(dict.fromkeys(tails))
        self.entity_tail: Ints = np.array([self.entity_tails.index(tail) for tail in tails], dtype=np.int64)
        self.phase_head = encoded([f'{{"phase": {json_text(p)}, "start": ' for p in grammar.phases])
        self._numbers: Numbers | None = None
        # What `_derive` worked out: per option list, or per value for columns without options.
        self.derived: dict[tuple[str, Derivation], tuple[Strings, npt.NDArray[Any]]] = {}
        self.memo: dict[tuple[str, Derivation], dict[str | None, Any]] = {}
        self.joined: dict[Any, tuple[list[Strings], Bytes]] = {}

    @property
    def numbers(self) -> Numbers:
        """Offsets as text, made on first use."""
        if self._numbers is None:
            self._numbers = Numbers(4096)
        return self._numbers

    @numbers.setter
    def numbers(self, numbers: Numbers) -> None:
        self._numbers = numbers

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

    def records_chunk(self, batch: Batch, meta: Mapping[str, Any], before: str, after: str,
                      opening: str | None = None) -> list[bytes]:
        """The batch as JSON records, UTF-8, each exactly as `before + json.dumps(record, ensure_ascii=False)
        + after` writes it (`record` being `formats.records.record`, whose meta is `meta`);
        `opening`, if given, replaces `before` for the first record (it opens the output).
        Returned story by story."""
        size = len(batch)
        if not size:
            return []
        r = self.renderer
        pieces = r.pieces(batch)
        # end[k]: characters up to the end of piece k, counted from the start of the batch.
        end = np.cumsum(r.source(batch, pieces, "length")[pieces.sources])
        story_base = np.concatenate([[0], end])[pieces.bounds[:-1]]
        numbers = self.numbers
        numbers.grow(int((end[pieces.bounds[1:] - 1] - story_base).max(initial=0)) + 1)  # the longest story's length

        def per_story(per_unit: Ints) -> Ints:
            """Bounds of each story's items, given how many items each told unit has."""
            return np.concatenate([[0], np.cumsum(per_unit)])[pieces.unit_bounds]

        # Entities: the field pieces of entity slots: the value (after any article the slot adds)
        # without the text that follows it.
        per_unit = r.entity_count[pieces.units]
        entity = ragged(r.entity_start[pieces.units], per_unit)
        field = r.entity_field[entity]
        piece = np.repeat(pieces.unit_starts, per_unit) + r.entity_piece[entity]
        story = pieces.story[piece]
        article = np.zeros(len(piece), dtype=np.int64)
        for n in sorted(set(field[r.has_article[field]].tolist())):
            chosen = np.flatnonzero(field == n)
            fp = r.field_pieces[n]
            article[chosen] = self._derive(batch, fp.key, ("article", fp.filters))[story[chosen]]
        entity_start = end[piece - 1] - story_base[story] + article
        entity_end = end[piece] - story_base[story] - r.entity_back[entity]
        entity_ends = numbers.ends_with(self.entity_tails)[self.entity_tail[field] * numbers.size + entity_end]
        entities = _spans(entity_start, entity_ends, per_story(per_unit), numbers)

        # Sentences: each told unit's sentences, from the marks compiled for them.
        per_unit = r.sentences[pieces.units]
        sentence = ragged(r.sentence_start[pieces.units], per_unit)
        unit_start = np.repeat(pieces.unit_starts, per_unit)
        base = np.repeat(story_base[pieces.unit_story], per_unit)
        marks = r.sentence_marks[sentence]
        sentence_start = end[unit_start + marks[:, 0]] - marks[:, 1] - base
        sentence_end = end[unit_start + marks[:, 2]] - marks[:, 3] - base
        sentences = _spans(sentence_start, numbers.end[sentence_end], per_story(per_unit), numbers, self.sentence_tail[sentence])

        # Phases: runs of told units in one phase, from the first sentence's start to the last's end.
        unit_phase = r.phase[pieces.units]
        opens_run = np.ones(len(pieces.units), dtype=bool)
        opens_run[1:] = (unit_phase[1:] != unit_phase[:-1]) | (pieces.unit_story[1:] != pieces.unit_story[:-1])
        run_first = np.flatnonzero(opens_run)
        run_last = np.concatenate([run_first[1:], [len(pieces.units)]]) - 1
        first_sentence_of_unit = np.concatenate([[0], np.cumsum(per_unit)[:-1]])
        phase_start = sentence_start[first_sentence_of_unit[run_first]]
        phase_end = sentence_end[first_sentence_of_unit[run_last] + per_unit[run_last] - 1]
        phases = _phase_spans(phase_start, phase_end, np.searchsorted(run_first, pieces.unit_bounds), numbers,
                              self.phase_head[unit_phase[run_first]])

        text = r.source(batch, pieces, "json body")[pieces.sources]
        head = b'{"id": "%d-%d", "seed": %d, "index": %d, "text": "'
        template = before.encode().replace(b"%", b"%%") + head
        heads = objects([template % (batch.seed, i, batch.seed, i) for i in range(batch.start, batch.start + size)])
        if opening is not None:
            heads[0] = opening.encode() + head % (batch.seed, batch.start, batch.seed, batch.start)
        sections = [
            (heads, None),
            (text, pieces.bounds),
            *self._middle(batch),
            (encoded([', "entities": ['] * size), None),
            entities,
            (encoded(['], "sentences": ['] * size), None),
            sentences,
            (encoded(['], "phases": ['] * size), None),
            phases,
            (encoded([f'], "meta": {json_text(meta)}}}{after}'] * size), None),
        ]
        return assemble(sections, size)

    def _middle(self, batch: Batch) -> list[Section]:
        """'", "pronouns": ..., "arc": ..., "cast": {...}, "slots": {...}' for each story."""
        size = len(batch)
        arcs = {arc: json.dumps(list(arc), ensure_ascii=False) for arc in set(batch.arcs)}
        head = encoded([f'", "pronouns": {encode_basestring(p)}, "arc": {arcs[a]}, "cast": ' for p, a in zip(batch.pronouns, batch.arcs)])
        people = cast_layout(batch.codes)
        slots = [key for key in sorted(self.grammar.slots) if key in batch.codes]
        shown = {key for facts in people.values() for _, key in facts} | set(slots)
        if any(_has_none(batch.codes[key]) for key in shown):
            # A pronoun set lacks a form some stories show: build those objects story by story.
            def obj(pairs: list[tuple[str, str | None]]) -> dict[str, str]:
                return {name: value for name, value in pairs if value is not None}

            def cast(i: int) -> str:
                roles = {role: obj([(f, batch.values[k][i]) for f, k in facts]) for role, facts in people.items()}
                return json_text({role: facts for role, facts in roles.items() if facts})

            rest = [f'{cast(i)}, "slots": {json_text(obj([(k, batch.values[k][i]) for k in slots]))}' for i in range(size)]
            return [(head, None), (encoded(rest), None)]
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
        return [(np.stack(pieces, axis=1).reshape(-1), np.arange(size + 1) * len(pieces)), (encoded([closing] * size), None)]

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
            table = objects([b"".join(DERIVATIONS[how[0]](o[j if len(o) > 1 else 0], how[1]) for o, (_, how) in zip(options, group))
                              for j in range(width)])
            known = (options, table)
            self.joined[tuple(group)] = known
        return known[1][index]


def _groups(batch: Batch, parts: list[tuple[str, Derivation]]) -> list[list[tuple[str, Derivation]]]:
    """Consecutive parts that can share one piece: coded columns whose varying ones all use the
    same index array (values drawn together), plus any with a single option (fixed for the batch)."""
    groups: list[list[tuple[str, Derivation]]] = []
    shared: Coded | None = None  # the group's varying column, if any
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
        self.plain = encoded(plain)
        self.start = encoded(['{"start": ' + n for n in plain])
        self.next_start = encoded([', {"start": ' + n for n in plain])
        self.end = encoded([', "end": ' + n for n in plain])
        self.end_closed = encoded([', "end": ' + n + "}" for n in plain])
        self.tables: dict[tuple[str, ...], npt.NDArray[np.object_]] = {}

    def ends_with(self, tails: tuple[str, ...]) -> npt.NDArray[np.object_]:
        """table[t * size + n] is ', "end": n' followed by tails[t] (made on first use)."""
        table = self.tables.get(tails)
        if table is None:
            table = objects([f', "end": {n}{tail}'.encode() for tail in tails for n in range(self.size)])
            self.tables[tails] = table
        return table


def _spans(start: Ints, ends: Bytes, bounds: Ints, numbers: Numbers, tail: Bytes | None = None) -> Section:
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


def _has_none(column: Coded) -> bool:
    if column.index is None or None in column.options.tolist():
        return any(value is None for value in column.values().tolist())
    return False


def _article(value: str | None, filters: tuple[str, ...]) -> int:
    """How far into the filtered value the slot's own value starts ('an 18' -> 3): an entity's
    span leaves out the article the `a` filter adds."""
    return len(indefinite_article(value)) + 1 if value is not None and "a" in filters else 0


# How `_derive` turns a value into what a record needs: "article" takes the slot's filters, "json"
# (the value as a JSON string) the text to put before it.
DERIVATIONS: dict[str, Callable[[str | None, Any], Any]] = {
    "article": _article,
    "json": lambda v, prefix: b"" if v is None else (prefix + encode_basestring(v)).encode(),
}
Derivation = tuple[str, Any]


def _array(items: list[Any], form: str) -> npt.NDArray[Any]:
    return np.array(items, dtype=np.int64) if form == "article" else objects(items)


def _entity_tail(grammar: Grammar, key: str) -> str:
    slot = grammar.slots.get(key)
    return "" if slot is None else f', "label": {json_text(slot.label)}, "slot": {json_text(key)}, "entity": {json_text(slot.entity)}}}'



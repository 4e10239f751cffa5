"""JSON and JSONL records for a whole batch, assembled from the batched renderer's pieces.

The record is `formats.records.record` written by `json.dumps(..., ensure_ascii=False)`; tests
hold these bytes to that reference. Its framing ('{"id": ', '", "pronouns": ', '], "sentences": [')
comes from the record layout (`model.record`), through `Frame`, which also checks that the fields
are written in the layout's order. Every span comes from the renderer's cumulative piece lengths;
numbers are written by table lookup ('{"start": 12', ', "end": 40, "label": ...'); the cast and
slot values a story's text names are read, with what opens each, from one table by one fancy
index; and each story's pieces are joined once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from json.encoder import encode_basestring
from typing import Any

import numpy as np
import numpy.typing as npt

from ..model.grammar import Grammar
from ..model.plan import Batch
from ..model.record import ENTITY, PHASE, RECORD, SENTENCE, Field, cast_layout, json_value, slot_keys
from ..model.templates import article_offset
from ..model.templates import slot_keys as template_keys
from .batch import DERIVE_MEMO, BatchRenderer, Bytes, Ints, Pieces, Section, Sections, Strings, encoded, json_text, objects, ragged


class Frame:
    """What json.dumps writes around the values of one object of the layout: '{"id": ' before the
    first, ', "seed": ' before each later one, '}' after the last. The assembler asks for the keys
    in the order it writes the values, which must be the layout's."""

    def __init__(self, fields: tuple[Field, ...], what: str) -> None:
        self.names = [field.name for field in fields]
        self.what = what
        self.written = 0

    def key(self, name: str) -> str:
        """The text before field `name`'s value; `name` must be the layout's next field."""
        expected = self.names[self.written] if self.written < len(self.names) else None
        if name != expected:
            raise RuntimeError(f"render/records.py writes {self.what} field {name!r} where the record layout "
                               f"(model/record.py) has {'no more fields' if expected is None else repr(expected)}")
        self.written += 1
        return ("{" if self.written == 1 else ", ") + encode_basestring(name) + ": "

    def rest(self) -> list[tuple[str, str]]:
        """(name, key text) of the fields not yet written, in order, for values written as one piece."""
        return [(name, self.key(name)) for name in self.names[self.written:]]

    def close(self) -> str:
        """'}', once every field has been written."""
        if self.written < len(self.names):
            raise RuntimeError(f"render/records.py leaves out {self.what} field {self.names[self.written]!r} "
                               "of the record layout (model/record.py)")
        return "}"


def _tail(rest: list[tuple[str, str]], close: str, values: Mapping[str, object]) -> str:
    """The fields of `rest` with their values, then the object's end."""
    return "".join(key + json_text(values[name]) for name, key in rest) + close


class RecordRenderer:
    """Renders batches as JSON records, from a BatchRenderer's compiled units."""

    def __init__(self, renderer: BatchRenderer) -> None:
        self.renderer = renderer
        self.grammar = grammar = renderer.grammar
        top = Frame(RECORD, "record")
        self.head = f'{top.key("id")}"%d-%d"{top.key("seed")}%d{top.key("index")}%d{top.key("text")}"'.encode()
        self.keys = {name: top.key(name) for name in ("pronouns", "arc", "cast", "slots", "entities", "sentences", "phases", "meta")}
        self.close = top.close()
        entity = Frame(ENTITY, "entity")
        self.entity_keys = entity.key("start"), entity.key("end")
        entity_rest, entity_close = entity.rest(), entity.close()
        sentence = Frame(SENTENCE, "sentence")
        self.sentence_keys = sentence.key("start"), sentence.key("end")
        sentence_rest, sentence_close = sentence.rest(), sentence.close()
        self.sentence_tail = encoded([
            _tail(sentence_rest, sentence_close, {"phase": unit.phase, "template": s.id, "source": s.source.seed})
            for unit in grammar.units for s in unit.sentences])
        # The tail of an entity record ('"label": ..., "entity": ...}'), numbered; each field piece's number.
        tails = [_entity_tail(grammar, fp.key, entity_rest, entity_close) for fp in renderer.field_pieces]
        self.entity_tails = tuple(dict.fromkeys(tails))
        self.entity_tail: Ints = np.array([self.entity_tails.index(tail) for tail in tails], dtype=np.int64)
        phase = Frame(PHASE, "phase")
        phase_key, phase_start = phase.key("phase"), phase.key("start")
        self.phase_head = encoded([f"{phase_key}{json_text(p)}{phase_start}" for p in grammar.phases])
        self.phase_end = phase.key("end")
        self.phase_close = (phase.close(),)
        self._numbers: Numbers | None = None
        # What `_derive` worked out: per option list, or per value for columns without options.
        self.derived: dict[tuple[str, Derivation], tuple[Strings, npt.NDArray[Any]]] = {}
        self.memo: dict[tuple[str, Derivation], dict[str | None, Any]] = {}
        self.names: dict[tuple[str, ...], npt.NDArray[np.uint8]] = {}
        self.opened: dict[tuple[str, ...], tuple[list[Strings], Bytes, Ints, Ints]] = {}  # see `_opened_values`  # per unit: which of some slot keys it names

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

    def record_sections(self, batch: Batch, meta: Mapping[str, Any], before: str, after: str,
                        opening: str | None = None) -> Sections:
        """The batch as JSON records, UTF-8, each exactly as `before + json.dumps(record, ensure_ascii=False)
        + after` writes it (`record` being `formats.records.record`, whose meta is `meta`);
        `opening`, if given, replaces `before` for the first record (it opens the output).
        Returned as the sections each story reads."""
        size = len(batch)
        if not size:
            return Sections([], 0)
        r = self.renderer
        pieces = r.pieces(batch)
        # end[k]: characters up to the end of piece k, counted from the start of the batch.
        end = np.cumsum(r.source(batch, pieces, "length")[pieces.sources])
        story_base = np.concatenate([[0], end])[pieces.bounds[:-1]]
        self.numbers.grow(int((end[pieces.bounds[1:] - 1] - story_base).max(initial=0)) + 1)  # the longest story's length
        template = before.encode().replace(b"%", b"%%") + self.head
        heads = objects([template % (batch.seed, i, batch.seed, i) for i in range(batch.start, batch.start + size)])
        if opening is not None:
            heads[0] = opening.encode() + self.head % (batch.seed, batch.start, batch.seed, batch.start)
        keys = self.keys
        sentences, phases = self._sentences_and_phases(pieces, end, story_base)
        sections = [
            (heads, None),
            (r.source(batch, pieces, "json body")[pieces.sources], pieces.bounds),
            *self._middle(batch, pieces),
            (encoded([keys["entities"] + "["] * size), None),
            self._entities(batch, pieces, end, story_base),
            (encoded(["]" + keys["sentences"] + "["] * size), None),
            sentences,
            (encoded(["]" + keys["phases"] + "["] * size), None),
            phases,
            (encoded(["]" + keys["meta"] + json_text(meta) + self.close + after] * size), None),
        ]
        return Sections(sections, size)

    def _entities(self, batch: Batch, pieces: Pieces, end: Ints, story_base: Ints) -> Section:
        """Each story's entity objects: the field pieces of entity slots, each the value (after any
        article the slot adds) without the text that follows it."""
        r, numbers = self.renderer, self.numbers
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
        ends = numbers.table(self.entity_keys[1], self.entity_tails)[self.entity_tail[field] * numbers.size + entity_end]
        return _spans(entity_start, ends, _per_story(pieces, per_unit), numbers, self.entity_keys[0])

    def _sentences_and_phases(self, pieces: Pieces, end: Ints, story_base: Ints) -> tuple[Section, Section]:
        """Each story's sentence objects, from the marks compiled for its units, and its phase
        objects: runs of told units in one phase, from the first sentence's start to the last's end."""
        r, numbers = self.renderer, self.numbers
        per_unit = r.sentences[pieces.units]
        sentence = ragged(r.sentence_start[pieces.units], per_unit)
        unit_start = np.repeat(pieces.unit_starts, per_unit)
        base = np.repeat(story_base[pieces.unit_story], per_unit)
        marks = r.sentence_marks[sentence]
        sentence_start = end[unit_start + marks[:, 0]] - marks[:, 1] - base
        sentence_end = end[unit_start + marks[:, 2]] - marks[:, 3] - base
        sentences = _spans(sentence_start, numbers.table(self.sentence_keys[1])[sentence_end], _per_story(pieces, per_unit),
                           numbers, self.sentence_keys[0], self.sentence_tail[sentence])

        unit_phase = r.phase[pieces.units]
        opens_run = np.ones(len(pieces.units), dtype=bool)
        opens_run[1:] = (unit_phase[1:] != unit_phase[:-1]) | (pieces.unit_story[1:] != pieces.unit_story[:-1])
        run_first = np.flatnonzero(opens_run)
        run_last = np.concatenate([run_first[1:], [len(pieces.units)]]) - 1
        first_sentence_of_unit = np.concatenate([[0], np.cumsum(per_unit)[:-1]])
        phase_start = sentence_start[first_sentence_of_unit[run_first]]
        phase_end = sentence_end[first_sentence_of_unit[run_last] + per_unit[run_last] - 1]
        phases = _phase_spans(phase_start, numbers.table(self.phase_end, self.phase_close)[phase_end],
                              np.searchsorted(run_first, pieces.unit_bounds), numbers, self.phase_head[unit_phase[run_first]])
        return sentences, phases

    def _middle(self, batch: Batch, pieces: Pieces) -> list[Section]:
        """'", "pronouns": ..., "arc": ..., "cast": {...}, "slots": {...}' for each story; the cast
        and slots show only the values its text names (`_told`), so what opens each value ('{"hero":
        {"name": ', '}, "mentor": {"name": ', ', "age": ' or nothing) is chosen per story."""
        arcs = {arc: json.dumps(list(arc), ensure_ascii=False) for arc in set(batch.arcs)}
        keys = self.keys
        head = encoded([f'"{keys["pronouns"]}{encode_basestring(p)}{keys["arc"]}{arcs[a]}{keys["cast"]}'
                        for p, a in zip(batch.pronouns, batch.arcs)])
        people = cast_layout(batch.codes)
        cast = [(role, fact, key) for role, facts in people.items() for fact, key in facts]
        slots = slot_keys(self.grammar, batch.codes)
        told = self._told(batch, pieces, [key for _, _, key in cast] + slots)
        cast_code, any_cast = _opening_codes(told[:, :len(cast)], [role for role, _, _ in cast])
        slot_code, any_slot = _opening_codes(told[:, len(cast):], [""] * len(slots))
        # What opens each value: nothing (code 0), then after another of its object, then after
        # another role's facts, then first of all.
        openings = [("", f", {encode_basestring(fact)}: ", f"}}, {encode_basestring(role)}: {{{encode_basestring(fact)}: ",
                     f"{{{encode_basestring(role)}: {{{encode_basestring(fact)}: ") for role, fact, _ in cast]
        openings += [("", f", {encode_basestring(key)}: ", "", f"{{{encode_basestring(key)}: ") for key in slots]
        values = self._opened_values(batch, [key for _, _, key in cast] + slots, openings, np.hstack([cast_code, slot_code]))
        middle = encoded(["{}" + keys["slots"], "}}" + keys["slots"]])[any_cast.astype(np.int64)]
        closing = encoded(["{}", "}"])[any_slot.astype(np.int64)]
        rows = np.hstack([head[:, None], values[:, :len(cast)], middle[:, None], values[:, len(cast):], closing[:, None]])
        # Joined here: most pieces are empty, and one piece per story is cheaper to assemble.
        return [(objects([b"".join(row) for row in rows.tolist()]), None)]

    def _opened_values(self, batch: Batch, keys: list[str], openings: list[tuple[str, str, str, str]], code: Ints) -> Bytes:
        """values[i, j]: story i's opening openings[j][code[i, j]] and then slot keys[j]'s value as
        JSON (a number for an age), or nothing where code[i, j] is 0. Coded columns are read from
        one table of every opening before every option (kept while the option lists are), by one
        fancy index; columns without options are put together per story."""
        size = len(batch)
        values = np.empty((size, len(keys)), dtype=object)
        coded = [j for j, key in enumerate(keys) if batch.codes[key].index is not None]
        for j in sorted(set(range(len(keys))) - set(coded)):
            derived = self._derive(batch, keys[j], ("value", keys[j]))
            heads = encoded(list(openings[j]))[code[:, j]]
            values[:, j] = np.where(code[:, j] > 0, heads + derived, b"")
        if not coded:
            return values
        columns = [batch.codes[keys[j]] for j in coded]
        names = tuple(keys[j] for j in coded)  # the openings follow from the keys
        known = self.opened.get(names)
        if known is None or any(a is not b.options for a, b in zip(known[0], columns)):
            tables: list[list[bytes]] = []
            bases: list[int] = []
            size_of: list[int] = []
            for j in coded:
                self._derive(batch, keys[j], ("value", keys[j]))
                options = self.derived[(keys[j], ("value", keys[j]))][1].tolist()
                bases.append(sum(len(t) for t in tables))
                size_of.append(len(options))
                tables.append([b""] * len(options) + [o.encode() + v for o in openings[j][1:] for v in options])
            known = ([c.options for c in columns], objects([p for t in tables for p in t]),
                     np.array(bases, dtype=np.int64), np.array(size_of, dtype=np.int64))
            self.opened[names] = known
        index = np.stack([c.index for c in columns], axis=1)  # type: ignore[misc]
        values[:, coded] = known[1][known[2] + code[:, coded] * known[3] + index]
        return values


    def _told(self, batch: Batch, pieces: Pieces, keys: list[str]) -> npt.NDArray[np.bool_]:
        """told[i, j]: story i's text names slot keys[j] (some sentence of a unit it tells does)."""
        masks = self.names.get(tuple(keys))
        if masks is None:  # per unit, the keys it names as bits, 64 to a word
            named = [{key for sentence in unit.sentences for key in template_keys(sentence.parts)} for unit in self.grammar.units]
            bits = np.array([[key in keys_of for key in keys] for keys_of in named], dtype=bool).reshape(len(named), len(keys))
            masks = np.packbits(bits, axis=1, bitorder="little")
            self.names[tuple(keys)] = masks
        size = len(batch)
        counts = np.diff(pieces.unit_bounds)
        story = np.zeros((size, masks.shape[1]), dtype=np.uint8)
        if len(pieces.units):
            firsts = np.minimum(pieces.unit_bounds[:-1], len(pieces.units) - 1)
            story = np.bitwise_or.reduceat(masks[pieces.units], firsts, axis=0) * (counts > 0)[:, None].astype(np.uint8)
        return np.unpackbits(story, axis=1, count=len(keys), bitorder="little").astype(bool)

def _opening_codes(told: npt.NDArray[np.bool_], groups: list[str]) -> tuple[Ints, npt.NDArray[np.bool_]]:
    """For values listed in objects (`groups`: each value's object, consecutive), what opens each
    told one: 1 after another of its object, 2 first of its object after an earlier object, 3
    first of all; 0 where it is not told. Also whether each story tells any."""
    size, width = told.shape
    if not width:
        return np.zeros((size, 0), dtype=np.int64), np.zeros(size, dtype=bool)
    running: Ints = np.cumsum(told, axis=1, dtype=np.int64)
    before: Ints = running - told  # told values before this one
    starts = [next(k for k in range(j + 1) if groups[k] == groups[j]) for j in range(width)]
    before_object = np.stack([running[:, k - 1] if k else np.zeros(size, dtype=np.int64) for k in starts], axis=1)
    code = np.where(before > before_object, 1, np.where(before_object > 0, 2, 3)) * told
    return code.astype(np.int64), running[:, -1] > 0


class Numbers:
    """Offsets written by lookup rather than str(): table(', "end": ')[40] is ', "end": 40'."""

    def __init__(self, size: int) -> None:
        self.size = 0
        self.tables: dict[tuple[str, tuple[str, ...]], Bytes] = {}
        self.grow(size)

    def grow(self, size: int) -> None:
        """Make the tables cover offsets up to `size` - 1 (at least doubling them)."""
        if size <= self.size:
            return
        self.size = max(size, 2 * self.size)
        self.tables = {}

    def table(self, before: str, after: tuple[str, ...] = ("",)) -> Bytes:
        """table[t * size + n] is `before`, then n, then after[t] (made on first use)."""
        table = self.tables.get((before, after))
        if table is None:
            table = encoded([f"{before}{n}{tail}" for tail in after for n in range(self.size)])
            self.tables[(before, after)] = table
        return table


def _per_story(pieces: Pieces, per_unit: Ints) -> Ints:
    """Bounds of each story's items, given how many items each told unit has."""
    return np.concatenate([[0], np.cumsum(per_unit)])[pieces.unit_bounds]


def _spans(start: Ints, ends: Bytes, bounds: Ints, numbers: Numbers, start_key: str, tail: Bytes | None = None) -> Section:
    """Each story's list of objects: `start_key` and the start, `ends` (each item's ', "end": e'
    and maybe more), then `tail`, if given. Story i's are items bounds[i]:bounds[i + 1]."""
    heads = numbers.table(", " + start_key)[start]
    first = bounds[:-1][bounds[:-1] < bounds[1:]]  # each story's first item, if it has any
    heads[first] = numbers.table(start_key)[start[first]]
    columns = [heads, ends, *([] if tail is None else [tail])]
    return np.stack(columns, axis=1).reshape(-1), bounds * len(columns)


def _phase_spans(start: Ints, ends: Bytes, bounds: Ints, numbers: Numbers, heads: Bytes) -> Section:
    """Each story's list of phase objects: `heads` (up to the start), the start, then `ends`."""
    first = np.zeros(len(start), dtype=bool)
    first[bounds[:-1][bounds[:-1] < bounds[1:]]] = True
    heads = np.where(first, heads, b", " + heads)  # a few per story: no table needed
    return np.stack([heads, numbers.table("")[start], ends], axis=1).reshape(-1), bounds * 3


# How `_derive` turns a value into what a record needs: "article" takes the slot's filters, "value"
# (the value as JSON, as the record writes it) the slot's key.
DERIVATIONS: dict[str, Callable[[str | None, Any], Any]] = {
    "article": article_offset,
    "value": lambda v, key: b"" if v is None else json_text(json_value(key, v)).encode(),
}
Derivation = tuple[str, Any]


def _array(items: list[Any], form: str) -> npt.NDArray[Any]:
    return np.array(items, dtype=np.int64) if form == "article" else objects(items)


def _entity_tail(grammar: Grammar, key: str, rest: list[tuple[str, str]], close: str) -> str:
    """What follows an entity's end: its other fields ('"label": ..., "entity": ...}')."""
    slot = grammar.slots.get(key)
    return "" if slot is None else _tail(rest, close, {"label": slot.label, "slot": key, "entity": slot.entity})


